"""Unused cloud seats per department (IT/ITSM), with small departments merged for privacy."""

from __future__ import annotations

import pandas as pd

from sambrief.findings import Chart, Finding, ThemeResult
from sambrief.model import idle_mask
from sambrief.themes.base import ThemeContext, merge_small_groups
from sambrief.figures import declare

FIGURES = declare(
    "cloud_departments",
    ("departments", "count", {"de": "einzeln ausgewiesene Abteilungen", "en": "departments shown on their own"}),
    ("departments_merged", "count", {"de": "zusammengefasste kleine Abteilungen", "en": "small departments merged"}),
    ("top_idle_share", "share", {"de": "höchster Anteil ungenutzter Lizenzen einer Abteilung", "en": "highest share of unused seats of a department"}),
    ("top_idle", "count", {"de": "ungenutzte Lizenzen dieser Abteilung", "en": "unused seats of that department"}),
    ("lowest_idle_share", "share", {"de": "niedrigster Anteil ungenutzter Lizenzen einer Abteilung", "en": "lowest share of unused seats of a department"}),
    ("min_group_size", "count", {"de": "Mindestgröße einer ausgewiesenen Gruppe", "en": "minimum size of a group shown"}),
)


def build(ctx: ThemeContext) -> ThemeResult:
    result = ThemeResult("cloud_departments")
    msg, fmt, settings = ctx.msg, ctx.fmt, ctx.settings
    seats = ctx.model.frame("cloud_seats")
    if seats.empty or seats["department"].map(lambda d: not d).all():
        result.warnings.append(msg("cloud_departments.no_data"))
        return result
    idle, _ = idle_mask(seats, ctx.model.as_of, settings.inactive_days_for)
    other = msg("common.other")
    dept = seats["department"].map(lambda d: d if d else other)
    table = pd.DataFrame({"department": dept, "idle": idle, "user": seats["user_key"]})
    per = table.groupby("department").agg(idle=("idle", "sum"), seats=("idle", "size"), people=("user", "nunique"))
    shares = (per["idle"] / per["seats"]).rename("share")
    merged_idle = merge_small_groups(per["idle"].astype(float), per["people"], settings.min_group_size, other)
    merged_seats = merge_small_groups(per["seats"].astype(float), per["people"], settings.min_group_size, other)
    merged_share = (merged_idle / merged_seats.reindex(merged_idle.index)).fillna(0)
    hidden = int((per["people"] < settings.min_group_size).sum())
    result.figures = {"departments": int((per["people"] >= settings.min_group_size).sum()), "departments_merged": hidden}
    shown = shares[per["people"] >= settings.min_group_size].sort_values(ascending=False)
    if shown.empty:
        result.warnings.append(msg("cloud_departments.too_small", n=settings.min_group_size))
        return result
    result.figures.update({"top_idle_share": round(float(shown.iloc[0]), 4), "top_idle": int(per.loc[shown.index[0], "idle"]),
                           "lowest_idle_share": round(float(shown.iloc[-1]), 4), "min_group_size": settings.min_group_size})
    values = dict(dept=str(shown.index[0]), share=fmt.percent(float(shown.iloc[0])), n=fmt.count(per.loc[shown.index[0], "idle"]),
                  min=fmt.count(settings.min_group_size))
    bullets = [msg("cloud_departments.bullet_top", **values)]
    if len(shown) > 1:
        bullets.append(msg("cloud_departments.bullet_best", dept=str(shown.index[-1]), share=fmt.percent(float(shown.iloc[-1]))))
    if hidden:
        bullets.append(msg("cloud_departments.bullet_merged", count=fmt.count(hidden), **values))
    # The chart shows the share per department (as the headline); never an 'other' of shares.
    ordered = merged_share.drop(index=[other], errors="ignore").sort_values(ascending=False)
    labels = [str(d) for d in ordered.index[: ctx.top_n]]
    counts = [float(v) for v in ordered.values[: ctx.top_n]]
    if other in merged_share.index and hidden:
        labels.append(other)
        counts.append(float(merged_share[other]))
    notes = [msg("cloud_departments.note", **values)] + [
        f"– {d}: {fmt.count(per.loc[d, 'idle'])} / {fmt.count(per.loc[d, 'seats'])}" for d in shown.index
    ]
    result.findings.append(
        Finding(
            theme="cloud_departments", key="cloud_departments.idle", headline=msg("cloud_departments.headline", **values),
            bullets=bullets[:3], notes=notes, source=ctx.source_line("cloud_seats"),
            key_point=msg("cloud_departments.key_point", **values),
            chart=Chart("bar", tuple(labels), tuple(counts), msg("cloud_departments.series"), "percent"), priority=28,
        )
    )
    return result
