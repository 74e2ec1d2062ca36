"""Date columns: Excel serials, slash dates in the order the column proves, and the formats a
sample of the column's distinct texts decides; what those miss, one distinct value at a time.

The text is one arrow array: trimmed, tested and sampled with pyarrow.compute (a few
microseconds a call, where a pandas `.str` step on a small column cost 30-200 µs).
"""

from __future__ import annotations

import locale
import re
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from sambrief.ingest.columns import cell_types, mask_of, non_ascii_rows, per_distinct, per_distinct_text, text_array
from sambrief.ingest.parsing import _DATE_FORMATS, parse_date

DATE_SAMPLE = 200  # distinct values tried against the candidate formats
_NAT = np.datetime64("NaT", "D")
_SERIAL = r"\d{5}(?:\.\d+)?"


def _serial_dates(serials: np.ndarray) -> np.ndarray:
    """Excel serial day numbers -> datetime64[D]; NaT outside Excel's range."""
    ok = (serials >= 1) & (serials < 2958466)
    days = np.where(ok, np.floor(np.nan_to_num(serials)), 0).astype("int64")
    out = (np.datetime64("1899-12-30", "D") + days).astype("datetime64[D]")
    return np.where(ok, out, _NAT)


def _to_day(value: Any) -> np.datetime64:
    try:
        day = parse_date(value)
    except (ValueError, OverflowError, OSError):
        return _NAT
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
    days = np.full(n, _NAT, dtype="datetime64[D]")
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
        days[is_text] = _text_dates(*text_array(column, is_text), formats, order, proven)
    bad = present & np.isnat(days)
    return days, bad


def _text_dates(
    text: Any, python_regex: bool, formats: tuple[str, ...], order: str | None, proven: list[str] | None
) -> np.ndarray:
    """The days of a column's text cells (an arrow string array)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    # Stripped only: values with odd inner spacing fall through to parse_date, which collapses it.
    text = pc.utf8_trim_whitespace(text)
    result = np.full(len(text), _NAT, dtype="datetime64[D]")
    todo = np.ones(len(text), dtype=bool)
    serial = mask_of(pc.match_substring_regex(text, f"^(?:{_SERIAL})$"))
    if python_regex:  # Python's \d also reads other scripts' digits (which no serial parses)
        other = non_ascii_rows(text)
        if len(other):
            serial[other] = per_distinct_text(text.take(other), lambda v: re.fullmatch(_SERIAL, v) is not None)
    if serial.any():
        result[serial] = _serial_dates(pd.to_numeric(_cells(text, serial), errors="coerce").astype(float))
        todo &= ~serial
    if pc.any(pc.match_substring(text, "/")).as_py():
        _read_slash_dates(_series(text, python_regex), result, todo, order, proven)
    for fmt in _formats_by_coverage(text.filter(pa.array(todo)), formats or _DATE_FORMATS)[:3]:
        if not todo.any():
            break
        try:
            parsed = pd.to_datetime(_cells(text, todo), format=fmt, errors="coerce")
            if not isinstance(parsed, pd.DatetimeIndex):
                continue  # texts with differing offsets: left to the per-value parser
            if parsed.tz is not None:
                parsed = parsed.tz_localize(None)
            hit = np.asarray(parsed.notna(), dtype=bool)
        except (ValueError, TypeError, OverflowError, AttributeError):
            continue  # mixed offsets and the like: left to the per-value parser
        idx = np.flatnonzero(todo)
        result[idx[hit]] = parsed[hit].to_numpy().astype("datetime64[D]")
        todo[idx[hit]] = False
    if todo.any():
        result[todo] = per_distinct_text(text.filter(pa.array(todo)), _to_day).astype("datetime64[D]")
    return result


def _cells(text: Any, rows: np.ndarray) -> np.ndarray:
    """The texts of these rows as Python strings (what pandas' readers of numbers and dates take)."""
    import pyarrow as pa

    return text.filter(pa.array(rows)).to_numpy(zero_copy_only=False)


def _series(text: Any, python_regex: bool) -> pd.Series:
    """The text as the Series the slash-date reading always took: its dtype decides the regex rules."""
    if python_regex:
        return pd.Series(text.to_numpy(zero_copy_only=False), dtype="str")
    return pd.Series(pd.arrays.ArrowExtensionArray(text))


def _read_slash_dates(
    text: pd.Series, result: np.ndarray, todo: np.ndarray, order: str | None, proven: list[str] | None
) -> None:
    """The slash dates of the column into result (taken off todo), read in the order the column
    proves, else `order`; raises AmbiguousDates when neither decides."""
    parts = _slash_parts(text)
    slash = parts[0].notna().to_numpy()
    if not slash.any():
        return
    own = slash_order(parts, text)
    decided = own or order
    if decided is None:
        raise AmbiguousDates(str(text.iloc[int(np.flatnonzero(slash)[0])]))
    if own is not None and proven is not None:
        proven.append(own)
    result[slash] = _slash_days(parts[slash], decided)
    todo &= ~slash


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


def _formats_by_coverage(text: Any, formats: tuple[str, ...]) -> list[str]:
    """The formats that read the column's sample, best first; the first format that reads the
    whole sample ends the search (the usual case: one export, one format)."""
    sample = first_distinct(text, DATE_SAMPLE)
    language = locale.getlocale(locale.LC_TIME)  # what strptime's month names depend on
    coverage = []
    for position, fmt in enumerate(formats):
        hits = 0
        for value in sample:
            if _reads(value, fmt, language):
                hits += 1
            elif not hits:
                break  # a format that misses the first values is not the column's format
        if hits == len(sample):
            return [fmt]
        if hits:
            coverage.append((-hits, position, fmt))
    return [fmt for _, _, fmt in sorted(coverage)]


@lru_cache(maxsize=16384)
def _reads(value: str, fmt: str, language: tuple[str | None, str | None]) -> bool:
    """Whether strptime reads the value in this format. Remembered: the exports of a build and
    of its periods repeat their dates, and a strptime call costs more than the rest of a
    small date column's reading per value."""
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def first_distinct(text: Any, count: int) -> np.ndarray:
    """The first `count` distinct texts of an arrow array in order of first appearance, found
    in a growing head of it rather than hashing all of it."""
    import pyarrow.compute as pc

    rows = 8 * count
    while True:
        distinct = pc.unique(text.slice(0, rows))
        if len(distinct) >= count or rows >= len(text):
            return distinct.slice(0, count).to_numpy(zero_copy_only=False)
        rows *= 4
