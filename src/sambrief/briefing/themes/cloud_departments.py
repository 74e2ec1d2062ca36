"""Unused cloud seats per department (IT/ITSM). Which departments are shown on their own is
the period's disclosure plan (sambrief.model.disclosure): every part of the people that two
published numbers can single out holds at least `privacy.min_group_size` people; the rest is
one bucket, so the list always adds up to the totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import SHARED, ThemeContext
from sambrief.model.disclosure import NONE, GroupPlan, group_keys, period_plan, profile_of

MERGED = "\0merged"  # internal key of the bucket (never a department's name: exports cannot hold NUL)

KEY = "cloud_departments"  # the theme's name in audiences.yaml
DATASETS = ("cloud_seats",)  # what it reads: `sambrief explain` lists these exports
AUDIENCE = SHARED  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(
    KEY,
    ("departments", "count", {"de": "einzeln ausgewiesene Abteilungen", "en": "departments shown on their own"}),
    ("departments_merged", "count", {"de": "zusammengefasste kleine Abteilungen", "en": "small departments merged"}),
    (
        "departments_left_out",
        "count",
        {"de": "nicht ausgewiesene kleine Abteilungen", "en": "small departments not shown"},
    ),
    (
        "top_idle_share",
        "share",
        {
            "de": "höchster Anteil ungenutzter Lizenzen einer Abteilung",
            "en": "highest share of unused seats of a department",
        },
    ),
    ("top_idle", "count", {"de": "ungenutzte Lizenzen dieser Abteilung", "en": "unused seats of that department"}),
    (
        "lowest_idle_share",
        "share",
        {
            "de": "niedrigster Anteil ungenutzter Lizenzen einer Abteilung",
            "en": "lowest share of unused seats of a department",
        },
    ),
    (
        "min_group_size",
        "count",
        {"de": "Mindestgröße einer ausgewiesenen Gruppe", "en": "minimum size of a group shown"},
    ),
)


def seat_plan(ctx: ThemeContext, codes: np.ndarray, keys: list[str]) -> GroupPlan:
    """The period's plan for the seat holders, or (a briefing composed on its own) one made from this model."""
    if ctx.disclosure is not None and "cloud_seats" in ctx.disclosure.plans:
        return ctx.disclosure.plans["cloud_seats"]
    return period_plan(
        profile_of(codes, keys, ctx.model.frame("cloud_seats")["user_key"]), ctx.settings.min_group_size, chart=True
    )


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    fmt, settings = ctx.fmt, ctx.settings
    withheld = ctx.withheld_warning("cloud_seats")
    if withheld:
        result.warnings.append(withheld)
        return result
    seats = ctx.model.frame("cloud_seats")
    codes, keys, names = group_keys(seats["department"])
    if seats.empty or set(names) <= {NONE}:  # no department at all (no column, or every cell empty)
        result.warnings.append(ctx.text("no_data"))
        return result
    if not seats["activity_known"].astype(bool).any():  # shares of unused seats are unknown, not 0 %
        result.warnings.append(ctx.text("no_data_activity"))
        return result
    minimum = settings.min_group_size
    idle, _ = ctx.model.idle_seats(settings)
    plan = seat_plan(ctx, codes, keys)
    # Each row's group: its department where shown on its own, else the one bucket (decided per key).
    per_key = np.array([k if k in plan.shown else MERGED for k in keys], dtype=object)
    table = pd.DataFrame({"group": per_key[codes], "idle": idle.to_numpy(dtype=bool)}, index=seats.index)
    per = table.groupby("group").agg(idle=("idle", "sum"), seats=("idle", "size"))
    per["share"] = per["idle"] / per["seats"]
    named = per.drop(index=[MERGED, NONE], errors="ignore").sort_values("share", ascending=False, kind="stable")
    in_bucket = sorted(set(np.asarray(keys, dtype=object)[np.unique(codes)]) - plan.shown)
    merged_departments = [g for g in in_bucket if g != NONE]
    result.figures = {
        "departments": len(named),
        "departments_merged": len(merged_departments),
        "departments_left_out": 0,
    }
    if named.empty:
        result.warnings.append(ctx.text("too_small", n=minimum))
        return result
    # The bucket says what it holds: small departments, people without a department, or both.
    bucket_label = ctx.text(
        "merged_with_none_label"
        if NONE in in_bucket and merged_departments
        else "merged_label"
        if merged_departments
        else "no_department_label"
    )
    labels = {MERGED: bucket_label, NONE: ctx.text("no_department_label")} | {g: names[g] for g in named.index}
    top = named.index[0]
    result.figures.update(
        {
            "top_idle_share": round(float(named.loc[top, "share"]), 4),
            "top_idle": int(named.loc[top, "idle"]),
            "lowest_idle_share": round(float(named["share"].iloc[-1]), 4),
            "min_group_size": minimum,
        }
    )
    values = dict(
        dept=labels[top],
        share=fmt.percent(float(named.loc[top, "share"])),
        n=fmt.count(named.loc[top, "idle"]),
        min=fmt.count(minimum),
    )
    bullets = [ctx.text("bullet_top", **values)]
    if len(named) > 1:  # only named departments are ranked, never a bucket
        best = named.index[-1]
        bullets.append(ctx.text("bullet_best", dept=labels[best], share=fmt.percent(float(named.loc[best, "share"]))))
    if merged_departments:
        bullets.append(
            ctx.text("bullet_merged", count=fmt.count(len(merged_departments)), label=bucket_label, **values)
        )
    # The chart shows the share per group (as the headline): the ranked departments, then the buckets.
    buckets = [b for b in (NONE, MERGED) if b in per.index]
    rows = list(named.index[: ctx.top_n]) + buckets
    notes = [ctx.text("note", **values)] + [
        f"– {labels[g]}: {fmt.count(per.loc[g, 'idle'])} / {fmt.count(per.loc[g, 'seats'])}"
        for g in list(named.index) + buckets
    ]
    if MERGED in per.index:
        notes.append(ctx.text("note_bucket", label=bucket_label, **values))
    result.published["cloud_seats"] = (
        [frozenset({g}) for g in named.index]
        + ([frozenset({NONE})] if NONE in per.index else [])
        + ([frozenset(in_bucket)] if in_bucket else [])
    )
    result.findings.append(
        ctx.finding(
            "idle",
            headline=ctx.text("headline", **values),
            bullets=bullets[:3],
            notes=notes,
            source=ctx.source_line("cloud_seats"),
            key_point=ctx.text("key_point", **values),
            chart=Chart(
                "bar",
                tuple(labels[g] for g in rows),
                tuple(float(per.loc[g, "share"]) for g in rows),
                ctx.text("series"),
                "percent",
            ),
            priority=28,
        )
    )
    return result
