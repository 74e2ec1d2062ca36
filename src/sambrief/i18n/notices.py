"""Warnings and information the library reports: a catalog key with its values, not a text.

A `Notice` is a `str` (its English text, so logs, the manifest and `--json` stay readable and
stable) that also keeps the catalog key (`notices.*`), its values and its level. The command
line prints it in the workspace language (or `--lang`) with `in_language`; `levels` classifies
by the key, so a translation can never change what `--strict` fails on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sambrief.text import closest

INFO, WARNING = "info", "warning"


class Notice(str):
    key: str
    values: dict[str, Any]
    level: str

    def __new__(cls, key: str, level: str = WARNING, **values: Any) -> Notice:
        self = super().__new__(cls, _render("en", key, values))
        self.key, self.values, self.level = key, values, level
        return self

    def __reduce__(self):  # pickling (multiprocessing, caches) keeps key, level and values
        return (_rebuild, (self.key, self.level, self.values))

    def in_language(self, language: str) -> str:
        return _render(language, self.key, self.values)


def _rebuild(key: str, level: str, values: dict[str, Any]) -> Notice:
    return Notice(key, level, **values)


def _render(language: str, key: str, values: dict[str, Any]) -> str:
    from sambrief.i18n.catalog import Messages

    filled = {name: _value(value, language) for name, value in values.items()}
    return Messages(language)(f"notices.{key}", **filled)


class Count(int):
    """A number a notice shows as the language writes it ('1.234' / '1,234'): a row or cell
    count, not a year or a row number."""


@dataclass(frozen=True)
class Joined:
    """Values a notice joins with another separator than ', ' (a file's problems: '; ')."""

    items: tuple[Any, ...]
    separator: str = "; "


def _value(value: Any, language: str) -> Any:
    """A notice inside a notice (a place, a reason) in the same language; a list of them joined."""
    if isinstance(value, Joined):
        return value.separator.join(str(_value(v, language)) for v in value.items)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_value(v, language)) for v in value)
    if isinstance(value, Count):
        from babel.numbers import format_decimal

        from sambrief.i18n.catalog import LOCALES

        return format_decimal(int(value), locale=LOCALES[language])
    return value.in_language(language) if hasattr(value, "in_language") else value  # a notice, a layout's title


def unknown(key: str, word: object, among: Iterable[object], /, fold: bool = False, **values: Any) -> Notice:
    """A word the tool does not know: notice `<key>_near` with the nearest of `among` as `near`
    (quoted) when there is one, else `<key>`; both get `values`."""
    near = closest(word, among, fold=fold)
    return Notice(f"{key}_near", near=repr(near[0]), **values) if near else Notice(key, **values)


def in_language(message: str, language: str) -> str:
    """A notice in the language; any other message (a theme's, already written in the
    briefing's language) as it is."""
    return message.in_language(language) if isinstance(message, Notice) else message


def reason(text: str) -> Notice:
    """Why rows were left out (a layout's `reason`, `no <field>`, ...), translated where the
    catalog knows the reason; a reason from a user's own layout stays as written."""
    from sambrief.i18n.catalog import Messages

    if text.startswith("no ") and " " not in text[3:]:
        return Notice("reason_no_field", field=text[3:])
    try:
        Messages("en").raw(f"notices.reasons.{text}")
    except KeyError:
        return Notice("reason_other", reason=text)
    return Notice(f"reasons.{text}")
