"""Message levels: information about documented, expected behaviour versus warnings about
what may make a briefing wrong or incomplete. `--strict` fails on warnings only.

Information:
- rows a layout leaves out by design (`dropped 3 rows (deleted user)` from a Microsoft 365 export);
- text shortened or moved to the speaker notes so that it fits (the full text is kept there);
- a theme without data in an audience whose briefing still has other findings (the theme
  simply has nothing to say this period).
Everything else stays a warning.

The library's own messages are `Notice`s that carry their level (set where they are made, by
catalog key), so the language they are printed in never changes the level. A theme's message
is text in the briefing's language; its no-data texts are recognised from the catalogs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sambrief.i18n.notices import INFO, WARNING, Notice

__all__ = ["INFO", "WARNING", "level", "split"]


@lru_cache(maxsize=1)
def _no_data() -> re.Pattern[str]:
    """The themes' 'nothing to show, the theme is left out' texts in every language."""
    from sambrief.i18n.catalog import _catalog  # the catalogs the build has loaded already (parsed once)

    patterns = []
    for name in ("de", "en"):
        try:
            catalog = _catalog(name)
        except FileNotFoundError:
            continue
        for section_name, section in (catalog or {}).items():
            if not isinstance(section, dict) or section_name == "notices":
                continue
            for key, text in section.items():
                if isinstance(text, str) and (key.startswith("no_data") or key.startswith("none")):
                    parts = re.split(r"\{[^}]*\}", text)
                    patterns.append(".*?".join(re.escape(p) for p in parts))
    return re.compile(r"^[^:]+: (?:" + "|".join(patterns) + r")$") if patterns else re.compile(r"(?!x)x")


def level(message: str, audience_has_content: bool = True) -> str:
    if isinstance(message, Notice):
        return message.level
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
