"""POST a JSON message to a webhook (Teams Workflows, Slack) with the standard library.

HTTP 429 (and 502/503/504, which Azure's front doors answer under load) are retried a bounded
number of times, waiting what `Retry-After` asks (seconds or an HTTP date) or else 1, 2, 4 s;
a wait longer than MAX_WAIT is not waited: the post fails and the next run tries again. Every
error text is free of the URL (it is a secret: whoever has it can post to the channel).
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from sambrief import __version__
from sambrief.i18n.notices import Notice
from sambrief.publish.delivery import ChannelError
from sambrief.publish.delivery.cards import body

RETRIED = (429, 502, 503, 504)
ATTEMPTS = 4
MAX_WAIT = 60.0  # seconds one wait may take
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def check_url(url: str, source: Notice) -> None:
    """https only (the URL is the credential); plain http only to this machine (tests, a local relay)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ChannelError(Notice("webhook_no_url", source=source)) from None
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return
    raise ChannelError(Notice("webhook_not_https", source=source))


def post(url: str, payload: dict[str, Any], timeout: float = 30, sleep: Callable[[float], None] = time.sleep) -> int:
    """Send; return the number of attempts it took. Raises ChannelError with a printable reason."""
    data = body(payload)
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": f"sambrief/{__version__}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked by check_url)
                response.read(65536)
                return attempt
        except urllib.error.HTTPError as exc:
            answer = _answer(exc)
            if exc.code not in RETRIED:
                raise ChannelError(Notice("webhook_http", code=exc.code, answer=answer)) from None
            wait = _wait(exc.headers.get("Retry-After"), attempt)
            if attempt == ATTEMPTS or wait > MAX_WAIT:
                if wait > MAX_WAIT:
                    raise ChannelError(
                        Notice("webhook_http_wait", n=attempt, code=exc.code, answer=answer, seconds=f"{wait:.0f}")
                    ) from None
                raise ChannelError(Notice("webhook_http_retried", n=attempt, code=exc.code, answer=answer)) from None
            sleep(wait)
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
            raise ChannelError(Notice("webhook_unreachable", detail=_without(text, url))) from None
        except http.client.HTTPException as exc:  # not HTTP at all (a wrong port, a proxy that cuts in)
            raise ChannelError(Notice("webhook_not_http", detail=type(exc).__name__)) from None
        except (
            ValueError
        ):  # http.client's InvalidURL (a port that is not a number, a control character): its text quotes the URL
            raise ChannelError(Notice("webhook_invalid_url")) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _answer(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(300).decode("utf-8", "replace")
    except OSError:
        text = ""
    text = " ".join(text.split())[:200]
    return f" ({text})" if text else ""


def _wait(header: str | None, attempt: int) -> float:
    """Retry-After as seconds or an HTTP date; else exponential backoff."""
    if header:
        header = header.strip()
        if header.isdigit():
            return float(header)
        try:
            when = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return float(2 ** (attempt - 1))


def _without(text: str, url: str) -> str:
    parts = urlsplit(url)
    for secret in (url, parts.path, parts.query):
        if secret and len(secret) > 1:
            text = text.replace(secret, "…")
    return text
