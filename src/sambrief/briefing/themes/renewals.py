"""The renewal calendar: contracts ending in the twelve months after the period, by month, with
their licence value; the next 90 days highlighted; what has no end date said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import PER_AUDIENCE, ThemeContext, licence_names, money_texts
from sambrief.ingest.products import casefolded

WINDOW_DAYS = 90  # the near window, as executive SAM reports mark it
MONTHS = 12

KEY = "renewals"  # the theme's name in audiences.yaml
DATASETS = ("license_position", "actions")  # what it reads: `sambrief explain` lists these exports
AUDIENCE = PER_AUDIENCE  # the actions register as this audience sees it (prepared renewals)
# Counted from the period's end: a contract ending on or before it has ended in the period.
# A value is licences owned × unit price; a contract without a price has an unknown value (never
# 0), so a sum over some unpriced contracts is said as "at least", over none priced not at all.
FIGURES = declare(
    KEY,
    ("ending_90d", "count", {"de": "Verträge, die in den nächsten 90 Tagen enden", "en": "contracts ending in the next 90 days"},
     {"definition": {"de": "Verträge mit Lizenzbestand, deren Vertragsende in den 90 Tagen nach dem Berichtszeitraum liegt",
                     "en": "Contracts with licences owned whose end date is within 90 days after the period"}}),
    ("value_90d", "money", {"de": "Lizenzwert der Verträge, die in den nächsten 90 Tagen enden",
                            "en": "licence value of the contracts ending in the next 90 days"},
     {"definition": {"de": "Lizenzbestand × Einzelpreis; ohne Preis nicht enthalten (dann ein Mindestwert), fehlt ohne jeden Preis",
                     "en": "Licences owned × unit price; unpriced contracts left out (a lower bound), absent with no price at all"}}),
    ("ending_12m", "count", {"de": "Verträge, die in den nächsten zwölf Monaten enden", "en": "contracts ending in the next twelve months"},
     {"definition": {"de": "Verträge mit Lizenzbestand, deren Vertragsende in den zwölf Monaten nach dem Berichtszeitraum liegt",
                     "en": "Contracts with licences owned whose end date is within the twelve months after the period"}}),
    ("value_12m", "money", {"de": "Lizenzwert der Verträge, die in den nächsten zwölf Monaten enden",
                            "en": "licence value of the contracts ending in the next twelve months"}),
    ("unpriced_12m", "count", {"de": "endende Verträge ohne Preis", "en": "ending contracts without a price"}),
    ("window_days", "days", {"de": "hervorgehobener Zeitraum", "en": "highlighted window"}),
    ("undated", "count", {"de": "Verträge ohne bekanntes Vertragsende", "en": "contracts without a known end date"},
     {"lower_is_better": True,
      "definition": {"de": "Verträge mit Lizenzbestand, für die die Lizenzbilanz kein Vertragsende nennt",
                     "en": "Contracts with licences owned for which the licence position states no end date"}}),
    ("undated_value", "money", {"de": "Lizenzwert der Verträge ohne bekanntes Vertragsende",
                                "en": "licence value of the contracts without a known end date"}),
    ("prepared", "count", {"de": "endende Verträge mit Maßnahme", "en": "ending contracts with an action"},
     {"lower_is_better": False,
      "definition": {"de": "Verträge der nächsten zwölf Monate, deren Produkt eine offene Maßnahme nennt",
                     "en": "Contracts of the next twelve months whose product an open action names"}}),
    ("unprepared", "count", {"de": "endende Verträge ohne Maßnahme", "en": "ending contracts without an action"},
     {"lower_is_better": True}),
    ("unprepared_90d", "count", {"de": "Verträge der nächsten 90 Tage ohne Maßnahme", "en": "contracts of the next 90 days without an action"},
     {"lower_is_better": True}),
)


@dataclass(frozen=True)
class Calendar:
    """The contracts of a licence position placed in the months after a period (pure)."""

    ahead: np.ndarray  # per row: months after the period's month (1 = the next month); 0 where not in the calendar
    soon: np.ndarray  # per row: ends within the window
    undated: np.ndarray  # per row: owned, no end date
    ended: np.ndarray  # per row: owned, ended on or before the period's end
    value: pd.Series  # per row: licences owned × unit price (NaN: unknown)
    end: pd.Series  # per row: the end date (NaT: none)
    marked: int  # how many of the first months the window reaches into

    @property
    def in_year(self) -> np.ndarray:
        return self.ahead > 0


def calendar(lp: pd.DataFrame, period_end: date, window_days: int = WINDOW_DAYS) -> Calendar:
    """Whole columns: the month each contract with licences ends in, within MONTHS after the period."""
    end = pd.to_datetime(lp["renewal_date"], errors="coerce")
    owned = (pd.to_numeric(lp["entitlements"], errors="coerce").fillna(0) > 0).to_numpy()
    months = ((end.dt.year - period_end.year) * 12 + end.dt.month - period_end.month).to_numpy(dtype=float)
    in_year = owned & (months >= 1) & (months <= MONTHS)  # NaN (no date) compares False
    horizon = period_end + timedelta(days=window_days)
    soon = in_year & (end <= pd.Timestamp(horizon)).to_numpy()
    value = pd.to_numeric(lp["entitlements"], errors="coerce") * pd.to_numeric(lp["unit_price"], errors="coerce")
    reach = (horizon.year - period_end.year) * 12 + horizon.month - period_end.month
    return Calendar(np.where(in_year, months, 0).astype(np.int64), soon, owned & end.isna().to_numpy(),
                    owned & (end <= pd.Timestamp(period_end)).to_numpy(), value, end, min(reach, MONTHS))


def _sum(values: pd.Series) -> tuple[float | None, bool]:
    """(sum of the known values, whether some are unknown); None when none is known."""
    known = values.notna()
    if not known.any():
        return (0.0 if values.empty else None), False
    return round(float(values[known].sum()), 2), not bool(known.all())


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    fmt = ctx.fmt
    lp = ctx.model.frame("license_position")
    period = ctx.model.period
    last_month = date(period.year + 1, period.month, 1)
    if lp.empty:
        result.warnings.append(ctx.text("no_data"))
        return result
    if not ctx.model.has("license_position", "renewal_date"):
        # No export says when a contract ends: every calendar figure is unknown (absent).
        result.warnings.append(ctx.text("no_data_dates"))
        return result
    cal = ctx.model.derived(f"renewals.calendar.{period}", lambda: calendar(lp, period.end))
    in_year, soon = cal.in_year, cal.soon
    value_12m, partial_12m = _sum(cal.value[in_year])
    value_90d, partial_90d = _sum(cal.value[soon])
    undated_value, partial_undated = _sum(cal.value[cal.undated])
    result.figures = {"ending_90d": int(soon.sum()), "ending_12m": int(in_year.sum()), "window_days": WINDOW_DAYS,
                      "undated": int(cal.undated.sum())}
    if ctx.model.has("license_position", "unit_price"):  # without a price column "without a price" is unknown, not every contract
        result.figures["unpriced_12m"] = int(cal.value[in_year].isna().sum())
    for key, total in (("value_90d", value_90d), ("value_12m", value_12m), ("undated_value", undated_value)):
        if total is not None:
            result.figures[key] = total
    if not in_year.any():
        result.warnings.append(ctx.text("none", month=fmt.month(last_month)))
        return result

    # Prepared: an open action of this audience names the product (as open issues match shortfalls).
    actions = ctx.for_audience(ctx.model.frame("actions"))
    linked = not actions.empty and ctx.model.has("actions", "product")
    prepared = np.zeros(len(lp), dtype=bool)
    if linked:
        open_actions = actions[actions["status"].astype(str) != "done"]
        named = {str(p).casefold() for p in open_actions["product"].dropna().unique() if str(p).strip()}
        prepared = in_year & pd.Series(casefolded(lp["product"])).isin(named).to_numpy()
        result.figures.update({"prepared": int(prepared.sum()), "unprepared": int((in_year & ~prepared).sum()),
                               "unprepared_90d": int((soon & ~prepared).sum())})

    def amount(total: float | None, partial: bool) -> str:
        text = fmt.money_short(total or 0)
        return ctx.text("at_least", amount=text) if partial else text

    month = fmt.month(last_month)
    values = dict(days=fmt.count(WINDOW_DAYS), month=month)
    n_soon, n_year = int(soon.sum()), int(in_year.sum())
    priced = "" if value_90d is not None else "_unpriced"
    if n_soon:
        headline = ctx.text(f"headline{priced}", n=n_soon, amount=amount(value_90d, partial_90d), **values)
    else:
        priced = "" if value_12m is not None else "_unpriced"
        headline = ctx.text(f"headline_later{priced}", n=n_year, amount=amount(value_12m, partial_12m), **values)
    key_point = ctx.text("key_point_later" if not n_soon else "key_point" if value_90d is not None else "key_point_unpriced",
                    soon=fmt.count(n_soon), total=fmt.count(n_year), amount=amount(value_90d, partial_90d), **values)

    bullets = []
    if n_soon:
        priced = "" if value_12m is not None else "_unpriced"
        bullets.append(ctx.text(f"bullet_year{priced}", n=n_year, amount=amount(value_12m, partial_12m), **values))
    if linked:
        n_prepared = int(prepared.sum())
        key = "bullet_prepared_none" if not n_prepared else "bullet_prepared_all" if n_prepared == n_year else "bullet_prepared"
        bullets.append(ctx.text(f"{key}", n=n_prepared, open=fmt.count(n_year - n_prepared)))
    if cal.undated.any():
        priced = "" if undated_value is not None else "_unpriced"
        bullets.append(ctx.text(f"bullet_undated{priced}", n=int(cal.undated.sum()), amount=amount(undated_value, partial_undated)))

    # One column per month; a month's value only where every contract in it has a price (else
    # the column would show an unknown amount as less than it is): the counts instead.
    months = [date(period.year + (period.month - 1 + k) // 12, (period.month - 1 + k) % 12 + 1, 1) for k in range(1, MONTHS + 1)]
    ahead = cal.ahead[in_year] - 1
    counts = np.bincount(ahead, minlength=MONTHS)
    money = value_12m is not None and not partial_12m
    per_month = np.bincount(ahead, weights=cal.value[in_year].fillna(0).to_numpy(), minlength=MONTHS) if money else counts
    # The year on the first column and on January only: twelve labels stay short enough for one line.
    labels = tuple(f"{fmt.month_short(m)} {m:%y}" if k == 0 or m.month == 1 else fmt.month_short(m) for k, m in enumerate(months))
    chart = Chart("column", labels, tuple(float(v) for v in per_month),
                  ctx.text("series" if money else "series_count"), "money" if money else "count",
                  highlights=tuple(range(cal.marked)) if n_soon else (), label_zero=False)

    window_end = period.end + timedelta(days=WINDOW_DAYS)
    notes = [ctx.text("note_definition", first=fmt.month(months[0]), last=month, days=WINDOW_DAYS, window_end=fmt.date(window_end))]
    notes.append(ctx.text("note_months"))
    month_values = np.bincount(ahead, weights=cal.value[in_year].fillna(0).to_numpy(), minlength=MONTHS)
    month_unknown = np.bincount(ahead, weights=cal.value[in_year].isna().to_numpy(dtype=float), minlength=MONTHS)
    for m, n, total, unknown in zip(months, counts.tolist(), month_values.tolist(), month_unknown.tolist()):
        if n:
            shown = ctx.text("unknown_value") if unknown == n else amount(total, unknown > 0)
            notes.append(f"– {fmt.month(m)}: {ctx.text('note_count', n=n)} · {shown}")
    rows = np.flatnonzero(in_year)
    rows = rows[np.argsort(cal.end.to_numpy()[rows], kind="stable")]
    notes.append(ctx.text("note_list"))
    notes.extend(_lines(ctx, rows, cal, prepared, ctx.text("unknown_value"), ctx.text("note_prepared")))
    if result.figures.get("unpriced_12m"):
        notes.append(ctx.text("note_unpriced", n=result.figures["unpriced_12m"]))
    if cal.undated.any():
        notes.append(ctx.text("note_undated", n=int(cal.undated.sum())))
    if cal.ended.any():
        ended = np.flatnonzero(cal.ended)
        notes.append(ctx.text("note_ended"))
        notes.extend(_lines(ctx, ended[np.argsort(cal.end.to_numpy()[ended], kind="stable")], cal, None, "", ""))

    result.findings.append(ctx.finding("calendar", headline, bullets[:3], notes,
                                       ctx.source_line("license_position", *(("actions",) if linked else ())), key_point,
                                       chart=chart, priority=32))
    # The balance: renewals in hand are a result, the near ones nobody has taken up yet open work.
    if linked and prepared.any():
        result.achieved.append(ctx.text("achieved", n=int(prepared.sum()), month=month))
    unprepared_soon = int((soon & ~prepared).sum())
    if unprepared_soon:
        result.remaining.append(ctx.text("remaining" if linked else "remaining_unlinked", n=unprepared_soon, **values))
    return result


def _lines(ctx: ThemeContext, rows: np.ndarray, cal: Calendar, prepared: np.ndarray | None, unknown: str, mark: str) -> list[str]:
    """'– product: end date · value' per row (a list in the notes), built on the rows' columns."""
    fmt = ctx.fmt
    names = licence_names(ctx.model)[rows]
    ends = cal.end.iloc[rows]
    days = {d: fmt.date(d.date()) for d in ends.unique()}  # a few distinct days among many contracts
    lines = "– " + pd.Series(names, dtype=object) + ": " + ends.map(days).to_numpy()
    if prepared is None:
        return lines.tolist()
    shown = pd.Series(money_texts(cal.value.iloc[rows], fmt), dtype=object).fillna(unknown)
    lines = lines + " · " + shown.to_numpy()
    lines = lines.where(~pd.Series(prepared[rows]), lines + " · " + mark)
    return lines.tolist()
