"""Whole-column parsing: decide once per column, then parse every row vectorised.

A column of an export is parsed as a unit: its blank cells found in one pass, its decimal mark
decided from its own values (sambrief.ingest.numbers), its date format from a sample
(sambrief.ingest.dates), text cleaned once per distinct value.
Every parser returns the parsed column and a mask of the rows that did not parse, so the caller
can name them ("row 7: 'gestern'").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

FIRST_DATE, LAST_DATE = date(1990, 1, 1), date(2100, 12, 31)


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
        if not array.null_count:  # (a CSV's text has none: two calls instead of five)
            space = pc.utf8_is_space(array).to_numpy(zero_copy_only=False)
            return space | (pc.binary_length(array).to_numpy(zero_copy_only=False) == 0)
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


def text_array(column: pd.Series, rows: np.ndarray) -> tuple[Any, bool]:
    """(the text of the rows as one arrow string array, for pyarrow.compute; whether regexes on
    it follow Python's re). Python's rules: pandas' own string dtype (a workbook's mixed column
    made text, a CSV pandas read) took Python's Unicode \\b, \\d and \\s where the data is not
    ASCII; an arrow string column (a CSV pyarrow read, a workbook's text column) RE2's ASCII ones.
    They differ only on text that is no number or date either way, but such text may still
    decide a column's decimal mark or a slash date's reading, so the parsers keep each rule."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow_typed = isinstance(column.dtype, pd.ArrowDtype)
    every = rows.all()
    if arrow_typed and every:
        text = column.array._pa_array
    else:
        cells = as_text(column if every else column[rows])
        text = getattr(cells.array, "_pa_array", None)
        if text is None:  # a pandas whose string dtype is not arrow-backed
            text = pa.array(cells.to_numpy(dtype=object), type=pa.string())
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    return (pc.fill_null(text, "") if text.null_count else text), not arrow_typed


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


def per_distinct_text(text: Any, func: Callable[[Any], Any]) -> np.ndarray:
    """per_distinct on an arrow string array (the number and date readers' text): func once per
    distinct text, spread back over the rows."""
    import pyarrow.compute as pc

    distinct = pc.unique(text)
    mapped = np.empty(len(distinct), dtype=object)
    mapped[:] = [func(v) for v in distinct.to_numpy(zero_copy_only=False)]
    return mapped[mask_of(pc.index_in(text, value_set=distinct))]


def mask_of(result: Any) -> np.ndarray:
    """A pyarrow.compute result (a mask, positions) as a numpy array."""
    return result.to_numpy(zero_copy_only=False)


def non_ascii_rows(text: Any) -> np.ndarray:
    """The positions of the texts with a character beyond ASCII: where Python's regex rules
    (Unicode \\b and \\d, see text_array) may read them differently from RE2's."""
    import pyarrow.compute as pc

    return np.flatnonzero(~mask_of(pc.string_is_ascii(text)))


PLAIN = r"[\x21-\x7e]+(?: [\x21-\x7e]+)*"  # printable ASCII, single inner spaces: clean as it is


def clean_column(
    column: pd.Series, blank: np.ndarray, categorical_below: float | None = None
) -> np.ndarray | pd.Categorical:
    """text.clean_text over a column, None where blank: the column is factorized once and each
    distinct text tested once; texts that are plain ASCII are clean already, the rest are cleaned
    once each. With `categorical_below`, a column with at most that many distinct values per row
    comes back as a categorical (a code per row and each text once, so the model and themes
    group on codes)."""
    import pyarrow.compute as pc

    from sambrief.text import clean_text

    text, _ = text_array(column, np.ones(len(column), dtype=bool))
    encoded = pc.dictionary_encode(text)  # the distinct texts in order of first appearance
    del text
    found = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    arrow = encoded.dictionary
    distinct = arrow.to_numpy(zero_copy_only=False)
    plain = pc.fill_null(pc.match_substring_regex(arrow, f"^(?:{PLAIN})$"), False).to_numpy(zero_copy_only=False)
    del encoded, arrow
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
