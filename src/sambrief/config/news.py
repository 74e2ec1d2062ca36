"""news.yaml: the news flash the SAM team keeps by hand (date, title, text, audiences, valid until)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sambrief.text import clean_text


@dataclass(frozen=True)
class NewsItem:
    date: date
    title: str
    text: str
    audiences: tuple[str, ...] = ()
    valid_until: _dt.date | None = None

    def current(self, as_of: _dt.date) -> bool:
        return self.date <= as_of and (self.valid_until is None or self.valid_until >= as_of)

    def for_audience(self, key: str) -> bool:
        return not self.audiences or key.casefold() in {a.casefold() for a in self.audiences}


def read_news(path: Path | None) -> list[NewsItem]:
    """Read news.yaml, validated by its schema (sambrief.config.schema.NewsFile)."""
    if path is None:
        return []
    from sambrief.config.loading import load_file
    from sambrief.config.schema import NewsFile

    news = load_file(path, NewsFile)
    out = [
        NewsItem(item.date, clean_text(item.title), clean_text(item.text), tuple(item.audiences), item.valid_until)
        for item in news.items
    ]
    return sorted(out, key=lambda n: n.date, reverse=True)
