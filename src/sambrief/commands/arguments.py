"""The arguments of a command, checked in one place for the command line and the library:
the language, the period and the audiences. Each refusal is a `UsageError` (exit 2, before
any work) that names the closest valid value."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sambrief.errors import UsageError
from sambrief.i18n.notices import Notice, unknown
from sambrief.names import LANGUAGES

if TYPE_CHECKING:
    from sambrief.config.settings import Audience, Settings
    from sambrief.model.core import Period


def suggest(value: str, known: Iterable[str]) -> Notice:
    """'(did you mean 'de'? known: de, en)' in the command line's language."""
    known = list(known)
    return unknown("usage_known", value, known, known=", ".join(str(k) for k in known))


def check_language(lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise UsageError(Notice("usage_unknown_language", value=repr(lang), known=suggest(lang, LANGUAGES)))


def parse_period(text: str | None, option: str = "--period") -> Period | None:
    """YYYY-MM as a period; '10/2026' or '2026.10' is refused with the spelling meant."""
    if text is None:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if match and 1 <= int(match[2]) <= 12:
        from sambrief.model.core import Period

        return Period(int(match[1]), int(match[2]))
    other = re.fullmatch(r"(\d{1,2})\s*[./-]\s*(\d{4})", text.strip()) or re.fullmatch(
        r"(\d{4})\s*[./](\d{1,2})", text.strip()
    )
    if other:
        year, month = (other[2], other[1]) if len(other[2]) == 4 else (other[1], other[2])
        if 1 <= int(month) <= 12:
            raise UsageError(
                Notice("usage_period_near", option=option, value=repr(text), near=f"{year}-{int(month):02d}")
            )
    raise UsageError(Notice("usage_period", option=option, value=repr(text)))


def check_audiences(settings: Settings, names: Iterable[str]) -> None:
    """Each name an audience of the workspace (or 'all')."""
    for name in names:
        if name != "all" and name not in settings.audiences:
            raise UsageError(
                Notice("usage_unknown_audience", value=repr(name), known=suggest(name, [*settings.audiences, "all"]))
            )


def select_audiences(settings: Settings, name: str) -> list[Audience]:
    """--audience: one audience of the workspace, or every one for 'all'."""
    check_audiences(settings, [name])
    return list(settings.audiences.values()) if name == "all" else [settings.audiences[name]]
