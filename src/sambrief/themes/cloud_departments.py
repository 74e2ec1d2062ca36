"""Unused cloud seats per department (IT/ITSM). Every group shown has at least
`privacy.min_group_size` people: small departments are merged (see k_anonymous_groups)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sambrief.figures import declare
from sambrief.findings import Chart, Finding, ThemeResult
from sambrief.themes.base import ThemeContext, k_anonymous_groups

# Internal keys of the two buckets (never a department's name: exports cannot hold NUL).
MERGED, NO_DEPARTMENT = "\0merged", "\0none"

KEY = "cloud_departments"  # the theme's name in audiences.yaml
ORDER = 110  # place in `sambrief history` and "what changed"
DATASETS = ("cloud_seats",)  # what it reads: `sambrief explain` lists these exports
FIGURES = declare(
    "cloud_departments",
    ("departments", "count", {"de": "einzeln ausgewiesene Abteilungen", "en": "departments shown on their own"}),
    ("departments_merged", "count", {"de": "zusammengefasste kleine Abteilungen", "en": "small departments merged"}),
    ("departments_left_out", "count", {"de": "nicht ausgewiesene kleine Abteilungen", "en": "small departments not shown"}),
    ("top_idle_share", "share", {"de": "höchster Anteil ungenutzter Lizenzen einer Abteilung", "en": "highest share of unused seats of a department"}),
    ("top_idle", "count", {"de": "ungenutzte Lizenzen dieser Abteilung", "en": "unused seats of that department"}),
    ("lowest_idle_share", "share", {"de": "niedrigster Anteil ungenutzter Lizenzen einer Abteilung", "en": "lowest share of unused seats of a department"}),
    ("min_group_size", "count", {"de": "Mindestgröße einer ausgewiesenen Gruppe", "en": "minimum size of a group shown"}),
)


def build(ctx: ThemeContext) -> ThemeResult:
    result = ThemeResult("cloud_departments")
    msg, fmt, settings = ctx.msg, ctx.fmt, ctx.settings
    seats = ctx.model.frame("cloud_seats")
    # Each distinct department text stripped once; rows take theirs by code ("" where none).
    codes, names = pd.factorize(seats["department"], use_na_sentinel=True)
    stripped = np.array([str(n).strip() for n in names] + [""], dtype=object)
    if seats.empty or not any(stripped):
        result.warnings.append(msg("cloud_departments.no_data"))
        return result
    department = pd.Series(stripped[codes], index=seats.index, dtype=object)
    minimum = settings.min_group_size
    idle, _ = ctx.model.idle_seats(settings)
    group = k_anonymous_groups(department, seats["user_key"], minimum, MERGED, NO_DEPARTMENT)
    table = pd.DataFrame({"group": group, "idle": idle.astype(bool), "user": seats["user_key"]}).dropna(subset=["group"])
    per = table.groupby("group").agg(idle=("idle", "sum"), seats=("idle", "size"))
    per["share"] = per["idle"] / per["seats"]
    named = per.drop(index=[MERGED, NO_DEPARTMENT], errors="ignore").sort_values("share", ascending=False, kind="stable")
    in_merged = int(department[group == MERGED].nunique())
    left_out = int(department[group.isna() & (department != "")].nunique())
    result.figures = {"departments": len(named), "departments_merged": in_merged, "departments_left_out": left_out}
    if named.empty:
        result.warnings.append(msg("cloud_departments.too_small", n=minimum))
        return result
    labels = {MERGED: msg("cloud_departments.merged_label"), NO_DEPARTMENT: msg("cloud_departments.no_department_label")}
    top = named.index[0]
    result.figures.update({"top_idle_share": round(float(named.loc[top, "share"]), 4), "top_idle": int(named.loc[top, "idle"]),
                           "lowest_idle_share": round(float(named["share"].iloc[-1]), 4), "min_group_size": minimum})
    values = dict(dept=str(top), share=fmt.percent(float(named.loc[top, "share"])), n=fmt.count(named.loc[top, "idle"]),
                  min=fmt.count(minimum))
    bullets = [msg("cloud_departments.bullet_top", **values)]
    if len(named) > 1:  # only named departments are ranked, never a bucket
        best = named.index[-1]
        bullets.append(msg("cloud_departments.bullet_best", dept=str(best), share=fmt.percent(float(named.loc[best, "share"]))))
    if in_merged:
        bullets.append(msg("cloud_departments.bullet_merged", count=fmt.count(in_merged), label=labels[MERGED], **values))
    # The chart shows the share per group (as the headline): the ranked departments, then the buckets.
    rows = list(named.index[: ctx.top_n]) + [b for b in (MERGED, NO_DEPARTMENT) if b in per.index]
    notes = [msg("cloud_departments.note", **values)] + [
        f"– {labels.get(g, g)}: {fmt.count(per.loc[g, 'idle'])} / {fmt.count(per.loc[g, 'seats'])}"
        for g in list(named.index) + [b for b in (MERGED, NO_DEPARTMENT) if b in per.index]
    ]
    if group.isna().any():
        notes.append(msg("cloud_departments.note_left_out", **values))  # no count: it would describe the small group
    result.findings.append(
        Finding(
            theme="cloud_departments", key="cloud_departments.idle", headline=msg("cloud_departments.headline", **values),
            bullets=bullets[:3], notes=notes, source=ctx.source_line("cloud_seats"),
            key_point=msg("cloud_departments.key_point", **values),
            chart=Chart("bar", tuple(labels.get(g, str(g)) for g in rows), tuple(float(per.loc[g, "share"]) for g in rows),
                        msg("cloud_departments.series"), "percent"),
            priority=28,
        )
    )
    return result
