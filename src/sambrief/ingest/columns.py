"""Whole-column parsing: decide once per column, then parse every row vectorised.

A column of an export is parsed as a unit: its blank cells found in one pass, its decimal mark
decided from its own values, its date format from a sample, text cleaned once per distinct value.
Every parser returns the parsed column and a mask of the rows that did not parse, so the caller
can name them ("row 7: 'gestern'").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from sambrief.ingest.parsing import _DATE_FORMATS, parse_date

FIRST_DATE, LAST_DATE = date(1990, 1, 1), date(2100, 12, 31)
DATE_SAMPLE = 200  # distinct values tried against the candidate formats


def as_text(column: pd.Series) -> pd.Series:
    """The column as strings ('' for empty), whatever the reader delivered."""
    if isinstance(column.dtype, pd.StringDtype) or column.dtype == "str" or _arrow_text(column):
        return column.fillna("")
    missing = column.isna()
    return column.where(~missing, "").astype(str)


def _arrow_text(column: pd.Series) -> bool:
    dtype = column.dtype
    if not isinstance(dtype, pd.ArrowDtype):
        return False
    import pyarrow as pa

    return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)


def blank_mask(column: pd.Series) -> np.ndarray:
    """Empty or whitespace-only cells. Arrow-backed text is tested in place (no stripped copy)."""
    array = getattr(column.array, "_pa_array", None)
    if array is None and column.dtype == object:
        import pyarrow as pa

        array = _typed(column)
        if array is not None and not pa.types.is_string(array.type):
            return array.is_null().to_numpy(zero_copy_only=False)  # numbers, dates, yes/no: blank = missing
    if array is not None:
        import pyarrow.compute as pc

        # Empty, or only whitespace (arrow's Unicode whitespace is str.isspace's, code point for code point).
        blank = pc.or_(pc.equal(pc.binary_length(array), 0), pc.utf8_is_space(array))
        return pc.fill_null(blank, True).to_numpy(zero_copy_only=False)
    text = as_text(column)
    return (text.str.strip() == "").to_numpy(dtype=bool)


def _typed(column: pd.Series):  # noqa: ANN202
    """A workbook column (Python cells) as one arrow array when its cells share a type, else None."""
    import pyarrow as pa

    try:
        return pa.array(column.to_numpy(), from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None


def per_distinct(column: pd.Series, func: Callable[[Any], Any], skip: np.ndarray | None = None) -> np.ndarray:
    """func applied once per distinct value, spread back over the rows (None where skip)."""
    codes, mapped = distinct_results(column, func)
    out = mapped[codes]
    if skip is not None:
        out[skip] = None
    return out


def distinct_results(column: pd.Series, func: Callable[[Any], Any]) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, func of each distinct value): the last slot, code -1, is None for a
    missing cell. For callers that decide more per distinct value than the result."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    # Converted in one call: iterating an arrow-backed Index goes through Python per value.
    mapped[:-1] = [func(u) for u in np.asarray(uniques, dtype=object)]
    mapped[-1] = None  # code -1: missing
    return codes, mapped


PLAIN = r"[\x21-\x7e]+(?: [\x21-\x7e]+)*"  # printable ASCII, single inner spaces: clean as it is


def clean_column(
    column: pd.Series, blank: np.ndarray, categorical_below: float | None = None
) -> np.ndarray | pd.Categorical:
    """text.clean_text over a column, None where blank: the column is factorized once and each
    distinct text tested once; texts that are plain ASCII are clean already, the rest are cleaned
    once each. With `categorical_below`, a column with at most that many distinct values per row
    comes back as a categorical (a code per row and each text once, so the model and themes
    group on codes)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from sambrief.text import clean_text

    found, uniques = pd.factorize(as_text(column))  # in order of first appearance
    distinct = np.asarray(uniques, dtype=object)
    arrow = getattr(uniques, "_pa_array", None)
    if arrow is None:
        arrow = pa.array(distinct, type=pa.string())
    plain = pc.fill_null(pc.match_substring_regex(arrow, f"^(?:{PLAIN})$"), False).to_numpy(zero_copy_only=False)
    del uniques, arrow
    present = ~blank & (found >= 0)
    # Only texts of non-blank cells get a value (or a category); plain ones first, as they always came.
    used = np.bincount(found[present], minlength=len(distinct)) > 0
    order = np.concatenate([np.flatnonzero(plain & used), np.flatnonzero(~plain & used)])
    renumber = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last slot: code -1 stays -1
    renumber[order] = np.arange(len(order))
    codes = renumber[found]
    codes[~present] = -1
    names: list[Any] = list(distinct[order[: int((plain & used).sum())]])
    names.extend(clean_text(v) for v in distinct[order[len(names) :]])
    if categorical_below is None or len(names) > categorical_below * len(codes):
        # Rows with the same text share one string object.
        table = np.empty(len(names) + 1, dtype=object)
        table[:-1] = names  # the last slot stays None: code -1
        return table[codes]
    # Two spellings may clean to the same text: one category each (a few names, not the rows).
    merged, merged_names = pd.factorize(np.array(names, dtype=object))
    return distinct_categorical(np.append(merged, -1)[codes], np.asarray(merged_names, dtype=object))


def distinct_categorical(codes: np.ndarray, names: np.ndarray) -> pd.Categorical:
    """A categorical over values known to be distinct (from factorize, or keyed hashes of
    distinct texts): pandas' public constructor would hash a million names again to check that."""
    categories = pd.Index(names, dtype=object)
    try:
        dtype = pd.CategoricalDtype._from_fastpath(categories, False)
    except (AttributeError, TypeError):  # a pandas without the private fast path
        dtype = pd.CategoricalDtype(categories)
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def cell_types(column: pd.Series, present: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bool, number, date-or-time) masks of a workbook column's native cells, decided per type."""
    codes, types = pd.factorize(column.map(type))
    flags = np.zeros((len(types) + 1, 3), dtype=bool)
    for i, kind in enumerate(types):
        is_bool = issubclass(kind, (bool, np.bool_))
        flags[i] = (
            is_bool,
            not is_bool and issubclass(kind, (int, float, np.integer, np.floating)),
            issubclass(kind, (date, datetime)),
        )
    picked = flags[codes] & present[:, None]
    return picked[:, 0], picked[:, 1], picked[:, 2]


def _serial_dates(serials: np.ndarray) -> np.ndarray:
    """Excel serial day numbers -> datetime64[D]; NaT outside Excel's range."""
    ok = (serials >= 1) & (serials < 2958466)
    days = np.where(ok, np.floor(np.nan_to_num(serials)), 0).astype("int64")
    out = (np.datetime64("1899-12-30", "D") + days).astype("datetime64[D]")
    return np.where(ok, out, np.datetime64("NaT", "D"))


def _to_day(value: Any) -> np.datetime64:
    try:
        day = parse_date(value)
    except (ValueError, OverflowError, OSError):
        return np.datetime64("NaT", "D")
    return np.datetime64(day, "D")


def parse_dates(
    column: pd.Series,
    blank: np.ndarray,
    formats: tuple[str, ...] = (),
    order: str | None = None,
    proven: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """-> (datetime64[D] values, did not parse). Slash dates are read in the order the whole
    column proves (else `order`, the order the file's other date columns proved; neither:
    AmbiguousDates); the order used is appended to `proven`. Other formats are decided from a
    sample of the column's distinct strings; rows the chosen formats miss are parsed one
    distinct value at a time by parsing.parse_date (ISO variants, mixed columns)."""
    n = len(column)
    days = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    present = ~blank
    if column.dtype == object:
        is_bool, is_number, is_time = cell_types(column, present)
        if is_time.any():
            days[is_time] = per_distinct(column[is_time], _to_day).astype("datetime64[D]")
        if is_number.any():
            days[is_number] = _serial_dates(pd.to_numeric(column[is_number], errors="coerce").to_numpy(dtype=float))
        is_text = present & ~is_time & ~is_number & ~is_bool
    else:
        is_text = present
    if is_text.any():
        # Stripped only: values with odd inner spacing fall through to parse_date, which collapses it.
        text = as_text(column[is_text]).str.strip()
        result = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
        todo = np.ones(len(text), dtype=bool)
        serial = text.str.fullmatch(r"\d{5}(?:\.\d+)?").to_numpy(dtype=bool)
        if serial.any():
            result[serial] = _serial_dates(pd.to_numeric(text[serial], errors="coerce").to_numpy(dtype=float))
            todo &= ~serial
        if text.str.contains("/", regex=False).any():
            parts = _slash_parts(text)
            slash = parts[0].notna().to_numpy()
            if slash.any():
                own = slash_order(parts, text)
                decided = own or order
                if decided is None:
                    raise AmbiguousDates(str(text.iloc[int(np.flatnonzero(slash)[0])]))
                if own is not None and proven is not None:
                    proven.append(own)
                result[slash] = _slash_days(parts[slash], decided)
                todo &= ~slash
        for fmt in _formats_by_coverage(text[todo], formats or _DATE_FORMATS)[:3]:
            if not todo.any():
                break
            try:
                parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
                if getattr(parsed.dt, "tz", None) is not None:
                    parsed = parsed.dt.tz_localize(None)
                hit = parsed.notna().to_numpy()
            except (ValueError, TypeError, OverflowError, AttributeError):
                continue  # mixed offsets and the like: left to the per-value parser
            idx = np.flatnonzero(todo)
            result[idx[hit]] = parsed[hit].to_numpy().astype("datetime64[D]")
            todo[idx[hit]] = False
        if todo.any():
            result[todo] = per_distinct(text[todo], _to_day).astype("datetime64[D]")
        days[is_text] = result
    bad = present & np.isnat(days)
    return days, bad


# Dates with slashes: M/D/Y (US, as Excel re-saves a CSV: `12/31/17 14:42`; Microsoft's reports:
# `8/19/2021 1:25:31 PM`) or D/M/Y (most of Europe). The order is decided from the whole column.
_SLASH_DATE = (
    r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?$"
)
MONTH_FIRST, DAY_FIRST = "month-first", "day-first"


class AmbiguousDates(ValueError):
    """A column of slash dates that reads both day-first and month-first (every day and month 12
    or less), or that mixes both orders."""

    def __init__(self, *examples: str) -> None:
        super().__init__(", ".join(examples))
        self.examples = examples  # one value that reads both ways, or one of each order (mixed)


def _slash_parts(text: pd.Series) -> pd.DataFrame:
    """(first, second, year, am/pm) of each slash date, NaN rows for other text: one regex pass."""
    return text.str.extract(_SLASH_DATE)


def slash_order(parts: pd.DataFrame, text: pd.Series) -> str | None:
    """The order a column's slash dates prove: a first number above 12 proves day-first, a second
    above 12 month-first; AM/PM (Microsoft's US reports) month-first. None when nothing proves
    it (every day and month 12 or less). Raises AmbiguousDates when the column proves both."""
    found = parts[0].notna().to_numpy()
    if not found.any():
        return None
    first = pd.to_numeric(parts[0], errors="coerce").to_numpy()
    second = pd.to_numeric(parts[1], errors="coerce").to_numpy()
    day_first, month_first = found & (first > 12), found & (second > 12)
    if day_first.any() and month_first.any():
        raise AmbiguousDates(
            str(text.iloc[int(np.flatnonzero(day_first)[0])]), str(text.iloc[int(np.flatnonzero(month_first)[0])])
        )
    if day_first.any():
        return DAY_FIRST
    if month_first.any() or parts[3].notna().any():
        return MONTH_FIRST
    return None


def _slash_days(parts: pd.DataFrame, order: str) -> np.ndarray:
    """The slash dates of the rows `parts` found, as datetime64[D] (NaT where no such day).
    Two-digit years as Python's %y reads them (69-99: 19xx, 00-68: 20xx)."""
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    year = pd.to_numeric(parts[2], errors="coerce")
    short = parts[2].str.len() == 2
    year = year.where(~short, year + np.where(year >= 69, 1900, 2000))
    month, day = (first, second) if order == MONTH_FIRST else (second, first)
    when = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    return when.to_numpy().astype("datetime64[D]")


def _formats_by_coverage(text: pd.Series, formats: tuple[str, ...]) -> list[str]:
    """The formats that read the column's sample, best first; the first format that reads the
    whole sample ends the search (the usual case: one export, one format)."""
    sample = first_distinct(text, DATE_SAMPLE)
    coverage = []
    for position, fmt in enumerate(formats):
        hits = 0
        for value in sample:
            try:
                datetime.strptime(value, fmt)
                hits += 1
            except ValueError:
                if not hits:
                    break  # a format that misses the first values is not the column's format
        if hits == len(sample):
            return [fmt]
        if hits:
            coverage.append((-hits, position, fmt))
    return [fmt for _, _, fmt in sorted(coverage)]


def first_distinct(column: pd.Series, count: int) -> np.ndarray:
    """The first `count` distinct values in order of first appearance (pd.unique(column)[:count]),
    found in a growing head of the column rather than hashing all of it."""
    rows = 8 * count
    while True:
        distinct = pd.unique(column.iloc[:rows].to_numpy())
        if len(distinct) >= count or rows >= len(column):
            return distinct[:count]
        rows *= 4


def date_out_of_range(days: np.ndarray) -> np.ndarray:
    """Days before FIRST_DATE or after LAST_DATE (NaT is neither). On int64 days: NaT is the
    smallest int64, below any day, so only the rows below the first day need the NaT test."""
    ints = np.asarray(days).astype("datetime64[D]", copy=False).view("int64")
    low, high = np.datetime64(FIRST_DATE, "D").astype("int64"), np.datetime64(LAST_DATE, "D").astype("int64")
    out = ints > high
    below = ints < low
    if below.any():
        below &= ints != np.iinfo(np.int64).min
        out |= below
    return out


def days_to_dates(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> object array of datetime.date, None for NaT (the canonical date cells).
    Rows with the same day share one date object: a million seats hold a few hundred dates.
    Looked up by the day's offset from the first day (no hash table or sort over the rows:
    this runs on every seat while the model is at its peak memory)."""
    days = np.asarray(days).astype("datetime64[D]", copy=False).reshape(-1)
    missing = np.isnat(days)
    if missing.all():
        return np.full(len(days), None, dtype=object)
    ints = days.view("int64")
    first, last = int(ints[~missing].min()), int(ints[~missing].max())
    if last - first > 4 * len(days) + 100_000:  # days scattered over centuries: one slot per distinct day
        inverse, distinct = pd.factorize(ints)
        distinct = np.asarray(distinct, dtype="int64").view("datetime64[D]")
        objects = distinct.astype(object)
        objects[np.isnat(distinct)] = None
        return objects[inverse]
    offsets = ints - first
    offsets[missing] = last - first + 1  # the last slot stays None
    table = np.full(last - first + 2, None, dtype=object)
    used = np.flatnonzero(np.bincount(offsets, minlength=len(table))[:-1])
    table[used] = (used + first).astype("datetime64[D]").astype(object)
    return table[offsets]
