"""The all-you-can-eat buffet: cloud seats assigned but not used, and what they cost."""

from __future__ import annotations

import pandas as pd

from sambrief.findings import Chart, Finding, ThemeResult
from sambrief.model import idle_mask, map_distinct
from sambrief.themes.base import ThemeContext, ranked


def build(ctx: ThemeContext) -> ThemeResult:
    result = ThemeResult("cloud_sprawl")
    seats = ctx.model.frame("cloud_seats")
    msg, fmt, settings = ctx.msg, ctx.fmt, ctx.settings
    if seats.empty and not ctx.audience.department:
        result.warnings.append(msg("cloud_sprawl.no_data"))
        return result
    if ctx.group_too_small("cloud_seats"):
        result.warnings.append(
            msg("common.group_too_small", theme="cloud_sprawl", group=ctx.audience.department, n=ctx.settings.min_group_size)
        )
        return result

    idle, never = idle_mask(seats, ctx.model.as_of, settings.inactive_days_for)
    known = seats["activity_known"].astype(bool)
    price = map_distinct(seats["product"], settings.seat_price)
    table = pd.DataFrame(
        {"product": seats["product"], "idle": idle, "never": never, "known": known, "price": price}
    )
    per_product = table.groupby("product").agg(
        assigned=("idle", "size"), idle=("idle", "sum"), never=("never", "sum"), price=("price", "first")
    )
    per_product["idle_cost_month"] = per_product["idle"] * per_product["price"]
    assigned = len(seats)
    n_idle = int(idle.sum())
    n_never = int(never.sum())
    n_unknown = int((~known & ~idle).sum())  # a blocked account is unused, data or not
    n_active = assigned - n_idle - n_unknown
    cost_month = float(per_product["idle_cost_month"].fillna(0).sum())
    unpriced = sorted(per_product[(per_product["idle"] > 0) & per_product["price"].isna()].index)
    share = n_idle / (assigned - n_unknown) if assigned - n_unknown else 0.0

    result.figures = {
        "seats_assigned": assigned,
        "seats_active": n_active,
        "seats_idle": n_idle,
        "seats_never_used": n_never,
        "seats_no_activity_data": n_unknown,
        "idle_share": round(share, 4),
        "idle_cost_month": round(cost_month, 2),
        "idle_cost_year": round(cost_month * 12, 2),
        "products": len(per_product),
        "users": int(seats["user_key"].nunique()),
    }
    values = dict(
        idle=fmt.count(n_idle),
        assigned=fmt.count(assigned),
        share=fmt.percent(share),
        cost_year=fmt.money_short(cost_month * 12),
        cost_month=fmt.money(cost_month),
        never=fmt.count(n_never),
        active=fmt.count(n_active),
        active_share=fmt.percent(n_active / (assigned - n_unknown) if assigned - n_unknown else 0),
        days=fmt.count(settings.inactive_days),
        unknown=fmt.count(n_unknown),
        products=fmt.count(len(per_product)),
    )
    priced = cost_month > 0
    headline = msg("cloud_sprawl.headline" if priced else "cloud_sprawl.headline_unpriced", **values)
    key_point = msg("cloud_sprawl.key_point" if priced else "cloud_sprawl.key_point_unpriced", **values)
    before = ctx.previous("cloud_sprawl.seats_idle")
    if before is not None and before != n_idle and not ctx.audience.department:
        direction = "down" if n_idle < before else "up"
        change = dict(values, delta=fmt.count(abs(n_idle - before)), since=ctx.since)
        headline = msg(f"cloud_sprawl.headline_{direction}" + ("" if priced else "_unpriced"), **change)
        key_point = msg(f"cloud_sprawl.key_point_{direction}", **change)
    if n_idle == 0:
        headline = msg("cloud_sprawl.headline_none", **values)
    bullets = []
    if n_never:
        bullets.append(msg("cloud_sprawl.bullet_never", **values))
    biggest = per_product.sort_values(["idle_cost_month", "idle"], ascending=False, na_position="last")
    if n_idle and len(biggest):
        name = biggest.index[0]
        row = biggest.iloc[0]
        if row["idle_cost_month"] == row["idle_cost_month"] and row["idle_cost_month"] > 0:
            bullets.append(
                msg("cloud_sprawl.bullet_biggest", product=name, n=fmt.count(row["idle"]),
                    cost=fmt.money(row["idle_cost_month"] * 12))
            )
        else:
            bullets.append(msg("cloud_sprawl.bullet_biggest_unpriced", product=name, n=fmt.count(row["idle"])))
    if n_unknown:
        bullets.append(msg("cloud_sprawl.bullet_unknown", **values))
    else:
        bullets.append(msg("cloud_sprawl.bullet_active", **values))

    notes = [msg("cloud_sprawl.note_definition", **values)]
    if settings.product_inactive_days:
        notes.append(
            msg("cloud_sprawl.note_thresholds",
                list=", ".join(f"{p}: {d}" for p, d in sorted(settings.product_inactive_days.items())))
        )
    notes.append(msg("cloud_sprawl.note_list_title"))
    for product, row in per_product.sort_values("idle", ascending=False).iterrows():
        cost = (
            fmt.money(row["idle_cost_month"] * 12)
            if row["price"] == row["price"] and row["price"] is not None
            else msg("cloud_sprawl.no_price")
        )
        notes.append(
            msg("cloud_sprawl.note_row", product=product, assigned=fmt.count(row["assigned"]),
                idle=fmt.count(row["idle"]), never=fmt.count(row["never"]), cost=cost)
        )
    if unpriced:
        notes.append(msg("cloud_sprawl.note_unpriced", list=", ".join(unpriced)))
    notes.append(msg("cloud_sprawl.note_buffet"))

    labels, chart_values = ranked(per_product["idle"].astype(float), ctx.top_n, msg("common.other"))
    chart = Chart("bar", tuple(labels), tuple(chart_values), msg("cloud_sprawl.series"), "count") if labels else None
    result.findings.append(
        Finding(
            theme="cloud_sprawl",
            key="cloud_sprawl.idle",
            headline=headline,
            bullets=bullets[:3],
            notes=notes,
            source=ctx.source_line("cloud_seats"),
            key_point=key_point,
            chart=chart,
            priority=20,
        )
    )
    result.achieved.append(msg("cloud_sprawl.achieved", **values))
    if n_idle:
        result.remaining.append(msg("cloud_sprawl.remaining" if priced else "cloud_sprawl.remaining_unpriced", **values))
    return result
