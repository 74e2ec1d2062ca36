"""Opportunities: money that can be freed, stated as potential (not yet realised)."""

from __future__ import annotations

from datetime import timedelta

from sambrief.findings import Chart, Finding, ThemeResult
from sambrief.model import idle_mask, map_distinct
from sambrief.text import shorten
from sambrief.themes.base import ThemeContext

RENEWAL_DAYS = 90


def build(ctx: ThemeContext) -> ThemeResult:
    result = ThemeResult("opportunities")
    msg, fmt, settings = ctx.msg, ctx.fmt, ctx.settings
    lp = ctx.model.frame("license_position")
    seats = ctx.model.frame("cloud_seats")
    as_of = ctx.model.as_of

    surplus = lp.assign(value=(lp["surplus"] * lp["unit_price"]).fillna(0)) if not lp.empty else lp
    surplus_value = float(surplus["value"].sum()) if not lp.empty else 0.0
    idle_year = 0.0
    if not seats.empty:
        idle, _ = idle_mask(seats, as_of, settings.inactive_days_for)
        prices = map_distinct(seats["product"], settings.seat_price).astype(float)
        idle_year = float((prices[idle].fillna(0)).sum() * 12)
    renewals = lp.iloc[0:0]
    if not lp.empty:
        due = lp["renewal_date"].map(lambda d: d is not None and d == d and as_of <= d <= as_of + timedelta(days=RENEWAL_DAYS))
        renewals = lp[due]
    renewal_value = float((renewals["entitlements"] * renewals["unit_price"]).fillna(0).sum()) if len(renewals) else 0.0

    result.figures = {
        "surplus_value": round(surplus_value, 2),
        "idle_saving_year": round(idle_year, 2),
        "renewals_90d": len(renewals),
        "renewals_value": round(renewal_value, 2),
        "total_potential": round(surplus_value + idle_year, 2),
    }
    if lp.empty and seats.empty:
        result.warnings.append(msg("opportunities.no_data"))
        return result
    if surplus_value + idle_year <= 0 and not len(renewals):
        result.warnings.append(msg("opportunities.none"))
        return result
    values = dict(
        total=fmt.money_short(surplus_value + idle_year),
        surplus=fmt.money_short(surplus_value),
        idle=fmt.money_short(idle_year),
        renewals=fmt.count(len(renewals)),
        renewal_value=fmt.money_short(renewal_value),
    )
    bullets = []
    if surplus_value > 0:
        top = surplus.sort_values("value", ascending=False).iloc[0]
        bullets.append(msg("opportunities.bullet_surplus", product=shorten(str(top["product"]), 40),
                           n=fmt.count(top["surplus"]), value=fmt.money(top["value"])))
    if idle_year > 0:
        bullets.append(msg("opportunities.bullet_idle", **values))
    if len(renewals):
        bullets.append(msg("opportunities.bullet_renewals", n=len(renewals), **values))
    notes = [msg("opportunities.note_definition", days=RENEWAL_DAYS)]
    if surplus_value > 0:
        notes.append(msg("opportunities.note_surplus_title"))
        for _, row in surplus[surplus["value"] > 0].sort_values("value", ascending=False).iterrows():
            notes.append(f"– {row['publisher']} {shorten(str(row['product']), 80)}: {fmt.count(row['surplus'])} · {fmt.money(row['value'])}")
    for _, row in renewals.sort_values("renewal_date").iterrows():
        notes.append(msg("opportunities.note_renewal", product=shorten(str(row["product"]), 80), date=fmt.date(row["renewal_date"])))
    categories, amounts = [], []
    # Renewal value is what is up for negotiation, not a saving: it stays out of the chart.
    for key, amount in (("cat_surplus", surplus_value), ("cat_idle", idle_year)):
        if amount > 0:
            categories.append(msg(f"opportunities.{key}"))
            amounts.append(amount)
    chart = Chart("bar", tuple(categories), tuple(amounts), msg("opportunities.series"), "money") if categories else None
    result.findings.append(
        Finding(
            theme="opportunities",
            key="opportunities.potential",
            headline=msg("opportunities.headline", **values),
            bullets=bullets[:3],
            notes=notes,
            source=" · ".join(x for x in (ctx.source_line("license_position"), ctx.source_line("cloud_seats")) if x),
            key_point=msg("opportunities.key_point", **values),
            chart=chart,
            priority=25,
        )
    )
    return result
