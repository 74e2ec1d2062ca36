"""Results achieved: realised savings in the period and since January, and the best items."""

from __future__ import annotations

from datetime import date

from sambrief.findings import Chart, Finding, ThemeResult
from sambrief.text import shorten
from sambrief.themes.base import ThemeContext, in_range


def improvements_from_history(ctx: ThemeContext) -> list[str]:
    """What the history shows got better since last month: success bullets next to the register's."""
    msg, fmt, previous = ctx.msg, ctx.fmt, ctx.model.previous_figures()
    current = ctx.current_figures
    if not previous:
        return []
    out = []
    for key, message, kind in (("risk.exposure_total", "successes.improved_exposure", "money"),
                               ("cloud_sprawl.seats_idle", "successes.improved_idle", "count"),
                               ("lifecycle.median_days", "successes.improved_lead_time", "days")):
        now, before = current.get(key), previous.get(key)
        if isinstance(now, (int, float)) and isinstance(before, (int, float)) and now < before:
            delta = {"money": lambda v: fmt.money_short(v, 2), "count": fmt.count, "days": fmt.number}[kind](before - now)
            out.append(msg(message, delta=delta, since=ctx.since))
    return out


def build(ctx: ThemeContext) -> ThemeResult:
    result = ThemeResult("successes")
    msg, fmt = ctx.msg, ctx.fmt
    register = ctx.for_audience(ctx.model.frame("successes"))
    period = ctx.model.period
    if register.empty:
        result.warnings.append(msg("successes.no_data"))
        return result
    year_start = date(period.year, 1, 1)
    ytd = register[register["date"].map(lambda d: in_range(d, year_start, period.end))].copy()
    in_period = ytd[ytd["date"].map(lambda d: in_range(d, period.start, period.end))]
    ytd["amount"] = ytd["amount"].map(lambda v: float(v) if v is not None and v == v else 0.0)
    savings_ytd = float(ytd["amount"].sum())
    savings_period = float(in_period["amount"].map(lambda v: float(v) if v is not None and v == v else 0.0).sum())
    result.figures = {
        "savings_period": round(savings_period, 2),
        "savings_ytd": round(savings_ytd, 2),
        "items_period": len(in_period),
        "items_ytd": len(ytd),
    }
    if ytd.empty:
        result.warnings.append(msg("successes.none_this_year", year=period.year))
        return result
    values = dict(
        ytd=fmt.money_short(savings_ytd),
        period_amount=fmt.money_short(savings_period),
        month=fmt.month(period.start),
        n_ytd=fmt.count(len(ytd)),
        n_period=fmt.count(len(in_period)),
    )
    if savings_ytd > 0:
        headline = msg("successes.headline", **values)
        key_point = msg("successes.key_point", **values)
    else:
        headline = msg("successes.headline_no_money", **values)
        key_point = msg("successes.key_point_no_money", **values)

    top = ytd.sort_values(["amount", "date"], ascending=[False, False])
    improvements = improvements_from_history(ctx)
    bullets = []
    for _, row in top.head(3 - min(1, len(improvements))).iterrows():
        title = shorten(str(row["title"]), 70)
        if row["amount"] > 0:
            bullets.append(msg("successes.bullet_amount", title=title, amount=fmt.money(row["amount"])))
        else:
            bullets.append(title)
    bullets += improvements[:1]
    notes = [msg("successes.note_definition")] + improvements + [msg("successes.note_list_title")]
    for _, row in ytd.sort_values("date").iterrows():
        amount = f" · {fmt.money(row['amount'])}" if row["amount"] > 0 else ""
        note = f" ({shorten(str(row['note']), 120)})" if row["note"] else ""
        notes.append(f"– {fmt.date(row['date'])}: {shorten(str(row['title']), 120)}{amount}{note}")

    months = [date(period.year, m, 1) for m in range(1, period.month + 1)]
    per_month = [
        float(ytd[ytd["date"].map(lambda d, m=m: d.month == m.month)]["amount"].sum()) for m in months
    ]
    chart = None
    if savings_ytd > 0:
        chart = Chart(
            "column",
            tuple(fmt.month_short(m) for m in months),
            tuple(per_month),
            msg("successes.series"),
            "money",
            highlight=len(months) - 1,
        )
    result.findings.append(
        Finding(
            theme="successes",
            key="successes.savings",
            headline=headline,
            bullets=bullets,
            notes=notes,
            source=ctx.source_line("successes"),
            key_point=key_point,
            chart=chart,
            priority=15,
        )
    )
    if savings_ytd > 0:
        result.achieved.append(msg("successes.achieved", **values))
    result.achieved += improvements[:1]
    best = top.iloc[0]
    result.achieved.append(shorten(str(best["title"]), 80))
    return result
