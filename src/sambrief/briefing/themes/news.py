"""The news flash: the current items of news.yaml for this audience."""

from __future__ import annotations

import re

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Finding, ThemeResult
from sambrief.briefing.themes.base import ThemeContext
from sambrief.text import shorten

KEY = "news"  # the theme's name in audiences.yaml
ORDER = 90  # place in `sambrief history` and "what changed"
DATASETS = ()  # what it reads: `sambrief explain` lists these exports
FIGURES = declare("news", ("items", "count", {"de": "aktuelle Meldungen", "en": "current news items"}))

ON_SLIDE = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CLAUSE_END = re.compile(r",\s| – ")


def sentences(text: str, limit: int) -> str:
    """As many whole sentences as fit; else the first clause (up to a comma or dash) when it
    says enough; else nothing: the slide shows the title and the notes the full text."""
    kept = ""
    for sentence in _SENTENCE_END.split(text.strip()):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if kept:
        return kept
    clauses = [m.start() for m in _CLAUSE_END.finditer(text[: limit + 1])]
    return text[: clauses[-1]].rstrip() + " …" if clauses and clauses[-1] >= limit * 0.4 else ""


def build(ctx: ThemeContext) -> ThemeResult:
    result = ThemeResult("news")
    msg, fmt = ctx.msg, ctx.fmt
    items = [n for n in ctx.model.news if n.current(ctx.model.as_of) and n.for_audience(ctx.audience.key)]
    result.figures = {"items": len(items)}
    if not items:
        result.warnings.append(msg("news.no_data"))
        return result
    bullets = []
    for n in items[:ON_SLIDE]:
        text = sentences(n.text, 115 - min(len(n.title), 70)) if n.text else ""
        title = shorten(n.title, 70)
        # The text is a sentence of its own ("Das Audit endete …"): a colon reads right, a dash does not.
        joiner = " – " if ":" in title else ": "
        bullets.append(f"{title}{joiner}{text}" if text else shorten(n.title, 115))
    notes = [msg("news.note")] + [f"– {fmt.date(n.date)}: {n.title}. {n.text}".strip() for n in items]
    if len(items) > ON_SLIDE:
        notes.insert(1, msg("news.note_more", n=len(items) - ON_SLIDE))
    headline = msg("news.headline", n=len(items), title=shorten(items[0].title, 70))
    result.findings.append(
        Finding(
            theme="news", key="news.flash", headline=headline, bullets=bullets, notes=notes, source=msg("common.source", list="news.yaml"),
            key_point=msg("news.key_point", title=shorten(items[0].title, 90)), priority=35,
            keep_bullets=ON_SLIDE, list_total=len(items),
        )
    )
    return result
