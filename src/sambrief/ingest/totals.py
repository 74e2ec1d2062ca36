"""Rows of an export that are no records: empty rows, totals rows ('Summe', 'Total:') and rows
wider or narrower than the header; and how an error names rows (the first few, then how many more).

Decided column by column: the columns a field reads are tested whole, the others only where
they decide something (rows blank in every read column, cells in front of a totals word).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from sambrief.errors import InputError
from sambrief.i18n.notices import Count, Notice
from sambrief.ingest.columns import as_text, blank_mask
from sambrief.ingest.parsing import is_blank
from sambrief.ingest.readers import RawTable
from sambrief.text import clean_text, normalise_header

TOTAL_WORDS = {
    "summe",
    "gesamt",
    "gesamtsumme",
    "total",
    "totals",
    "grand total",
    "sum",
    "insgesamt",
    "gesamt:",
    "total:",
    "summe:",
}
MAX_EXAMPLES = 3


class Records(NamedTuple):
    """The rows of a table that are records, with only the columns fields read."""

    data: pd.DataFrame  # columns labelled by their position in the file
    blank: dict[int, np.ndarray]  # per column: its blank cells
    lines: np.ndarray  # 1-based row of each record in the file or sheet
    dropped: Counter[str]  # rows left out: 'empty row', 'totals row'
    short_rows: np.ndarray  # file rows of a CSV with fewer fields than the header (a warning)


def records(path: Path, table: RawTable, header_row: int, used: list[int]) -> Records:
    """The data rows below the header that are records: not empty in every column, not a totals
    row. `used`: the columns a field reads. Raises InputError for CSV rows wider than the header."""
    dropped: Counter[str] = Counter()
    first_data = header_row + 1
    data = table.frame.iloc[first_data:].reset_index(drop=True)
    lines = np.arange(first_data + 1, first_data + 1 + len(data))  # 1-based rows of the file or sheet
    # Column by column (a rows x columns matrix of a million-row export costs more than its tests).
    tested, blank_of = _lazy_blanks(data)
    empty = np.ones(len(data), dtype=bool)
    for col in used:
        empty &= blank_of(col)
    rows = np.flatnonzero(empty)
    read = set(used)
    for col in (c for c in data.columns if c not in read):
        if not len(rows):
            break
        still = tested[col][rows] if col in tested else blank_mask(data[col].iloc[rows])
        empty[rows[~still]] = False
        rows = rows[still]
    dropped_empty = int(empty.sum())
    totals = _total_rows(data, blank_of) & ~empty
    keep = ~empty & ~totals
    short_rows = _ragged_rows(path, table, header_row, data, blank_of, keep, lines)
    if dropped_empty:
        dropped["empty row"] += dropped_empty
    if totals.any():
        dropped["totals row"] += int(totals.sum())
    # Only the columns a field reads are kept (the rest served the empty/totals tests above).
    everything = keep.all()
    data = data.iloc[keep, used] if not everything else data.iloc[:, used]
    data.columns = used
    blank = {i: tested[i] if everything else tested[i][keep] for i in used}
    return Records(data, blank, lines[keep], dropped, short_rows)


def _is_total_row(row: list[object]) -> bool:
    texts = [normalise_header(c) for c in row if not is_blank(c)][:2]
    return any(t.rstrip(":") in TOTAL_WORDS or t in TOTAL_WORDS for t in texts)


def _total_word_pattern() -> str:
    words = sorted({w.rstrip(":") for w in TOTAL_WORDS}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"[\s\p{Z}]+") for w in words)
    return rf"(?i)^[\s\p{{Z}}]*(?:{alternatives})[\s\p{{Z}}]*:?[\s\p{{Z}}]*$"


def _lazy_blanks(data: pd.DataFrame) -> tuple[dict[Any, np.ndarray], Callable[[Any], np.ndarray]]:
    """(cache, blank_of): blank_of(column) tests a column of data once, when first asked."""
    cache: dict[Any, np.ndarray] = {}

    def blank_of(col: Any) -> np.ndarray:
        if col not in cache:
            cache[col] = blank_mask(data[col])
        return cache[col]

    return cache, blank_of


def _total_rows(data: pd.DataFrame, blank_of: Callable[[Any], np.ndarray]) -> np.ndarray:
    """Rows whose first two non-empty cells hold a totals word ('Summe', 'Total:').
    blank_of(column) gives the column's blank cells (tested on demand: only the first columns
    of a full export are needed)."""
    words = sorted(TOTAL_WORDS | {w + ":" for w in TOTAL_WORDS})
    filled = np.zeros(len(data), dtype=np.int8)  # non-empty cells so far in the row (counted up to 2)
    hits = np.zeros(len(data), dtype=bool)
    for col in data.columns:
        in_front = ~blank_of(col) & (filled < 2)
        if not in_front.any():
            continue
        filled += in_front
        # Candidates cheaply (cells that read as a totals word); the exact test runs on those rows only.
        arrow = getattr(data[col].array, "_pa_array", None)
        if arrow is not None:
            import pyarrow.compute as pc

            # Only a cell that starts like a totals word (or with a space or a non-ASCII letter) can be one.
            candidates = in_front & _MAY_START_TOTAL[_first_bytes(arrow)]
            rows = np.flatnonzero(candidates)
            if len(rows):  # (else no cell starts like one: the pattern's compiling is spared)
                if len(rows) < len(data) // 2:  # usually a few rows whose first cells are empty
                    arrow = arrow.take(rows)
                found = pc.fill_null(pc.match_substring_regex(arrow, _total_word_pattern()), False).to_numpy(
                    zero_copy_only=False
                )
                if len(found) == len(data):
                    hits |= found & candidates
                else:
                    hits[rows[found]] = True
        else:
            rows = np.flatnonzero(in_front)
            text = as_text(data[col].iloc[rows])
            short = (text.str.len() <= 30).to_numpy()
            rows, text = rows[short], text[short]
            text = text.str.replace(r"\s+", " ", regex=True).str.strip().str.lower()
            hits[rows[text.isin(words).to_numpy()]] = True
        if filled.min() >= 2:
            break  # every row has its two first cells: no later column is in front
    out = np.zeros(len(data), dtype=bool)
    for i in np.flatnonzero(hits):
        out[i] = _is_total_row(list(data.iloc[i]))
    return out


# First bytes a totals cell can start with: the words' first letters in either case, whitespace,
# and any non-ASCII byte (Unicode spaces, and letters that case-fold to these, such as 'ſ').


# First bytes a totals cell can start with: the words' first letters in either case, whitespace,
# and any non-ASCII byte (Unicode spaces, and letters that case-fold to these, such as 'ſ').
_MAY_START_TOTAL = np.zeros(256, dtype=bool)
_MAY_START_TOTAL[list(b"sSgGtTiI")] = True
_MAY_START_TOTAL[:0x21] = True
_MAY_START_TOTAL[0x80:] = True


def _first_bytes(arrow: Any) -> np.ndarray:
    """The first byte of each cell of an arrow text column (0 for an empty cell), read from its
    buffers; a column of another type gives 0x80 everywhere (every cell a candidate)."""
    import pyarrow as pa

    chunks = arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]
    parts = []
    for chunk in chunks:
        wide = pa.types.is_large_string(chunk.type)
        if not (wide or pa.types.is_string(chunk.type)):
            parts.append(np.full(len(chunk), 0x80, dtype=np.uint8))
            continue
        buffers = chunk.buffers()
        offsets = np.frombuffer(buffers[1], dtype=np.int64 if wide else np.int32)[
            chunk.offset : chunk.offset + len(chunk) + 1
        ]
        values = (
            np.frombuffer(buffers[2], dtype=np.uint8)
            if buffers[2] is not None and buffers[2].size
            else np.zeros(1, dtype=np.uint8)
        )
        first = values[np.minimum(offsets[:-1], len(values) - 1)]
        first[offsets[1:] == offsets[:-1]] = 0
        parts.append(first)
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint8)


def _ragged_rows(
    path: Path,
    table: RawTable,
    header_row: int,
    data: pd.DataFrame,
    blank_of: Callable[[Any], np.ndarray],
    keep: np.ndarray,
    lines: np.ndarray,
) -> np.ndarray:
    """A CSV's data rows whose number of fields is not the header's. More fields: a value has
    no column (an unquoted separator inside a field shifts every column after it), one line
    naming the rows. Fewer: the file rows of them, for a warning (Excel leaves out a row's
    empty fields at the end; a field lost in the middle shifts the rest). Rows left out as
    empty or totals rows do not count."""
    if table.fields is None:
        return np.empty(0, dtype=np.int64)
    width = int(table.fields[header_row])
    fields = table.fields[header_row + 1 :]
    beyond = np.zeros(len(data), dtype=bool)
    for col in (c for c in data.columns if c >= width):
        beyond |= ~blank_of(col)  # extra fields that are empty (a trailing separator) harm nothing
    wide = beyond & keep
    if wide.any():
        rows = lines[wide]
        first = int(np.flatnonzero(wide)[0])
        extra = next(
            (clean_text(data[c].iloc[first]) for c in data.columns if c >= width and not blank_of(c)[first]), ""
        )
        raise InputError(
            Notice(
                "in_wide_rows",
                path=str(path),
                n=len(rows),
                rows=listed([str(n) for n in rows], len(rows)),
                width=width,
                first=int(rows[0]),
                fields=int(fields[first]),
                extra=repr(extra[:30]),
                separator=repr(table.delimiter),
            )
        )
    return lines[(fields < width) & keep]


def row_numbers(rows: np.ndarray) -> str:
    listed = ", ".join(str(n) for n in rows[:MAX_EXAMPLES])
    return listed + (" …" if len(rows) > MAX_EXAMPLES else "")


def listed(items: list, total: int) -> list | Notice:
    """The first few of `total` items, and how many more there are."""
    if total <= MAX_EXAMPLES:
        return items[:MAX_EXAMPLES]
    return Notice("in_and_more", listed=items[:MAX_EXAMPLES], more=Count(total - MAX_EXAMPLES))
