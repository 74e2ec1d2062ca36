"""Number columns: the decimal mark decided from the column's own values, then every text cell
read by the one number grammar (sambrief.ingest.parsing.number_shape) at once.

The text is worked on as one arrow array with pyarrow.compute: a call costs a few microseconds
whatever the rows, where each pandas `.str` step on a small arrow-backed column cost 30-200 µs,
and a column went through fifteen of them (most of the time an export of a few hundred rows
spends reading its numbers).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sambrief.ingest.columns import cell_types, mask_of, non_ascii_rows, per_distinct_text, text_array
from sambrief.ingest.parsing import _CURRENCY, CURRENCY, number_shape, thousands_mark

# Beyond these a value is no licence count, price or amount, but a broken cell or a test of the reader.
MAX_NUMBER = 1e12


def parse_numbers(
    column: pd.Series, blank: np.ndarray, default_decimal: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """-> (values, not a number, out of range, decimal mark). Native workbook numbers pass as they
    are; text must be one well-formed number: one decimal mark, thousands groups of three, an
    optional sign, brackets or trailing minus for negatives, a currency. '1.2.3', '1,2,3', '5%'
    and '1e30' are not numbers (parsing.number_shape: the grammar parsing.parse_number applies to one value)."""
    n = len(column)
    values = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    present = ~blank
    if column.dtype == object:
        is_bool, is_native, is_time = cell_types(column, present)
        bad |= is_bool | is_time
        if is_native.any():
            values[is_native] = pd.to_numeric(column[is_native], errors="coerce").to_numpy(dtype=float)
        is_text = present & ~is_bool & ~is_native & ~is_time
    else:
        is_text = present
    decimal = default_decimal
    if is_text.any():
        strings = _number_strings(*text_array(column, is_text))
        decimal = decide_decimal(strings, default_decimal)
        text_values, ok = _read(strings, decimal)
        values[is_text] = text_values
        bad[is_text] = ~ok | np.isnan(text_values)
    with np.errstate(invalid="ignore"):
        out_of_range = present & ~bad & ~(np.abs(values) <= MAX_NUMBER)
    return values, bad, out_of_range, decimal


def _number_strings(text: Any, python_regex: bool) -> Any:
    """The cells as the grammar reads them: the currency gone, no-break spaces as spaces,
    trimmed, spaces and apostrophes (thousands separators) gone."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pc.any(pc.match_substring_regex(text, "[^0-9.,()+-]")).as_py():
        return text  # digits, marks and signs only (the usual column): nothing to take off
    stripped = pc.replace_substring_regex(text, "(?i)" + CURRENCY, "")
    if python_regex:
        other = non_ascii_rows(text)
        if len(other):  # Python's \b around a currency code next to a non-ASCII letter ('éUSD' stays)
            removed = per_distinct_text(text.take(other), lambda v: _CURRENCY.sub("", v))
            mask = np.zeros(len(text), dtype=bool)
            mask[other] = True
            stripped = pc.replace_with_mask(stripped, pa.array(mask), pa.array(removed, type=stripped.type))
    spaced = pc.utf8_trim_whitespace(pc.replace_substring_regex(stripped, "[\u00a0\u202f]", " "))
    return pc.replace_substring_regex(spaced, "[ ']", "")


def decimal_votes(strings: Any) -> dict[str, int]:
    """Which mark the unambiguous values of an arrow string array prove: '1.234,56' or '12,5' a
    decimal comma, '1,234.56' or '12.5' a decimal point, '1.234.567' a decimal comma (the point
    groups thousands); '1,234' alone proves nothing."""
    import pyarrow.compute as pc

    votes = {",": 0, ".": 0}
    if not len(strings):
        return votes
    counts = {m: pc.count_substring(strings, m).to_numpy(zero_copy_only=False) for m in ",."}
    both = (counts[","] > 0) & (counts["."] > 0)

    def tail(mark: str) -> Any:
        """The text after the mark's last occurrence (all of it where there is none)."""
        return pc.replace_substring_regex(strings, f"(?s)^.*\\{mark}", "")

    if both.any():  # the mark that comes last: no point after the last comma
        comma_last = both & ~pc.match_substring(tail(","), ".").to_numpy(zero_copy_only=False)
        votes[","] += int(comma_last.sum())
        votes["."] += int((both & ~comma_last).sum())
    for mark, other in ((",", "."), (".", ",")):
        single = ~both & (counts[mark] == 1)
        if single.any():  # a single mark not followed by three characters (a thousands group)
            single &= pc.utf8_length(tail(mark)).to_numpy(zero_copy_only=False) != 3
        votes[mark] += int(single.sum())
        votes[other] += int((~both & (counts[mark] > 1)).sum())
    return votes


def decide_decimal(strings: Any, default: str) -> str:
    """The mark more values prove, else the file's default."""
    votes = decimal_votes(strings)
    if votes[","] > votes["."]:
        return ","
    if votes["."] > votes[","]:
        return "."
    return default


def _read(strings: Any, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """(value, well-formed) of each string with this decimal mark; a negative in brackets or
    with a trailing minus (rare: the marks are taken off only where there are any)."""
    import pyarrow.compute as pc

    paren_mask = pc.and_(pc.starts_with(strings, "("), pc.ends_with(strings, ")"))
    paren = mask_of(paren_mask)
    if paren.any():
        strings = pc.if_else(paren_mask, pc.utf8_slice_codeunits(strings, 1, -1), strings)
    trailing_mask = pc.and_(pc.ends_with(strings, "-"), pc.greater(pc.utf8_length(strings), 1))
    trailing = mask_of(trailing_mask)
    if trailing.any():
        strings = pc.if_else(trailing_mask, pc.utf8_slice_codeunits(strings, 0, -1), strings)
    ok = mask_of(pc.match_substring_regex(strings, f"^(?:{number_shape(decimal)})$"))
    plain = pc.replace_substring(strings, thousands_mark(decimal), "")
    if decimal != ".":
        plain = pc.replace_substring(plain, decimal, ".")
    # pandas reads the numbers (as it always did: its reading of a long digit string is the
    # figure's); the refused ones as 'nan', so that it sees the same column it always saw.
    texts = np.where(ok, plain.to_numpy(zero_copy_only=False), "nan").astype(object)
    parsed = np.asarray(pd.to_numeric(texts, errors="coerce"), dtype=float)
    sign = np.where(paren | trailing, -1.0, 1.0)
    return np.where(ok, parsed * sign, np.nan), ok
