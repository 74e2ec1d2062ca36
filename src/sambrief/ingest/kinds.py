"""Field kinds -> column parsers: how the cells of one canonical field become its column.

One registry entry per kind (datasets.py names the kinds): its parser, and what the error says
of the cells it refuses. A parser gets the field's source columns at once (a field may read
several, such as a seat export's activity dates) and works on whole columns, once per distinct
value where it needs Python (sambrief.ingest.columns).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from sambrief.i18n.notices import Notice
from sambrief.ingest.columns import (
    FIRST_DATE,
    LAST_DATE,
    clean_column,
    date_out_of_range,
    days_to_dates,
    distinct_results,
    per_distinct,
)
from sambrief.ingest.datasets import BOOL, CHOICE, DATE, LIST, NUMBER, TEXT, USER, Field, choice_labels
from sambrief.ingest.dates import parse_dates
from sambrief.ingest.layouts import ColumnRule
from sambrief.ingest.numbers import parse_numbers
from sambrief.ingest.parsing import parse_bool
from sambrief.ingest.privacy import Pseudonymiser, pseudonymise_column
from sambrief.text import clean_text, closest, normalise_header

EVIDENCE = "_evidence:"  # helper columns: a seat export's activity date per workload


@dataclass
class FieldInput:
    """One field's cells and what decides how they are read."""

    columns: list[pd.Series]  # the field's source columns, in header order
    blanks: list[np.ndarray]  # their blank cells
    headers: list[str]  # their normalised headers
    rule: ColumnRule | None  # the layout's rule for the field
    spec: Field | None  # the dataset's field (None for a layout's helper field)
    decimal: str  # the file's decimal mark where a column proves none
    typed: bool  # the dataset takes dates as datetime64 and few-valued text as categoricals
    pseudonymise: Pseudonymiser
    date_order: str | None = None  # the slash-date order the file's other date columns proved
    proven: list[str] = field(default_factory=list)  # slash-date orders proven so far (appended to)


class Parsed(NamedTuple):
    values: Any
    bad: np.ndarray  # cells that are not of the kind
    out_of_range: np.ndarray | None = None
    negative: np.ndarray | None = None  # a count or price below zero
    extra: dict[str, Any] = {}  # helper columns besides the field (activity per workload)


@dataclass(frozen=True)
class Kind:
    parse: Callable[[FieldInput], Parsed]
    refused: str = "in_not_valid"  # the notice for cells not of the kind
    offers: Callable[[str, list[str]], Notice] | None = (
        None  # what the notice offers instead (given the first few refused)
    )
    beyond: str = ""  # the notice for values out of range
    beyond_values: dict[str, Any] = field(default_factory=dict)  # and its values


def kind_of(name: str) -> Kind:
    """The registry entry of a kind; a helper field of another kind is text."""
    return KINDS.get(name, KINDS[TEXT])


def _first_present(columns: list[pd.Series], blanks: list[np.ndarray]) -> tuple[pd.Series, np.ndarray]:
    """One cell per row: the first non-empty of the field's columns (in header order)."""
    if len(columns) == 1:
        return columns[0], blanks[0]
    value = columns[0].astype(object).to_numpy(copy=True)
    blank = blanks[0].copy()
    for col, col_blank in zip(columns[1:], blanks[1:]):
        take = blank & ~col_blank
        if take.any():
            value[take] = col.astype(object).to_numpy()[take]
            blank &= col_blank
    return pd.Series(value, dtype=object), blank


def _numbers(cells: FieldInput) -> Parsed:
    value, blank = _first_present(cells.columns, cells.blanks)
    numbers, bad, out_of_range, _ = parse_numbers(value, blank, cells.decimal)
    if cells.rule and cells.rule.negate:
        numbers = -numbers
    negative = None
    if cells.spec is not None and cells.spec.nonnegative:
        negative = np.asarray(numbers < 0, dtype=bool) & ~bad  # (NaN compares False: unknown is not negative)
    return Parsed(numbers, bad, out_of_range, negative)


def _dates(cells: FieldInput) -> Parsed:
    """Raises AmbiguousDates when the field's slash dates read both ways and nothing decides."""
    rule, extra = cells.rule, {}
    if rule is not None and rule.evidence:  # a seat export's activity per workload
        days, bad, out_of_range, per_workload = _evidence_dates(
            cells.columns, cells.blanks, rule, cells.headers, cells.date_order, cells.proven
        )
        extra = {EVIDENCE + w: d for w, d in per_workload.items()}
    else:
        days, bad, out_of_range = _date_field(cells.columns, cells.blanks, rule, cells.date_order, cells.proven)
    return Parsed(days if cells.typed else days_to_dates(days), bad, out_of_range, extra=extra)


def _yes_no(cells: FieldInput) -> Parsed:
    value, blank = _first_present(cells.columns, cells.blanks)
    if cells.rule and cells.rule.true_values:
        words = cells.rule.true_values
        return Parsed(
            per_distinct(value, lambda v: normalise_header(v) in words, blank), np.zeros(len(value), dtype=bool)
        )
    return _checked(value, blank, _bool_or_error)


def _people(cells: FieldInput) -> Parsed:
    # Cleaned and pseudonymised as a whole column (a million distinct identifiers is one
    # arrow pass and one hashing pass); a cell that cleans to nothing names no one.
    value, blank = _first_present(cells.columns, cells.blanks)
    return Parsed(pseudonymise_column(value, blank, cells.pseudonymise), np.zeros(len(value), dtype=bool))


def _choices(cells: FieldInput) -> Parsed:
    value, blank = _first_present(cells.columns, cells.blanks)
    choices = cells.spec.choices if cells.spec else {}

    def choose(v: object) -> object:
        text = normalise_header(v)
        for canonical, spellings in choices.items():
            if text == canonical or text in spellings:
                return canonical
        return _BAD

    return _checked(value, blank, choose)


def _lists(cells: FieldInput) -> Parsed:
    value, blank = _first_present(cells.columns, cells.blanks)
    items = per_distinct(
        value, lambda v: tuple(p for p in (clean_text(x) for x in re.split(r"[,;]", str(v))) if p), blank
    )
    return Parsed(items, np.zeros(len(value), dtype=bool))


def _texts(cells: FieldInput) -> Parsed:
    # The large exports' text with few distinct values (states, departments) as categoricals.
    value, blank = _first_present(cells.columns, cells.blanks)
    return Parsed(
        clean_column(value, blank, categorical_below=0.25 if cells.typed else None), np.zeros(len(value), dtype=bool)
    )


def _choice_hint(field_name: str, shown: list[str]) -> Notice:
    """The values of the register's drop-down, as it shows them (both languages), and the nearest
    one to the first value refused ('ofen' -> 'offen')."""
    german, english = choice_labels(field_name, "de"), choice_labels(field_name, "en")
    near = closest(shown[0], dict.fromkeys(german + english), fold=True) if shown else []
    if near:
        return Notice("in_choices_near", german=german, english=english, near=repr(near[0]))
    return Notice("in_choices", german=german, english=english)


KINDS: dict[str, Kind] = {
    NUMBER: Kind(_numbers, "in_not_numbers", beyond="in_numbers_out_of_range"),
    DATE: Kind(
        _dates,
        "in_not_dates",
        beyond="in_dates_out_of_range",
        beyond_values={"first": FIRST_DATE.year, "last": LAST_DATE.year},
    ),
    BOOL: Kind(_yes_no, "in_not_yes_no"),
    USER: Kind(_people),
    CHOICE: Kind(_choices, "in_not_choices", offers=_choice_hint),
    LIST: Kind(_lists),
    TEXT: Kind(_texts),
}


_BAD = object()


def _bool_or_error(value: object) -> object:
    try:
        return parse_bool(value)
    except ValueError:
        return _BAD


def _checked(value: pd.Series, blank: np.ndarray, func: Callable[[object], object]) -> Parsed:
    codes, mapped = distinct_results(value, func)
    unusable = np.array([v is _BAD for v in mapped], dtype=bool)  # decided per distinct value
    mapped[unusable] = None
    parsed, bad = mapped[codes], unusable[codes]
    parsed[blank] = None
    bad[blank] = False
    return Parsed(parsed, bad)


def _date_field(
    cols: list[pd.Series],
    blanks: list[np.ndarray],
    rule: ColumnRule | None,
    order: str | None = None,
    proven: list[str] | None = None,
) -> tuple[Any, np.ndarray, np.ndarray]:
    never = rule.never if rule else ()
    formats = rule.date_formats if rule and rule.date_formats else ()
    parsed_cols, bad = [], np.zeros(len(blanks[0]) if blanks else 0, dtype=bool)
    for col, col_blank in zip(cols, blanks):
        col_blank = col_blank.copy()
        if never:
            literal = per_distinct(col, lambda v: isinstance(v, str) and normalise_header(v) in never, col_blank)
            col_blank |= literal.astype(bool)
        days, col_bad = _parse_dates_once_each(col.reset_index(drop=True), col_blank, formats, order, proven)
        parsed_cols.append(days)
        bad |= col_bad
    if not parsed_cols:
        return np.empty(0, dtype="datetime64[D]"), bad, bad
    days = _combine_days(parsed_cols, rule.combine if rule else "max")
    out_of_range = np.zeros(len(days), dtype=bool)
    for col_days in parsed_cols:
        out_of_range |= date_out_of_range(col_days)
    return days, bad, out_of_range & ~bad


def _evidence_dates(
    cols: list[pd.Series],
    blanks: list[np.ndarray],
    rule: ColumnRule,
    headers: list[str],
    order: str | None = None,
    proven: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """A date field read column group by column group: (all columns combined, not dates, out of
    range, workload -> the latest date of that workload's columns). Each column is parsed once."""
    groups: dict[str | None, list[int]] = {}
    for k, header in enumerate(headers):
        groups.setdefault(rule.workload_of(header), []).append(k)
    results = {
        w: _date_field([cols[k] for k in ks], [blanks[k] for k in ks], rule, order, proven) for w, ks in groups.items()
    }
    days = _combine_days([r[0] for r in results.values()], rule.combine)
    bad = np.logical_or.reduce([r[1] for r in results.values()]) if results else np.zeros(len(days), dtype=bool)
    out = np.logical_or.reduce([r[2] for r in results.values()]) if results else np.zeros(len(days), dtype=bool)
    return days, bad, out, {w: r[0] for w, r in results.items() if w is not None}


def evidenced_activity(frame: pd.DataFrame) -> pd.DataFrame:
    """A seat's activity from a report that dates each workload: the latest date of the workloads
    its product holds; a seat whose product holds none of them has no activity data from this
    export (Exchange activity says nothing about a Copilot or an EMS seat). Decided per distinct
    product, then on whole columns."""
    helpers = [c for c in frame.columns if str(c).startswith(EVIDENCE)]
    if not helpers:
        return frame
    from sambrief.ingest.workloads import family_table, workloads_of_product

    table = family_table()
    codes, products = pd.factorize(frame["product"], use_na_sentinel=True)
    held = [set(workloads_of_product(p, table)) for p in products] + [set()]
    nat = np.iinfo(np.int64).min  # NaT as int64: the smallest, so the maximum skips it
    last = np.full(len(frame), nat, dtype=np.int64)
    known = np.zeros(len(frame), dtype=bool)
    for column in helpers:
        workload = str(column)[len(EVIDENCE) :]
        covered = np.array([workload in h for h in held], dtype=bool)[codes]
        days = frame[column].to_numpy().astype("datetime64[D]").view("int64")
        last = np.where(covered, np.maximum(last, days), last)
        known |= covered
    frame = frame.copy(deep=False)
    frame["last_activity"] = pd.Series(last.view("datetime64[D]"), index=frame.index)
    frame["activity_known"] = pd.Series(known, index=frame.index)
    return frame


def _combine_days(columns: list[np.ndarray], combine: str) -> np.ndarray:
    """The earliest ('min') or latest day of each row over the field's columns, skipping NaT
    (NaT only where every column is empty). On int64 days: NaT is the smallest int64."""
    days = [np.asarray(c, dtype="datetime64[D]").view("int64") for c in columns]
    if len(days) == 1:
        return days[0].view("datetime64[D]")
    if combine == "min":
        nat, last = np.iinfo(np.int64).min, np.iinfo(np.int64).max
        out = np.where(days[0] == nat, last, days[0])
        for d in days[1:]:
            np.minimum(out, np.where(d == nat, last, d), out=out)
        out[out == last] = nat
    else:
        out = days[0].copy()
        for d in days[1:]:
            np.maximum(out, d, out=out)
    return out.view("datetime64[D]")


def _parse_dates_once_each(
    col: pd.Series,
    blank: np.ndarray,
    formats: tuple[str, ...],
    order: str | None = None,
    proven: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """parse_dates over the distinct texts of a CSV column, spread back over the rows (a million
    activity dates hold a few hundred days). The format sample is the same: distinct values in
    order of first appearance. Workbook columns (mixed cell types) are parsed as they are."""
    if col.dtype == object or len(col) < 1000 or len(pd.unique(col.iloc[:4000].to_numpy())) > 2000:
        # workbook cells, a short column, or timestamps that hardly repeat (most of the first
        # rows differ): parsing the rows costs no more than finding the distinct texts
        return parse_dates(col, blank, formats, order, proven)
    codes, distinct = pd.factorize(col, use_na_sentinel=True)
    missing = codes < 0
    any_missing = bool(missing.any())  # a CSV's text columns have no missing cells, only empty ones
    if any_missing and (missing & ~blank).any():
        return parse_dates(col, blank, formats, order, proven)
    rows = np.bincount(codes[~missing] if any_missing else codes, minlength=len(distinct))
    blank_rows = np.bincount(codes[~missing & blank] if any_missing else codes[blank], minlength=len(distinct))
    distinct_blank = blank_rows == rows
    days, bad = parse_dates(pd.Series(distinct), distinct_blank, formats, order, proven)
    nat = np.datetime64("NaT", "D")
    days = np.append(days, nat)[codes]
    # Blank is decided by the text, so a distinct text is blank in all its rows or in none: then
    # its rows are NaT and not bad already (the per-row fix-up is for a mask that is not).
    mixed = (blank_rows > 0) & ~distinct_blank
    bad_rows = np.append(bad, False)[codes] if bad.any() else np.zeros(len(codes), dtype=bool)
    if mixed.any():
        bad_rows &= ~blank
        days[blank] = nat
    return days, bad_rows
