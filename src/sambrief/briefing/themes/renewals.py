"""The renewal calendar: contracts ending in the twelve months after the period, by month, with
their value; the next 90 days highlighted; what has no end date said.

The contracts come from a contracts export or register (dataset `contracts`: its end dates and
its own annual, else total value) where one has rows with an end-date column; otherwise from the
licence position's end dates (value: licences owned × unit price). Never from both: the same
contract would be counted twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from sambrief.briefing.figures import declare
from sambrief.briefing.findings import Chart, ThemeResult
from sambrief.briefing.themes.base import LIST_CHARS, PER_AUDIENCE, ThemeContext, licence_names, money_texts
from sambrief.ingest.products import casefolded
from sambrief.model.contracts import (
    MONTHS,
    WINDOW_DAYS,
    Calendar,
    calendar,
    contract_calendar,
    in_force,
    notice_by,
    once_each,
)

KEY = "renewals"  # the theme's name in audiences.yaml
DATASETS = ("contracts", "license_position", "actions")  # what it reads: `sambrief explain` lists these exports
AUDIENCE = PER_AUDIENCE  # the actions register as this audience sees it (prepared renewals)
# Counted from the period's end: a contract ending on or before it has ended in the period.
# A value is the contract's own annual value (else its total value) from the contracts export, or
# without one licences owned × unit price; a contract without a value is unknown (never 0), so a
# sum over some unknown values is said as "at least", over none known not at all.
FIGURES = declare(
    KEY,
    (
        "ending_90d",
        "count",
        {"de": "Verträge, die in den nächsten 90 Tagen enden", "en": "contracts ending in the next 90 days"},
        {
            "definition": {
                "de": "Verträge (laut Vertragsexport in Kraft, sonst mit Lizenzbestand laut Lizenzbilanz), deren"
                " Vertragsende in den 90 Tagen nach dem Berichtszeitraum liegt",
                "en": "Contracts (in force according to the contracts export, else with licences owned in the licence"
                " position) whose end date is within 90 days after the period",
            }
        },
    ),
    (
        "value_90d",
        "money",
        {
            "de": "Lizenzwert der Verträge, die in den nächsten 90 Tagen enden",
            "en": "licence value of the contracts ending in the next 90 days",
        },
        {
            "definition": {
                "de": "Jahreswert des Vertrags laut Vertragsexport (ohne Jahreswert-Spalte sein Gesamtwert), ohne "
                "Vertragsexport Lizenzbestand ×"
                " Einzelpreis; ohne Wert nicht enthalten (dann ein Mindestwert), fehlt ohne jeden Wert",
                "en": "The contract's annual value in the contracts export (without an annual value column its "
                "total value),"
                " without a contracts export licences owned × unit price; contracts without a value left out"
                " (a lower bound), absent with no value at all",
            }
        },
    ),
    (
        "ending_12m",
        "count",
        {"de": "Verträge, die in den nächsten zwölf Monaten enden", "en": "contracts ending in the next twelve months"},
        {
            "definition": {
                "de": "Verträge (laut Vertragsexport in Kraft, sonst mit Lizenzbestand laut Lizenzbilanz), deren"
                " Vertragsende in den zwölf Monaten nach dem Berichtszeitraum liegt",
                "en": "Contracts (in force according to the contracts export, else with licences owned in the licence"
                " position) whose end date is within the twelve months after the period",
            }
        },
    ),
    (
        "value_12m",
        "money",
        {
            "de": "Lizenzwert der Verträge, die in den nächsten zwölf Monaten enden",
            "en": "licence value of the contracts ending in the next twelve months",
        },
    ),
    ("unpriced_12m", "count", {"de": "endende Verträge ohne Preis", "en": "ending contracts without a price"}),
    ("window_days", "days", {"de": "hervorgehobener Zeitraum", "en": "highlighted window"}),
    (
        "undated",
        "count",
        {"de": "Verträge ohne bekanntes Vertragsende", "en": "contracts without a known end date"},
        {
            "lower_is_better": True,
            "definition": {
                "de": "Verträge in Kraft, für die der Vertragsexport (ohne ihn die Lizenzbilanz) kein Vertragsende "
                "nennt",
                "en": "Contracts in force for which the contracts export (without one, the licence position) states "
                "no end date",
            },
        },
    ),
    (
        "undated_value",
        "money",
        {
            "de": "Lizenzwert der Verträge ohne bekanntes Vertragsende",
            "en": "licence value of the contracts without a known end date",
        },
    ),
    (
        "prepared",
        "count",
        {"de": "endende Verträge mit Maßnahme", "en": "ending contracts with an action"},
        {
            "lower_is_better": False,
            "definition": {
                "de": "Verträge der nächsten zwölf Monate, deren Produkt eine offene Maßnahme nennt",
                "en": "Contracts of the next twelve months whose product an open action names",
            },
        },
    ),
    (
        "unprepared",
        "count",
        {"de": "endende Verträge ohne Maßnahme", "en": "ending contracts without an action"},
        {"lower_is_better": True},
    ),
    (
        "unprepared_90d",
        "count",
        {"de": "Verträge der nächsten 90 Tage ohne Maßnahme", "en": "contracts of the next 90 days without an action"},
        {"lower_is_better": True},
    ),
)


@dataclass(frozen=True)
class Source:
    """Where the calendar's contracts come from, and what a row of it is called and matched by."""

    dataset: str  # 'contracts' or 'license_position'
    cal: Calendar
    names: np.ndarray  # per row: what the notes list it as
    matched: tuple[pd.Series, ...]  # per row: the columns an open action's product may name
    valued: bool  # some export of it has a price or value column
    value_word: str = ""  # which value the amounts are ('' for the licence value)
    texts: str = ""  # the suffix of the texts that differ ('_contracts')
    not_in_force: int = 0  # contracts left out by their state
    notice_by: pd.Series | None = None  # per row: the last day to give notice (end date − notice period; NaT: unknown)
    repeated: int = 0  # rows left out because an earlier row has the same contract number


def _contract_names(contracts: pd.DataFrame) -> np.ndarray:
    """'title (number)' per contract, else the product or the number, cut for the notes' lists."""
    from sambrief.text import shorten

    number = contracts["contract"].astype(object).where(contracts["contract"].notna(), "").astype(str)
    label = contracts["title"].astype(object).where(contracts["title"].notna(), contracts["product"]).astype(object)
    has_label = label.notna() & (label.astype(str) != "")
    # a register's 'Adobe ETLA (CNTR01)' already names its title: not said twice
    has_label &= np.char.find(number.to_numpy(dtype=str), label.astype(str).to_numpy(dtype=str)) < 0
    shown = number.where(~has_label, label.astype(str) + " (" + number + ")").where(
        ~has_label | (number != ""), label.astype(str)
    )
    names = shown.to_numpy(dtype=object)
    long = np.flatnonzero(np.fromiter(map(len, names), dtype=np.int64, count=len(names)) > LIST_CHARS)
    names[long] = [shorten(name, LIST_CHARS) for name in names[long].tolist()]  # the few long ones
    return names


def _source(ctx: ThemeContext, result: ThemeResult) -> Source | None:
    """The contracts export where it has rows and an end-date column, else the licence position
    with its end dates; None (with the warning why) when neither says when a contract ends."""
    period = ctx.model.period
    contracts, repeated = once_each(ctx.model.frame("contracts"))
    if not contracts.empty:
        if ctx.model.has("contracts", "end_date"):
            field = next((f for f in ("annual_value", "total_value") if ctx.model.has("contracts", f)), None)
            cal = ctx.model.derived(
                f"renewals.contracts.{period}", lambda: contract_calendar(contracts, period.end, field)
            )
            word = ctx.text(f"value_{field.split('_')[0]}") if field else ctx.text("value_total")
            return Source(
                "contracts",
                cal,
                _contract_names(contracts),
                (contracts["product"], contracts["title"], contracts["contract"]),
                field is not None,
                word,
                "_contracts",
                int((~in_force(contracts)).sum()),
                notice_by(cal.end, contracts),
                repeated,
            )
        result.warnings.append(ctx.text("no_data_contract_dates"))
    lp = ctx.model.frame("license_position")
    if lp.empty:
        result.warnings.append(ctx.text("no_data"))
        return None
    if not ctx.model.has("license_position", "renewal_date"):
        # No export says when a contract ends: every calendar figure is unknown (absent).
        result.warnings.append(ctx.text("no_data_dates"))
        return None
    cal = ctx.model.derived(f"renewals.calendar.{period}", lambda: calendar(lp, period.end))
    return Source(
        "license_position",
        cal,
        licence_names(ctx.model),
        (lp["product"],),
        ctx.model.has("license_position", "unit_price"),
    )


def _sum(values: pd.Series) -> tuple[float | None, bool]:
    """(sum of the known values, whether some are unknown); None when none is known."""
    known = values.notna()
    if not known.any():
        return (0.0 if values.empty else None), False
    return round(float(values[known].sum()), 2), not bool(known.all())


def build(ctx: ThemeContext) -> ThemeResult:
    result = ctx.result()
    fmt = ctx.fmt
    period = ctx.model.period
    last_month = date(period.year + 1, period.month, 1)
    source = _source(ctx, result)
    if source is None:
        return result
    cal, src = source.cal, source.texts
    in_year, soon = cal.in_year, cal.soon
    value_12m, partial_12m = _sum(cal.value[in_year])
    value_90d, partial_90d = _sum(cal.value[soon])
    undated_value, partial_undated = _sum(cal.value[cal.undated])
    result.figures = {
        "ending_90d": int(soon.sum()),
        "ending_12m": int(in_year.sum()),
        "window_days": WINDOW_DAYS,
        "undated": int(cal.undated.sum()),
    }
    if source.valued:  # without a price (value) column "without a price" is unknown, not every contract
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
    prepared = np.zeros(len(cal.end), dtype=bool)
    if linked:
        open_actions = actions[actions["status"].astype(str) != "done"]
        named = {str(p).casefold() for p in open_actions["product"].dropna().unique() if str(p).strip()}
        for column in source.matched:  # a contract is prepared when an action names its product, title or number
            prepared |= pd.Series(casefolded(column)).isin(named).to_numpy()
        prepared &= in_year
        result.figures.update(
            {
                "prepared": int(prepared.sum()),
                "unprepared": int((in_year & ~prepared).sum()),
                "unprepared_90d": int((soon & ~prepared).sum()),
            }
        )

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
    key_point = ctx.text(
        "key_point_later" if not n_soon else "key_point" if value_90d is not None else "key_point_unpriced",
        soon=fmt.count(n_soon),
        total=fmt.count(n_year),
        amount=amount(value_90d, partial_90d),
        **values,
    )

    bullets = []
    if n_soon:
        priced = "" if value_12m is not None else "_unpriced"
        bullets.append(ctx.text(f"bullet_year{priced}", n=n_year, amount=amount(value_12m, partial_12m), **values))
    if linked:
        n_prepared = int(prepared.sum())
        key = (
            "bullet_prepared_none"
            if not n_prepared
            else "bullet_prepared_all"
            if n_prepared == n_year
            else "bullet_prepared"
        )
        bullets.append(ctx.text(f"{key}", n=n_prepared, open=fmt.count(n_year - n_prepared)))
    if cal.undated.any():
        priced = "" if undated_value is not None else "_unpriced"
        bullets.append(
            ctx.text(
                f"bullet_undated{src}{priced}",
                n=int(cal.undated.sum()),
                amount=amount(undated_value, partial_undated),
                value=source.value_word,
            )
        )

    # One column per month; a month's value only where every contract in it has a price (else
    # the column would show an unknown amount as less than it is): the counts instead.
    months = [
        date(period.year + (period.month - 1 + k) // 12, (period.month - 1 + k) % 12 + 1, 1)
        for k in range(1, MONTHS + 1)
    ]
    ahead = cal.ahead[in_year] - 1
    counts = np.bincount(ahead, minlength=MONTHS)
    money = value_12m is not None and not partial_12m
    per_month = (
        np.bincount(ahead, weights=cal.value[in_year].fillna(0).to_numpy(), minlength=MONTHS) if money else counts
    )
    # The year on the first column and on January only: twelve labels stay short enough for one line.
    labels = tuple(
        f"{fmt.month_short(m)} {m:%y}" if k == 0 or m.month == 1 else fmt.month_short(m) for k, m in enumerate(months)
    )
    chart = Chart(
        "column",
        labels,
        tuple(float(v) for v in per_month),
        ctx.text(f"series{src}", value=source.value_word) if money else ctx.text("series_count"),
        "money" if money else "count",
        highlights=tuple(range(cal.marked)) if n_soon else (),
        label_zero=False,
    )

    window_end = period.end + timedelta(days=WINDOW_DAYS)
    notes = [
        ctx.text(
            f"note_definition{src}",
            first=fmt.month(months[0]),
            last=month,
            days=WINDOW_DAYS,
            window_end=fmt.date(window_end),
            value=source.value_word,
        )
    ]
    if src and ctx.model.has("license_position", "renewal_date"):
        notes.append(ctx.text("note_not_added"))  # said where both carry end dates: nothing counted twice
    if source.not_in_force:
        notes.append(ctx.text("note_not_in_force", n=source.not_in_force))
    if source.dataset == "contracts" and not ctx.model.has("contracts", "state"):
        notes.append(ctx.text("note_no_state"))
    if source.repeated:
        notes.append(ctx.text("note_repeated", n=source.repeated))
    notes.append(ctx.text(f"note_months{src}", value=source.value_word))
    month_values = np.bincount(ahead, weights=cal.value[in_year].fillna(0).to_numpy(), minlength=MONTHS)
    month_unknown = np.bincount(ahead, weights=cal.value[in_year].isna().to_numpy(dtype=float), minlength=MONTHS)
    for m, n, total, unknown in zip(months, counts.tolist(), month_values.tolist(), month_unknown.tolist()):
        if n:
            shown = ctx.text("unknown_value") if unknown == n else amount(total, unknown > 0)
            notes.append(f"– {fmt.month(m)}: {ctx.text('note_count', n=n)} · {shown}")
    rows = np.flatnonzero(in_year)
    rows = rows[np.argsort(cal.end.to_numpy()[rows], kind="stable")]
    notes.append(ctx.text(f"note_list{src}", value=source.value_word))
    notes.extend(
        _lines(
            ctx,
            source.names,
            rows,
            cal,
            prepared,
            ctx.text("unknown_value"),
            ctx.text("note_prepared"),
            source.notice_by,
        )
    )
    if result.figures.get("unpriced_12m"):
        notes.append(ctx.text(f"note_unpriced{src}", n=result.figures["unpriced_12m"], value=source.value_word))
    if cal.undated.any():
        notes.append(ctx.text(f"note_undated{src}", n=int(cal.undated.sum())))
    if cal.ended.any():
        ended = np.flatnonzero(cal.ended)
        notes.append(ctx.text(f"note_ended{src}"))
        notes.extend(
            _lines(ctx, source.names, ended[np.argsort(cal.end.to_numpy()[ended], kind="stable")], cal, None, "", "")
        )

    result.findings.append(
        ctx.finding(
            "calendar",
            headline,
            bullets[:3],
            notes,
            ctx.source_line(source.dataset, *(("actions",) if linked else ())),
            key_point,
            chart=chart,
            priority=32,
        )
    )
    # The balance: renewals in hand are a result, the near ones nobody has taken up yet open work.
    if linked and prepared.any():
        result.achieved.append(ctx.text("achieved", n=int(prepared.sum()), month=month))
    unprepared_soon = int((soon & ~prepared).sum())
    if unprepared_soon:
        result.remaining.append(ctx.text("remaining" if linked else "remaining_unlinked", n=unprepared_soon, **values))
    return result


def _lines(
    ctx: ThemeContext,
    all_names: np.ndarray,
    rows: np.ndarray,
    cal: Calendar,
    prepared: np.ndarray | None,
    unknown: str,
    mark: str,
    notice_by: pd.Series | None = None,
) -> list[str]:
    """'– product: end date · value' per row (a list in the notes), built on the rows' columns."""
    fmt = ctx.fmt
    names = all_names[rows]
    ends = cal.end.iloc[rows]
    days = {d: fmt.date(d.date()) for d in ends.unique()}  # a few distinct days among many contracts
    lines = "– " + pd.Series(names, dtype=object) + ": " + ends.map(days).to_numpy()
    if prepared is None:
        return lines.tolist()
    shown = pd.Series(money_texts(cal.value.iloc[rows], fmt), dtype=object).fillna(unknown)
    lines = lines + " · " + shown.to_numpy()
    if notice_by is not None and notice_by.iloc[rows].notna().any():
        by = notice_by.iloc[rows]
        texts = {d: ctx.text("note_notice", date=fmt.date(d.date())) for d in by.dropna().unique()}
        lines = lines.where(by.isna().to_numpy(), lines + " · " + by.map(texts).to_numpy())
    lines = lines.where(~pd.Series(prepared[rows]), lines + " · " + mark)
    return lines.tolist()
