"""The news flash: the current items of news.yaml for this audience."""

from __future__ import annotations

import re

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import ThemeResult
from sambrief.briefing.themes.base import PER_AUDIENCE, ThemeContext
from sambrief.text import shorten

KEY = "news"  # the theme's name in audiences.yaml
DATASETS = ()  # what it reads: `sambrief explain` lists these exports
AUDIENCE = PER_AUDIENCE  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(KEY, ("items", "count", {"de": "aktuelle Meldungen", "en": "current news items"}))

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
    result = ctx.result()
    msg, fmt = ctx.msg, ctx.fmt
    items = [n for n in ctx.model.news if n.current(ctx.model.as_of) and n.for_audience(ctx.audience.key)]
    result.figures = {"items": len(items)}
    if not items:
        result.warnings.append(ctx.text("no_data"))
        return result
    bullets = []
    for n in items[:ON_SLIDE]:
        text = sentences(n.text, 115 - min(len(n.title), 70)) if n.text else ""
        title = shorten(n.title, 70)
        # The text is a sentence of its own ("Das Audit endete …"): a colon reads right, a dash does not.
        joiner = " – " if ":" in title else ": "
        bullets.append(f"{title}{joiner}{text}" if text else shorten(n.title, 115))
    notes = [ctx.text("note")] + [f"– {fmt.date(n.date)}: {n.title}. {n.text}".strip() for n in items]
    if len(items) > ON_SLIDE:
        notes.insert(1, ctx.text("note_more", n=len(items) - ON_SLIDE))
    headline = ctx.text("headline", n=len(items), title=shorten(items[0].title, 70))
    result.findings.append(
        ctx.finding(
            "flash",
            headline=headline,
            bullets=bullets,
            notes=notes,
            source=msg("common.source", list="news.yaml"),
            key_point=ctx.text("key_point", title=shorten(items[0].title, 90)),
            priority=35,
            keep_bullets=ON_SLIDE,
            list_total=len(items),
        )
    )
    return result
