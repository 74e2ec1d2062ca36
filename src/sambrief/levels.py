"""Message levels: information about documented, expected behaviour versus warnings about
what may make a briefing wrong or incomplete. `--strict` fails on warnings only.

Information:
- rows a layout leaves out by design (`dropped 3 deleted user(s)` from a Microsoft 365 export);
- text shortened or moved to the speaker notes so that it fits (the full text is kept there);
- a theme without data in an audience whose briefing still has other findings (the theme
  simply has nothing to say this period).
Everything else stays a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

INFO, WARNING = "info", "warning"

_SHORTENED = re.compile(r"(\d+ bullet\(s\) shortened or moved to the notes|headline shortened to fit"
                        r"|one-pager: shortened to fit one page(?: \(\d+ text\(s\) shortened\))?$)")


@lru_cache(maxsize=1)
def _by_design_drops() -> re.Pattern[str]:
    from sambrief.layouts import registry

    reasons = {flt.reason for layout in registry().values() for flt in getattr(layout, "drop_rows", ())}
    if not reasons:
        return re.compile(r"(?!x)x")
    return re.compile(r": dropped \d+ (?:" + "|".join(re.escape(r) for r in sorted(reasons)) + r")\(s\)$")


@lru_cache(maxsize=1)
def _no_data() -> re.Pattern[str]:
    """The themes' 'nothing to show, the theme is left out' texts in every language."""
    from sambrief.i18n import _catalog  # the catalogs the build has loaded already (parsed once)

    patterns = []
    for name in ("de", "en"):
        try:
            catalog = _catalog(name)
        except FileNotFoundError:
            continue
        for section in (catalog or {}).values():
            if not isinstance(section, dict):
                continue
            for key, text in section.items():
                if isinstance(text, str) and (key.startswith("no_data") or key.startswith("none")):
                    parts = re.split(r"\{[^}]*\}", text)
                    patterns.append(".*?".join(re.escape(p) for p in parts))
    return re.compile(r"^[^:]+: (?:" + "|".join(patterns) + r")$") if patterns else re.compile(r"(?!x)x")


def level(message: str, audience_has_content: bool = True) -> str:
    if _by_design_drops().search(message) or _SHORTENED.search(message):
        return INFO
    if audience_has_content and _no_data().match(message):
        return INFO
    return WARNING


def split(messages: Iterable[str], briefings: Iterable[Any] = ()) -> tuple[list[str], list[str]]:
    """(information, warnings). A theme's no-data message is information only where its
    audience's briefing still has findings."""
    empty = {key for b in briefings if not getattr(b, "findings", None) for key in (b.output_key, b.audience.key)}
    infos: list[str] = []
    warnings: list[str] = []
    for message in messages:
        key = message.split(":", 1)[0]
        (infos if level(message, key not in empty) == INFO else warnings).append(message)
    return infos, warnings
