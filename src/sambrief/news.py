"""news.yaml: the news flash the SAM team keeps by hand (date, title, text, audiences, valid until)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from sambrief.errors import ConfigError
from sambrief.parsing import parse_date
from sambrief.text import clean_text


@dataclass(frozen=True)
class NewsItem:
    date: date
    title: str
    text: str
    audiences: tuple[str, ...] = ()
    valid_until: date | None = None

    def current(self, as_of: date) -> bool:
        return self.date <= as_of and (self.valid_until is None or self.valid_until >= as_of)

    def for_audience(self, key: str) -> bool:
        return not self.audiences or key.casefold() in {a.casefold() for a in self.audiences}


def read_news(path: Path | None) -> list[NewsItem]:
    """Read and validate news.yaml; every problem is reported with its key path."""
    if path is None:
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise ConfigError([f"{where}invalid YAML ({getattr(exc, 'problem', exc)})"], str(path)) from None
    items = raw.get("items", []) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise ConfigError(["expected `items:` with a list of news items"], str(path))
    problems: list[str] = []
    out: list[NewsItem] = []
    for i, item in enumerate(items):
        where = f"items[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping with date, title, text")
            continue
        day = _date(item.get("date"), f"{where}.date", problems, required=True)
        until = _date(item.get("valid_until"), f"{where}.valid_until", problems)
        title = clean_text(item.get("title", ""))
        if not title:
            problems.append(f"{where}.title: is required")
        audiences = item.get("audiences") or []
        if isinstance(audiences, str):
            audiences = [a.strip() for a in audiences.split(",")]
        if day and title:
            out.append(NewsItem(day, title, clean_text(item.get("text", "")), tuple(str(a) for a in audiences), until))
    if problems:
        raise ConfigError(problems, str(path))
    return sorted(out, key=lambda n: n.date, reverse=True)


def _date(value: object, where: str, problems: list[str], required: bool = False) -> date | None:
    if value is None or value == "":
        if required:
            problems.append(f"{where}: is required (YYYY-MM-DD)")
        return None
    try:
        return parse_date(value)
    except ValueError:
        problems.append(f"{where}: not a date: {value!r} (use YYYY-MM-DD)")
        return None
