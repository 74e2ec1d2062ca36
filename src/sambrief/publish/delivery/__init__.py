"""Delivery channels beyond mail (`teams`, `slack`, `folder`; their settings are config.delivery):
the message they post (cards.py), the HTTP post with retries (webhook.py) and the copy to a
share (folder.py). deliver.py runs them beside the mail, once per period and audience.

Webhook URLs are secrets: the settings name an environment variable or a file outside the
workspace, and the URL is read only when a post goes out; it is never printed, logged or
written anywhere (errors name the variable or file instead).
"""

from __future__ import annotations

import os

from sambrief.config.delivery import WebhookTarget
from sambrief.i18n.notices import Notice


class ChannelError(Exception):
    """One post or copy failed; its notice is safe to print (never holds a webhook URL)."""

    def __init__(self, reason: Notice):
        super().__init__(reason)
        self.reason = reason


def webhook_url(target: WebhookTarget) -> str:
    """The webhook URL, read now (never kept in the settings, never printed)."""
    if target.url_env:
        value = os.environ.get(target.url_env, "")
    else:
        assert target.url_file is not None
        try:
            value = target.url_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            detail = getattr(exc, "strerror", None) or type(exc).__name__
            raise ChannelError(Notice("secret_unreadable", source=target.secret_source, detail=detail)) from None
    value = value.strip()
    if not value:
        raise ChannelError(Notice("secret_empty", source=target.secret_source))
    if any(c.isspace() for c in value):
        raise ChannelError(Notice("secret_lines", source=target.secret_source))
    return value
