"""Results achieved: realised savings in the period and since January, and the best items."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sambrief.briefing import figures as registry
from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import PER_AUDIENCE, ThemeContext, given
from sambrief.text import shorten

KEY = "successes"  # the theme's name in audiences.yaml
DATASETS = ("successes",)  # what it reads: `sambrief explain` lists these exports
AUDIENCE = PER_AUDIENCE  # what it reads of the audience (base.SHARED, PER_AUDIENCE or a function)
FIGURES = declare(
    KEY,
    (
        "savings_ytd",
        "money",
        {"de": "Einsparungen seit Jahresbeginn", "en": "savings since January"},
        {
            "tile": {"de": "Einsparungen seit Jahresbeginn", "en": "savings since January"},
            "tile_rank": 1,
            "lower_is_better": False,
            "trend": True,
            "summary": {"de": "Einsparung lfd. Jahr", "en": "savings YTD"},
            "definition": {
                "de": "Summe der Beträge im Erfolgsregister mit Datum seit dem 1. Januar bis zum Ende des "
                "Berichtszeitraums",
                "en": "Sum of the success register's amounts dated from 1 January to the end of the period",
            },
        },
    ),
    (
        "savings_period",
        "money",
        {"de": "Einsparungen im Berichtszeitraum", "en": "savings in the period"},
        {
            "tile": {"de": "Einsparungen im Berichtsmonat", "en": "savings this month"},
            "tile_rank": 2,
            "lower_is_better": False,
        },
    ),
    ("items_period", "count", {"de": "Erfolge im Berichtszeitraum", "en": "successes in the period"}),
    ("items_ytd", "count", {"de": "Erfolge seit Jahresbeginn", "en": "successes since January"}),
    ("top_amount_1", "money", {"de": "Betrag des größten Erfolgs", "en": "amount of the largest success"}),
    ("top_amount_2", "money", {"de": "Betrag des zweitgrößten Erfolgs", "en": "amount of the second largest success"}),
    ("top_amount_3", "money", {"de": "Betrag des drittgrößten Erfolgs", "en": "amount of the third largest success"}),
    ("improvement", "money", {"de": "Verbesserung laut Historie", "en": "improvement shown by the history"}),
)


def improvements_from_history(ctx: ThemeContext) -> list[tuple[str, float]]:
    """What the history shows got better since last month (figures of the registry with a trend
    where lower is better): success bullets next to the register's, with the improvement."""
    fmt, previous = ctx.fmt, ctx.model.previous_figures()
    current = ctx.current_figures
    if not previous:
        return []
    out = []
    for figure in registry.trend_figures():
        now, before = current.get(figure.key), previous.get(figure.key)
        if (
            figure.lower_is_better
            and isinstance(now, (int, float))
            and isinstance(before, (int, float))
            and now < before
        ):
            label = figure.label_in(ctx.language)  # starts the sentence: "Unused cloud seats down by …"
            out.append(
                (
                    ctx.text(
                        "improved",
                        what=label[:1].upper() + label[1:],
                        since=ctx.since,
                        delta=figure.format(before - now, fmt),
                    ),
                    before - now,
                )
            )
    return out


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    fmt = ctx.fmt
    register = ctx.for_audience(ctx.model.frame("successes"))
    period = ctx.model.period
    if register.empty:
        result.warnings.append(ctx.text("no_data"))
        return result
    year_start = date(period.year, 1, 1)
    days = pd.to_datetime(register["date"], errors="coerce")
    ytd = register[days.between(pd.Timestamp(year_start), pd.Timestamp(period.end))].copy()
    ytd["amount"] = pd.to_numeric(ytd["amount"], errors="coerce").fillna(0.0)
    ytd_days = pd.to_datetime(ytd["date"], errors="coerce")
    in_period = ytd[ytd_days.between(pd.Timestamp(period.start), pd.Timestamp(period.end))]
    savings_ytd = float(ytd["amount"].sum())
    savings_period = float(in_period["amount"].sum())
    # Without an amount column the register says what was achieved, not what it saved: the
    # sums are unknown (absent), and the slide names the successes without money.
    result.figures = {
        "savings_period": round(savings_period, 2),
        "savings_ytd": round(savings_ytd, 2),
        "items_period": len(in_period),
        "items_ytd": len(ytd),
    }
    if not ctx.model.has("successes", "amount"):
        del result.figures["savings_period"], result.figures["savings_ytd"]
    if ytd.empty:
        result.warnings.append(ctx.text("none_this_year", year=period.year))
        return result
    values = dict(
        ytd=fmt.money_short(savings_ytd),
        period_amount=fmt.money_short(savings_period),
        month=fmt.month(period.start),
        n_ytd=fmt.count(len(ytd)),
        n_period=fmt.count(len(in_period)),
    )
    # A month without a recorded success is not news: say the year's total only, never "0 € im Oktober".
    if savings_ytd > 0 and savings_period > 0:
        headline = ctx.text("headline", **values)
        key_point = ctx.text("key_point", **values)
    elif savings_ytd > 0:
        headline = ctx.text("headline_ytd_only", **values)
        key_point = ctx.text("key_point_ytd_only", **values)
    else:
        key = "headline_no_money" if len(in_period) else "headline_no_money_ytd_only"
        headline = ctx.text(key, n=len(ytd), **values)
        key_point = ctx.text("key_point_no_money", n=len(ytd), **values)

    top = ytd.sort_values(["amount", "date"], ascending=[False, False])
    improvements = improvements_from_history(ctx)
    if improvements:
        result.figures["improvement"] = round(improvements[0][1], 2)
    bullets = []
    for rank, (_, row) in enumerate(top.head(3 - min(1, len(improvements))).iterrows(), 1):
        title = shorten(str(row["title"]), 70)
        if row["amount"] > 0:
            result.figures[f"top_amount_{rank}"] = round(float(row["amount"]), 2)
            bullets.append(ctx.text("bullet_amount", title=title, amount=fmt.money(row["amount"])))
        else:
            bullets.append(title)
    bullets += [text for text, _ in improvements[:1]]
    notes = [ctx.text("note_definition")] + [text for text, _ in improvements] + [ctx.text("note_list_title")]
    for _, row in ytd.sort_values("date").iterrows():
        amount = f" · {fmt.money(row['amount'])}" if row["amount"] > 0 else ""
        note = f" ({shorten(str(row['note']), 120)})" if given(row["note"]) else ""
        notes.append(f"– {fmt.date(row['date'])}: {shorten(str(row['title']), 120)}{amount}{note}")

    months = [date(period.year, m, 1) for m in range(1, period.month + 1)]
    by_month = ytd.groupby(ytd_days.dt.month)["amount"].sum()
    per_month = [float(by_month.get(m.month, 0.0)) for m in months]
    chart = None
    if savings_ytd > 0:
        chart = Chart(
            "column",
            tuple(fmt.month_short(m) for m in months),
            tuple(per_month),
            ctx.text("series"),
            "money",
            highlight=len(months) - 1,
            label_zero=False,
        )
    result.findings.append(
        ctx.finding(
            "savings", headline, bullets, notes, ctx.source_line("successes"), key_point, chart=chart, priority=15
        )
    )
    # Achieved (README rule): realised savings since January, what the history shows improved,
    # and the best success dated in this period; an earlier month's success is not this month's.
    if savings_ytd > 0:
        result.achieved.append(ctx.text("achieved", **values))
    result.achieved += [text for text, _ in improvements[:1]]
    if len(in_period):
        best = in_period.sort_values("amount", ascending=False).iloc[0]
        result.achieved.append(shorten(str(best["title"]), 80))
    return result
