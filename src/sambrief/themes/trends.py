"""The trend slide: where at least three periods exist, the audience's lead figure as a native
line chart over the months, and the other watched figures as 'before → now' bullets."""

from __future__ import annotations

from datetime import date
from typing import Any

from sambrief.findings import Chart, Finding
from sambrief.themes.base import ThemeContext

# theme -> (figure, value kind, message key); the audience's first theme with a series leads.
SERIES = {
    "risk": ("risk.exposure_total", "money", "trends.exposure"),
    "cloud_sprawl": ("cloud_sprawl.seats_idle", "count", "trends.idle"),
    "lifecycle": ("lifecycle.median_days", "days", "trends.lead_time"),
    "successes": ("successes.savings_ytd", "money", "trends.savings"),
    "procurement": ("procurement.pending", "count", "trends.pending"),
}
MIN_PERIODS = 3


def series(ctx: ThemeContext, key: str, current: dict[str, Any]) -> list[tuple[str, float]]:
    points = [(p, float(f[key])) for p, f in sorted(ctx.model.history.items()) if isinstance(f.get(key), (int, float))]
    if isinstance(current.get(key), (int, float)):
        points.append((str(ctx.model.period), float(current[key])))
    return points[-12:]


def build(ctx: ThemeContext, current: dict[str, Any]) -> Finding | None:
    msg, fmt = ctx.msg, ctx.fmt
    available = [(theme, SERIES[theme]) for theme in ctx.audience.themes if theme in SERIES]
    lead = next(((t, s) for t, s in available if len(series(ctx, s[0], current)) >= MIN_PERIODS), None)
    if lead is None:
        return None
    _, (key, kind, message) = lead
    points = series(ctx, key, current)
    show = {"money": lambda v: fmt.money_short(v, 2), "count": fmt.count, "days": fmt.number}
    labels = [fmt.month_short(date(int(p[:4]), int(p[5:]), 1)) + " " + p[2:4] for p, _ in points]
    first, last = points[0][1], points[-1][1]
    first_label = fmt.month(date(int(points[0][0][:4]), int(points[0][0][5:]), 1))
    direction = "down" if last < first else ("up" if last > first else "same")
    headline = msg(f"{message}_{direction}", since=first_label, first=show[kind](first), now=show[kind](last),
                   delta=show[kind](abs(last - first)))
    bullets = []
    for theme, (other, other_kind, other_message) in available:
        if other == key:
            continue
        values = series(ctx, other, current)
        if len(values) >= 2:
            path = " → ".join(show[other_kind](v) for _, v in values[-3:])
            bullets.append(msg("trends.bullet", what=msg(f"{other_message}_label"), path=path))
    notes = [msg("trends.note")] + [f"– {p}: {show[kind](v)}" for p, v in points]
    return Finding(
        theme="trends", key="trends.lead", headline=headline, bullets=bullets[:3], notes=notes,
        source=msg("trends.source"), key_point="", priority=42,
        chart=Chart("line", tuple(labels), tuple(v for _, v in points), msg(f"{message}_label"),
                    "money" if kind == "money" else "count"),
    )
