"""Software budget for ITSM roles: consumption, areas over budget, a linear forecast to year end."""

from __future__ import annotations

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import SHARED, ThemeContext, ranked
from sambrief.text import shorten

KEY = "budget"  # the theme's name in audiences.yaml
DATASETS = ("budget",)  # what it reads: `sambrief explain` lists these exports
AUDIENCE = SHARED  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(
    KEY,
    (
        "consumed_share",
        "share",
        {"de": "Ausschöpfung des Software-Budgets", "en": "software budget used"},
        {
            "tile": {"de": "Software-Budget ausgeschöpft", "en": "software budget used"},
            "tile_rank": 1,
            "definition": {
                "de": "(Ist + Obligo) / Budget aus dem Budgetregister",
                "en": "(actual + committed) / budget from the budget register",
            },
        },
    ),
    ("budget_total", "money", {"de": "Software-Budget", "en": "software budget"}),
    ("actual", "money", {"de": "gebuchte Kosten", "en": "actual cost"}),
    ("committed", "money", {"de": "Obligo", "en": "committed"}),
    ("forecast_year_end", "money", {"de": "Hochrechnung zum Jahresende", "en": "forecast to year end"}),
    ("forecast_gap", "money", {"de": "Abstand der Hochrechnung zum Budget", "en": "gap between forecast and budget"}),
    (
        "areas_over_budget",
        "count",
        {"de": "Budgetbereiche über Plan", "en": "areas over budget"},
        {
            "tile": {"de": "Budgetbereiche über Plan", "en": "areas over budget"},
            "tile_rank": 2,
            "lower_is_better": True,
        },
    ),
    (
        "top_area_share",
        "share",
        {"de": "Ausschöpfung des am stärksten überzogenen Bereichs", "en": "use of the most overspent area"},
    ),
)


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    msg, fmt = ctx.msg, ctx.fmt
    register = ctx.model.frame("budget")
    period = ctx.model.period
    if register.empty:
        result.warnings.append(ctx.text("no_data"))
        return result
    # float64 columns from the ingest: a blank cell of the register is nothing booked (0), not unknown
    frame = register.assign(
        **{col: register[col].astype(float).fillna(0.0) for col in ("budget", "actual", "committed")}
    )
    areas = frame.groupby("cost_centre").agg(
        budget=("budget", "sum"), actual=("actual", "sum"), committed=("committed", "sum")
    )
    areas["used"] = areas["actual"] + areas["committed"]
    areas["share"] = areas["used"] / areas["budget"].where(areas["budget"] > 0)
    total_budget = float(areas["budget"].sum())
    actual = float(areas["actual"].sum())
    committed = float(areas["committed"].sum())
    share = (actual + committed) / total_budget if total_budget else 0.0
    forecast = actual / period.month * 12  # linear: the year goes on as it went so far
    over = areas[areas["used"] > areas["budget"]].sort_values("share", ascending=False)
    # A blank cell of the register is nothing booked; a column the register lacks is unknown:
    # every figure that rests on it is absent, and the slide says what the register does not hold.
    has_actual, has_committed = ctx.model.has("budget", "actual"), ctx.model.has("budget", "committed")
    if not has_actual:
        return _without_actuals(ctx, result, total_budget, committed if has_committed else None)
    result.figures = {
        "budget_total": round(total_budget, 2),
        "actual": round(actual, 2),
        "committed": round(committed, 2),
        "consumed_share": round(share, 4),
        "forecast_year_end": round(forecast, 2),
        "areas_over_budget": len(over),
        "forecast_gap": round(abs(forecast - total_budget), 2),
    }
    if len(over) and has_committed:
        result.figures["top_area_share"] = round(float(over.iloc[0]["share"]), 4)
    if not has_committed:  # what is ordered but not invoiced is unknown: no area is known to be over
        result.figures = {
            k: v for k, v in result.figures.items() if k not in ("committed", "consumed_share", "areas_over_budget")
        }
        over = over.iloc[0:0]
    values = dict(
        share=fmt.percent(share),
        budget=fmt.money_short(total_budget, 2),
        forecast=fmt.money_short(forecast, 2),
        over=fmt.count(len(over)),
        committed=fmt.money_short(committed),
        actual=fmt.money_short(actual),
        gap=fmt.money_short(abs(forecast - total_budget)),
    )
    key = "headline_over" if forecast > total_budget else "headline"
    if not has_committed:
        key += "_no_committed"
    bullets = []
    if len(over):
        first = over.index[0]
        bullets.append(
            ctx.text("bullet_over", n=len(over), area=shorten(str(first), 40), share=fmt.percent(over.iloc[0]["share"]))
        )
    bullets.append(ctx.text("bullet_committed" if has_committed else "bullet_no_committed", **values))
    bullets.append(ctx.text("bullet_forecast_over" if forecast > total_budget else "bullet_forecast_under", **values))
    labels, shares = ranked(areas["share"].fillna(0), ctx.top_n, msg("common.other"))
    if labels and labels[-1] == msg("common.other"):  # a share of 'other' summed is meaningless
        labels, shares = labels[:-1], shares[:-1]
    notes = [ctx.text("note_definition")]
    for area, row in areas.sort_values("share", ascending=False).iterrows():
        used = fmt.percent(row["share"] if row["share"] == row["share"] else 0)
        notes.append(f"– {shorten(str(area), 60)}: {fmt.money(row['used'])} / {fmt.money(row['budget'])} ({used})")
    result.findings.append(
        ctx.finding(
            "consumption",
            headline=ctx.text(key, **values),
            bullets=bullets[:3],
            notes=notes,
            source=ctx.source_line("budget"),
            key_point=ctx.text("key_point" if has_committed else "key_point_no_committed", **values),
            chart=Chart("bar", tuple(labels), tuple(shares), ctx.text("series"), "percent")
            if labels and has_committed
            else None,
            priority=15,
        )
    )
    if has_committed and not len(over):  # without the committed amounts, whether an area is over is unknown
        result.achieved.append(ctx.text("achieved", **values))
    elif len(over):
        result.remaining.append(ctx.text("remaining", n=len(over), **values))
    return result


def _without_actuals(
    ctx: ThemeContext, result: ThemeResult, total_budget: float, committed: float | None
) -> ThemeResult:
    """A register without booked costs: the budget (and what is ordered) is known, its use is not."""
    fmt = ctx.fmt
    result.figures = {"budget_total": round(total_budget, 2)}
    values = dict(budget=fmt.money_short(total_budget, 2), committed=fmt.money_short(committed or 0))
    bullets = []
    if committed is not None:
        result.figures["committed"] = round(committed, 2)
        bullets.append(ctx.text("bullet_committed_only", **values))
    result.findings.append(
        ctx.finding(
            "consumption",
            headline=ctx.text("headline_no_actual", **values),
            bullets=bullets,
            notes=[ctx.text("note_no_actual")],
            source=ctx.source_line("budget"),
            key_point=ctx.text("key_point_no_actual", **values),
            priority=15,
        )
    )
    return result
