"""The trend slide: where at least three periods exist, the audience's lead figure as a native
line chart over the months, and the other trend figures as 'before → now' bullets.

Which figures have a series comes from the figure registry (`trend=True`); the lead is the
first trend figure of the audience's first theme that has three periods."""

from __future__ import annotations

from datetime import date
from typing import Any

from sambrief.briefing import figures as registry
from sambrief.briefing.findings import Chart, Finding
from sambrief.briefing.themes.base import ThemeContext

MIN_PERIODS = 3


def series(
    ctx: ThemeContext, key: str, current: dict[str, Any], past: dict[str, dict] | None = None
) -> list[tuple[str, float]]:
    """Earlier periods (this audience's own where known: registers filter per audience), then now."""
    history = ctx.model.history if past is None else past
    points = [
        (p, float(f[key]))
        for p, f in sorted(history.items())
        if p < str(ctx.model.period) and isinstance(f.get(key), (int, float))
    ]
    if isinstance(current.get(key), (int, float)):
        points.append((str(ctx.model.period), float(current[key])))
    return points[-12:]


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def build(ctx: ThemeContext, current: dict[str, Any], past: dict[str, dict] | None = None) -> Finding | None:
    msg, fmt = ctx.msg, ctx.fmt
    available = [f for theme in ctx.audience.themes for f in registry.trend_figures() if f.theme == theme]
    lead = next((f for f in available if len(series(ctx, f.key, current, past)) >= MIN_PERIODS), None)
    if lead is None:
        return None
    points = series(ctx, lead.key, current, past)
    labels = [fmt.month_short(date(int(p[:4]), int(p[5:]), 1)) + " " + p[2:4] for p, _ in points]
    first, last = points[0][1], points[-1][1]
    first_label = fmt.month(date(int(points[0][0][:4]), int(points[0][0][5:]), 1))
    direction = "down" if last < first else ("up" if last > first else "same")
    what = _sentence_start(lead.label_in(ctx.language))
    headline = msg(
        f"trends.{direction}",
        what=what,
        since=first_label,
        first=lead.format(first, fmt, unit=False),
        now=lead.format(last, fmt),
    )
    bullets = []
    for other in available:
        if other.key == lead.key:
            continue
        values = series(ctx, other.key, current, past)
        if len(values) >= 2:
            path = " → ".join(other.format(v, fmt, unit=False) for _, v in values[-3:])
            bullets.append(msg("trends.bullet", what=_sentence_start(other.label_in(ctx.language)), path=path))
    notes = [msg("trends.note")] + [f"– {p}: {lead.format(v, fmt)}" for p, v in points]
    return Finding(
        theme="trends",
        key="trends.lead",
        headline=headline,
        bullets=bullets[:3],
        notes=notes,
        source=msg("trends.source"),
        key_point="",
        priority=42,
        figures=tuple(dict.fromkeys([lead.key] + [o.key for o in available])),
        chart=Chart(
            "line",
            tuple(labels),
            tuple(v for _, v in points),
            what,
            "money" if lead.kind in ("money", "money_per_year") else "percent" if lead.kind == "share" else "count",
        ),
    )
