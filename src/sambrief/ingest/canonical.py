"""Raw tables -> canonical dataset frames: layout detection, parsing and privacy.

This is the door every export passes: after it, no raw identifier, control character
or unparsed number exists anywhere in sambrief.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sambrief.errors import InputError
from sambrief.i18n.notices import INFO, WARNING, Count, Joined, Notice
from sambrief.i18n.notices import reason as notice_reason
from sambrief.ingest.columns import (
    FIRST_DATE,
    LAST_DATE,
    AmbiguousDates,
    as_text,
    blank_mask,
    clean_column,
    date_out_of_range,
    days_to_dates,
    distinct_categorical,
    distinct_results,
    parse_dates,
    parse_numbers,
    per_distinct,
)
from sambrief.ingest.datasets import BOOL, CHOICE, DATASETS, DATE, LIST, NUMBER, TEXT, USER, choice_labels
from sambrief.ingest.layouts import ColumnRule, HeaderMatch, Layout, RowFilter, SourcePin, custom_layout, match_header, registry
from sambrief.ingest.limits import DEFAULT_LIMITS, Limits, check_file_size
from sambrief.ingest.parsing import is_blank, parse_bool
from sambrief.ingest.privacy import Pseudonymiser, pseudonymise_column
from sambrief.ingest.readers import RawTable, read_bytes, read_tables, return_large_blocks_to_the_os
from sambrief.text import clean_text, closest, normalise_header

HEADER_SEARCH_ROWS = 30
# An export this large (a tenant of several 100,000 users) makes memory, not the page faults
# of returning freed arrays to the system, the cost that matters (see return_large_blocks_to_the_os).
LARGE_EXPORT = 64 * 1024 * 1024
TOTAL_WORDS = {"summe", "gesamt", "gesamtsumme", "total", "totals", "grand total", "sum", "insgesamt", "gesamt:", "total:", "summe:"}
MAX_EXAMPLES = 3


@dataclass
class LoadedSource:
    path: Path
    dataset: str
    layout: str
    layout_title: str
    sheet: str | None
    header_row: int  # 1-based row of the header in the file or sheet
    confidence: float
    mapping: dict[str, str]  # source header -> canonical field
    frame: pd.DataFrame
    rows_read: int
    dropped: dict[str, int]
    size: int
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    warnings: list[str] = field(default_factory=list)
    # The dataset's fields this export has (a column, or a constant of its layout): a field
    # not here is absent (unknown for every row), one here may still be missing in a row.
    fields: frozenset[str] = frozenset()
    # Every row repeats another file of the dataset (sambrief.ingest.repeats): listed and fingerprinted
    # as read, but neither counted nor cited as a source of any figure.
    repeats: bool = False


def candidate_layouts(pin: SourcePin) -> list[Layout]:
    layouts = registry()
    if pin.layout:
        base = layouts[pin.layout]
        return [custom_layout(base.dataset, pin.columns, base) if pin.columns else base]
    if pin.columns:
        dataset = pin.dataset or ""
        return [custom_layout(dataset, pin.columns)]
    return [lay for lay in layouts.values() if not pin.dataset or lay.dataset == pin.dataset]


def load_source(path: Path, pin: SourcePin, pseudonymise: Pseudonymiser, limits: Limits = DEFAULT_LIMITS) -> LoadedSource:
    layouts = candidate_layouts(pin)
    encodings = {lay.encoding for lay in layouts if lay.encoding}
    try:
        check_file_size(path, path.stat().st_size, limits)
    except OSError:
        pass  # read_bytes names the problem
    data = read_bytes(path)  # read once: parsed, and hashed for the history
    if len(data) > LARGE_EXPORT:
        return_large_blocks_to_the_os()  # from here on, for the rest of the build
    # A `sheet:` pin reads only that sheet (the reader names the sheets there are if it is missing).
    size, sha256 = len(data), hashlib.sha256(data).hexdigest()
    tables = read_tables(path, data, encodings.pop() if len(encodings) == 1 else None, pin.sheet, limits)
    del data  # the parsed table is all that is needed from here on (memory at a million rows)
    table, match = _detect(path, tables, layouts, pin)
    del tables
    headers = [clean_text(c) for c in table.row(match.header_row)]
    frame, rows_read, dropped, row_warnings = canonicalise(path, table, match, pseudonymise)
    table.frame = table.frame.iloc[:0]
    _release_arrow_memory()  # the raw text columns are gone: give their pages back before the next file
    mapping = {headers[i]: f for f, idx in match.columns.items() for i in idx if not f.startswith("_")}
    present = frozenset(f for f in [*match.columns, *match.layout.constants] if f in match.layout.schema.field_names)
    frame = without_activity(frame, present)
    return LoadedSource(
        path=path,
        dataset=match.layout.dataset,
        layout=match.layout.key,
        layout_title=match.layout.title,
        sheet=table.sheet,
        header_row=match.header_row + 1,
        confidence=match.confidence,
        mapping=mapping,
        frame=frame,
        rows_read=rows_read,
        dropped=dropped,
        size=size,
        sha256=sha256,
        encoding=table.encoding,
        delimiter=table.delimiter,
        warnings=row_warnings,
        fields=present,
    )


def without_activity(frame: pd.DataFrame, present: frozenset[str]) -> pd.DataFrame:
    """A seat or activity export with no activity column says nothing about use: its rows are
    "ohne Nutzungsdaten", never unused or never used (an empty cell in an activity column is
    'never'; a missing column is 'unknown')."""
    if "activity_known" in frame and not present & {"last_activity", "activity_known"}:
        frame["activity_known"] = np.zeros(len(frame), dtype=bool)
    return frame


def _release_arrow_memory() -> None:
    """Arrow's allocator keeps freed blocks for reuse; at a million rows that is hundreds of MB
    the canonical frames (plain numpy and Python objects) never use again."""
    import sys

    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()


def _detect(path: Path, tables: list[RawTable], layouts: list[Layout], pin: SourcePin) -> tuple[RawTable, HeaderMatch]:
    matches: list[tuple[RawTable, HeaderMatch]] = []
    for table in tables:
        best_here: HeaderMatch | None = None
        for row_index, row in enumerate(table.head(HEADER_SEARCH_ROWS)):
            cells = [normalise_header(c) for c in row]
            if sum(1 for c in cells if c) < 2:
                continue
            for layout in layouts:
                m = match_header(layout, cells, row_index)
                if m and (best_here is None or m.confidence > best_here.confidence):
                    best_here = m
            if best_here is not None:
                break  # the first row that is a header is the header
        if best_here is not None:
            matches.append((table, best_here))
    if not matches:
        raise _no_layout(path, tables, layouts, pin)
    matches.sort(key=lambda tm: tm[1].confidence, reverse=True)
    table, best = matches[0]
    # Same table, another layout equally good -> ambiguous; say how to pin it.
    rivals = _rivals(table, best, layouts)
    if rivals:
        names = ", ".join([best.layout.key] + rivals)
        raise InputError(Notice("in_ambiguous_layout", path=str(path), names=names, layout=best.layout.key))
    below = table.frame.iloc[best.header_row + 1 :]
    has_data = any((~blank_mask(below[c])).any() for c in below.columns)
    if not has_data and not best.layout.schema.register:
        raise InputError(Notice("in_no_data_rows", path=str(path)))
    return table, best


def _rivals(table: RawTable, best: HeaderMatch, layouts: list[Layout]) -> list[str]:
    cells = [normalise_header(c) for c in table.row(best.header_row)]
    out = []
    for layout in layouts:
        if layout.key == best.layout.key:
            continue
        m = match_header(layout, cells, best.header_row)
        if m and m.confidence == best.confidence and m.columns != best.columns:
            out.append(layout.key)
    return out


class UnknownLayout(InputError):
    """No layout fits the file's header: a file a build may skip (see pipeline.read_sources).
    Carries the nearest layout (None when no layout shares two column names with the header)
    and what the header lacks for it."""

    def __init__(self, message: Notice, path: Path, nearest: str | None, lacks: list[str]):
        super().__init__(message)
        self.path, self.nearest, self.lacks = path, nearest, lacks


def _no_layout(path: Path, tables: list[RawTable], layouts: list[Layout], pin: SourcePin) -> UnknownLayout:
    # The nearest layout: the one whose column names appear most in any early row.
    best: tuple[int, Layout | None, list[str]] = (0, None, [])
    for table in tables:
        for row in table.head(HEADER_SEARCH_ROWS):
            cells = [normalise_header(c) for c in row]
            for layout in layouts:
                hits = {r.field for r in layout.columns for c in cells if c and r.matches(c)}
                # a report's identifying columns count too: of the usage reports with the same
                # user and date columns, the one whose own columns the header has is the nearest
                found = len(hits) + len(layout.identified_by) - len(_missing_signature(layout, cells))
                if len(hits) >= 2 and found > best[0]:
                    best = (found, layout, _missing_fields(layout, hits) + _missing_signature(layout, cells))
    score, nearest_layout, missing = best
    if score < 2:
        nearest_layout, missing = None, []
    if nearest_layout is not None and missing:
        message = Notice("in_required_missing", path=str(path), layout=nearest_layout.key, missing=Joined(tuple(missing)))
        return UnknownLayout(message, path, nearest_layout.key, missing)
    datasets = [d for d in DATASETS if any(lay.dataset == d for lay in layouts)] or list(DATASETS)
    canon: str | Notice = "; ".join(f"{d}: {', '.join(DATASETS[d].field_names)}" for d in datasets[:2])
    if len(datasets) > 2:
        canon = Notice("in_canonical_more", listed=canon, more=", ".join(datasets[2:]))
    if nearest_layout is None:
        return UnknownLayout(Notice("in_no_layout", path=str(path), canonical=canon), path, None, missing)
    message = Notice("in_no_layout_near", path=str(path), nearest=nearest_layout.key, canonical=canon)
    return UnknownLayout(message, path, nearest_layout.key, missing)


def _missing_fields(layout: Layout, hits: set[str]) -> list[str | Notice]:
    """What the header lacks for this layout, as match_header decides it: each required field,
    and each group of which one field is enough (a licence balance needs the entitlements or
    the balance), with the column names the layout knows for each."""
    have = hits | set(layout.constants)
    needed = [f.name for f in layout.schema.fields if f.required] + list(layout.required)
    missing: list[str | Notice] = [Notice("in_field_names", field=n, names=_header_names(layout, n))
                                   for n in dict.fromkeys(needed) if n not in have]
    missing += [
        Notice("in_one_of", alternatives=_either([Notice("in_field_names", field=n, names=_header_names(layout, n)) for n in group]))
        for group in layout.schema.one_of if not have & set(group)
    ]
    return missing


def _missing_signature(layout: Layout, cells: list[str]) -> list[str | Notice]:
    """The identifying columns of the layout (`identified_by`) the header lacks."""
    missing: list[str | Notice] = []
    for names in layout.identified_by:
        probe = ColumnRule("_", names)
        if not any(c and probe.matches(c) for c in cells):
            quoted = [f"'{n}'" for n in names[:3]]
            missing.append(Notice("in_one_of", alternatives=_either(quoted)) if len(names) > 1 else quoted[0])
    return missing


def _header_names(layout: Layout, field_name: str) -> str | Notice:
    for rule in layout.columns:
        if rule.field == field_name:
            return _either([f"'{n}'" for n in list(dict.fromkeys(rule.names))[:3]])
    return field_name


def _either(alternatives: list) -> str | Notice:
    """'a', 'b' or 'c' in the language of the message."""
    if len(alternatives) == 1:
        return alternatives[0]
    return Notice("in_or", rest=alternatives[:-1], last=alternatives[-1])


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
            if len(rows) < len(data) // 2:  # usually a few rows whose first cells are empty
                arrow = arrow.take(rows)
            found = pc.fill_null(pc.match_substring_regex(arrow, _total_word_pattern()), False).to_numpy(zero_copy_only=False)
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
_MAY_START_TOTAL = np.zeros(256, dtype=bool)
_MAY_START_TOTAL[list(b"sSgGtTiI")] = True
_MAY_START_TOTAL[: 0x21] = True
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
        offsets = np.frombuffer(buffers[1], dtype=np.int64 if wide else np.int32)[chunk.offset : chunk.offset + len(chunk) + 1]
        values = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None and buffers[2].size else np.zeros(1, dtype=np.uint8)
        first = values[np.minimum(offsets[:-1], len(values) - 1)]
        first[offsets[1:] == offsets[:-1]] = 0
        parts.append(first)
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint8)


def _field_cells(data: pd.DataFrame, blank: dict[int, np.ndarray], indices: list[int]) -> tuple[list[pd.Series], list[np.ndarray]]:
    """The field's source columns (data's columns are labelled by their position in the file)."""
    columns, blanks = [], []
    for i in indices:
        if i in blank:
            columns.append(data[i].reset_index(drop=True))
            blanks.append(blank[i])
        else:  # a header cell beyond the widest data row: no values
            columns.append(pd.Series([None] * len(data), index=data.index, dtype=object))
            blanks.append(np.ones(len(data), dtype=bool))
    return columns, blanks


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


def canonicalise(
    path: Path, table: RawTable, match: HeaderMatch, pseudonymise: Pseudonymiser
) -> tuple[pd.DataFrame, int, dict[str, int], list[str]]:
    """Header match -> canonical frame, column by column (see sambrief.ingest.columns)."""
    layout = match.layout
    schema = layout.schema
    rules = {r.field: r for r in layout.columns}
    header_cells = [clean_text(c) for c in table.row(match.header_row)]
    dropped: Counter[str] = Counter()
    first_data = match.header_row + 1
    data = table.frame.iloc[first_data:].reset_index(drop=True)
    lines = np.arange(first_data + 1, first_data + 1 + len(data))  # 1-based rows of the file or sheet
    # Column by column (a rows x columns matrix of a million-row export costs more than its tests).
    # The columns a field reads are tested whole; the others only where they decide something:
    # rows blank in every read column (empty rows?) and cells in front of a totals word.
    used = sorted({i for idx in match.columns.values() for i in idx if i < data.shape[1]})
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
    short_rows = _ragged_rows(path, table, match.header_row, data, blank_of, keep, lines)
    if dropped_empty:
        dropped["empty row"] += dropped_empty
    if totals.any():
        dropped["totals row"] += int(totals.sum())
    # Only the columns a field reads are kept (the rest served the empty/totals tests above).
    everything = keep.all()
    data = data.iloc[keep, used] if not everything else data.iloc[:, used]
    data.columns = used
    blank = {i: tested[i] if everything else tested[i][keep] for i in used}
    del tested, blank_of  # (blank_of holds the whole table)
    lines = lines[keep]
    table.frame = table.frame.iloc[: first_data]  # the full table is no longer needed
    _release_arrow_memory()

    # One record per row; an unpivoted layout (one column per product) gives one per filled cell.
    cells: dict[str, tuple[list[pd.Series], list[np.ndarray]]] = {f: _field_cells(data, blank, idx) for f, idx in match.columns.items()}
    if layout.unpivot:
        value_field, key_field = layout.unpivot["value"], layout.unpivot["key"]
        pattern = re.compile(layout.unpivot["pattern"], re.IGNORECASE)
        picks, products = [], []
        free = {normalise_header(p) for p in layout.unpivot.get("free", ())}  # products without a licence: no seats
        for order, i in enumerate(match.columns[value_field]):
            rows = np.flatnonzero(~blank[i]) if i in blank else np.array([], dtype=int)
            found = pattern.search(header_cells[i])
            if found and normalise_header(found.group("product")) in free:
                if len(rows):
                    dropped["free product"] += len(rows)
                rows = rows[:0]
            picks.append(np.column_stack([rows, np.full(len(rows), order)]))
            products.append(clean_text(found.group("product")) if found else header_cells[i])
        pick = np.concatenate(picks) if picks else np.empty((0, 2), dtype=int)
        pick = pick[np.lexsort((pick[:, 1], pick[:, 0]))]  # row by row, as the file reads
        rows, orders = pick[:, 0], pick[:, 1]
        value_cols, value_blanks = cells[value_field]
        value = np.empty(len(rows), dtype=object)
        for order in range(len(value_cols)):
            at = orders == order
            value[at] = value_cols[order].astype(object).to_numpy()[rows[at]]
        new_cells = {}
        for f, (cols, blanks) in cells.items():
            if f in (value_field, key_field):
                continue
            new_cells[f] = ([c.iloc[rows].reset_index(drop=True) for c in cols], [b[rows] for b in blanks])
        new_cells[value_field] = ([pd.Series(value, dtype=object)], [np.zeros(len(rows), dtype=bool)])
        key_values = np.array(products, dtype=object)[orders] if len(products) else np.empty(0, dtype=object)
        new_cells[key_field] = ([pd.Series(key_values, dtype=object)], [np.zeros(len(rows), dtype=bool)])
        cells, lines = new_cells, lines[rows]
    n_records = len(lines)
    del data  # each field's source columns are in cells: dropped as the field is parsed (the read's peak)

    problems: list[str] = []
    columns: dict[str, Any] = {}
    decimal_default = table.decimal_hint if table.delimiter else layout.decimal
    # Slash dates are read in the order each column proves; a column that proves none (every day
    # and month 12 or less) takes the order the file's other date columns proved (one writer,
    # one locale), so those are parsed first and the undecided ones after them.
    proven: list[str] = []
    queue = list(dict.fromkeys([*match.columns, *([layout.unpivot["key"]] if layout.unpivot else [])]))
    deferred: list[str] = []
    second_pass = False
    while queue or (deferred and not second_pass):
        if not queue:
            queue, deferred, second_pass = deferred, [], True
        field_name = queue.pop(0)
        kind = schema.field(field_name).kind if field_name in schema.field_names else (rules[field_name].kind or "text")
        rule = rules.get(field_name)
        header = _source_header(header_cells, match.columns.get(field_name, []))
        if kind == DATE:
            cols, blanks = cells[field_name]
            file_order = proven[0] if second_pass and len(set(proven)) == 1 else None
            try:
                if rule is not None and rule.evidence:  # a seat export's activity per workload
                    headers = [normalise_header(header_cells[i]) for i in match.columns.get(field_name, [])]
                    parsed, bad, out_of_range, per_workload = _evidence_dates(cols, blanks, rule, headers, file_order, proven)
                    columns.update({_EVIDENCE + w: days for w, days in per_workload.items()})
                else:
                    parsed, bad, out_of_range = _date_field(cols, blanks, rule, file_order, proven)
            except AmbiguousDates as unclear:
                if not second_pass:
                    deferred.append(field_name)
                    continue
                problems.append(_ambiguous_dates(header, unclear, set(proven)))
                del cells[field_name]
                continue
            cells.pop(field_name)
            if not schema.typed:
                parsed = days_to_dates(parsed)
        else:
            cols, blanks = cells.pop(field_name)
            value, value_blank = _first_present(cols, blanks)
            parsed, bad, out_of_range = _value_field(kind, value, value_blank, rule, decimal_default, schema, field_name, pseudonymise)
            del value, value_blank
        if bad.any():
            shown = _shown(cols, blanks, bad)
            key = {NUMBER: "in_not_numbers", DATE: "in_not_dates", BOOL: "in_not_yes_no", CHOICE: "in_not_choices"}.get(kind, "in_not_valid")
            offers = {"offers": _choice_hint(field_name, shown)} if kind == CHOICE else {}
            problems.append(Notice(key, header=header, n=int(bad.sum()), examples=_examples(lines[bad], shown), **offers))
        if kind == NUMBER and field_name in schema.field_names and schema.field(field_name).nonnegative:
            negative = np.asarray(parsed < 0, dtype=bool) & ~bad  # (NaN compares False: unknown is not negative)
            if negative.any():
                shown = _shown(cols, blanks, negative)
                problems.append(Notice("in_negative", header=header, n=int(negative.sum()), examples=_examples(lines[negative], shown)))
        if out_of_range is not None and out_of_range.any():
            shown = _shown(cols, blanks, out_of_range)
            years: dict[str, Any] = {"first": FIRST_DATE.year, "last": LAST_DATE.year} if kind == DATE else {}
            problems.append(Notice("in_dates_out_of_range" if kind == DATE else "in_numbers_out_of_range", header=header,
                                   n=int(out_of_range.sum()), examples=_examples(lines[out_of_range], shown), **years))
        columns[field_name] = parsed
        del cols, blanks, parsed
        _release_arrow_memory()  # the field's source and temporary arrow columns
    if problems:
        raise InputError(Notice("in_cells", path=str(path), problems=Joined(tuple(problems))))
    disagreements = _disagreements(path, layout, columns, lines)

    # Numbers as float64 (NaN = unknown), person keys as categoricals, dates as datetime64 (NaT)
    # where the dataset takes them typed; every other field as object cells with None for
    # missing (pandas would infer its own string dtype, whose missing value is NaN).
    frame = pd.DataFrame({f: _canonical_column(v) for f, v in columns.items()}, index=range(n_records))
    # List cells (Assigned Products 'A+B') become one row per item. With one list column, the
    # row filters are applied before the rows are repeated (counted per item, as after).
    splits = {r.field: re.compile(r.split) for r in layout.columns if r.split and r.field in frame}
    early = [f for f in layout.drop_rows if len(splits) == 1 and f.field in frame and f.field not in splits
             and f.field not in layout.constants]
    for list_field, splitter in splits.items():
        frame, no_items, filtered = _one_row_per_item(frame, list_field, splitter, early)
        if no_items:
            dropped[f"no {list_field}"] += no_items
        for reason, n in filtered.items():
            dropped[reason] += n
    for name, value in layout.constants.items():
        frame[name] = value
    for flt in layout.drop_rows:
        if flt.field in frame and flt not in early:
            hit = frame[flt.field].isin(list(flt.values))
            if hit.any():
                dropped[flt.reason] += int(hit.sum())
                frame = frame[~hit].reset_index(drop=True)
    # Empty text where a required text field should be: a row nobody can use.
    for spec in schema.fields:
        if spec.required and spec.name in frame and spec.kind != DATE:
            col = frame[spec.name]
            missing = _missing_text(col)
            if missing.any():
                dropped[f"no {spec.name}"] += int(missing.sum())
                frame = frame[~missing].reset_index(drop=True)
    frame = _evidenced_activity(frame)
    frame = frame[[c for c in frame.columns if not str(c).startswith("_")]]
    # Fields the export does not have: one all-missing column per kind, shared by every such
    # field (copy-on-write keeps them apart; at 2M seats each would be 16 MB of None pointers).
    absent: dict[str, pd.Series] = {}
    for spec in schema.fields:
        if spec.name not in frame:
            kind = spec.kind if spec.kind == NUMBER or (spec.kind == DATE and schema.typed) else TEXT
            if kind not in absent or not _COPY_ON_WRITE:
                missing, dtype = _MISSING[kind]
                absent[kind] = pd.Series(np.full(len(frame), missing, dtype=dtype), index=frame.index)
            frame[spec.name] = absent[kind]
    by_design = {flt.reason for flt in layout.drop_rows}  # documented behaviour of the export: information
    if layout.unpivot and layout.unpivot.get("free"):
        by_design.add("free product")
    warnings: list[str] = [Notice("dropped_rows", INFO if reason in by_design else WARNING, where=str(path), n=n, reason=notice_reason(reason))
                           for reason, n in dropped.items() if reason not in ("empty row", "totals row")]
    if len(short_rows):
        warnings.append(Notice("short_rows", where=str(path), n=len(short_rows), rows=_row_numbers(short_rows)))
    warnings += disagreements
    return frame[list(schema.field_names)], n_records, dict(dropped), warnings


_MISSING: dict[str, tuple[Any, Any]] = {NUMBER: (np.nan, float), DATE: (np.datetime64("NaT", "s"), "datetime64[s]"), TEXT: (None, object)}


def _canonical_column(values: Any) -> pd.Series:
    dtype = getattr(values, "dtype", None)
    if isinstance(values, pd.Categorical) or (dtype is not None and dtype.kind == "M"):
        return pd.Series(values)
    return pd.Series(values, dtype=float if dtype is not None and dtype.kind == "f" else object)


# pandas 3 always copies on write; with 2.x, columns sharing one array could be written through each other.
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3


def _missing_text(col: pd.Series) -> pd.Series:
    """Missing or empty cells. A categorical is tested on its categories, not its rows
    (`isin` would hash a million person keys to look up one empty text)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        categories = col.cat.categories
        empty: np.ndarray = (np.flatnonzero(np.asarray(categories.astype(object) == "", dtype=bool)) if categories.dtype == object
                             else np.empty(0, dtype=np.int64))
        codes = col.cat.codes.to_numpy()
        return pd.Series((codes < 0) | np.isin(codes, empty), index=col.index)
    if col.dtype == object:
        return col.isna() | (col.astype(object) == "")
    return col.isna() | col.isin([""])


def _one_row_per_item(
    frame: pd.DataFrame, field_name: str, splitter: re.Pattern[str], filters: list[RowFilter]
) -> tuple[pd.DataFrame, int, dict[str, int]]:
    """Explode a list column: each distinct cell is split once, rows are repeated by index (one
    copy of the frame). Rows the filters drop are left out before the copy; each is counted
    once per item, as if it had been dropped after. Returns the new frame, the number of rows
    without any item and the filtered counts per reason."""
    codes, distinct = pd.factorize(frame[field_name], use_na_sentinel=True)
    items = [[clean_text(p) for p in splitter.split(str(v)) if clean_text(p)] if v else [] for v in distinct] + [[]]
    counts = np.array([len(i) for i in items], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    flat = np.empty(int(counts.sum()), dtype=object)
    flat[:] = [item for group in items for item in group]
    per_row = counts[codes]
    no_items = int((per_row == 0).sum())
    keep = per_row > 0
    filtered: dict[str, int] = {}
    for flt in filters:
        hit = frame[flt.field].isin(list(flt.values)).to_numpy(dtype=bool) & keep
        if hit.any():
            filtered[flt.reason] = filtered.get(flt.reason, 0) + int(per_row[hit].sum())
            keep &= ~hit
    per_row = np.where(keep, per_row, 0)
    rows = np.repeat(np.arange(len(frame)), per_row)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    exploded = frame.take(rows).reset_index(drop=True)
    # A categorical over the items (a few thousand products for two million seats): the model
    # groups seats by product on the codes.
    item_codes, item_names = pd.factorize(flat)
    exploded[field_name] = pd.Series(distinct_categorical(item_codes[starts[codes][rows] + within], np.asarray(item_names, dtype=object)))
    return exploded, no_items, filtered


def _choice_hint(field_name: str, shown: list[str]) -> Notice:
    """The values of the register's drop-down, as it shows them (both languages), and the nearest
    one to the first value refused ('ofen' -> 'offen')."""
    german, english = choice_labels(field_name, "de"), choice_labels(field_name, "en")
    near = closest(shown[0], dict.fromkeys(german + english), fold=True) if shown else []
    if near:
        return Notice("in_choices_near", german=german, english=english, near=repr(near[0]))
    return Notice("in_choices", german=german, english=english)


def _ragged_rows(path: Path, table: RawTable, header_row: int, data: pd.DataFrame, blank_of: Callable[[Any], np.ndarray],
                 keep: np.ndarray, lines: np.ndarray) -> np.ndarray:
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
        extra = next((clean_text(data[c].iloc[first]) for c in data.columns if c >= width and not blank_of(c)[first]), "")
        raise InputError(Notice("in_wide_rows", path=str(path), n=len(rows), rows=_listed([str(n) for n in rows], len(rows)), width=width,
                                first=int(rows[0]), fields=int(fields[first]), extra=repr(extra[:30]), separator=repr(table.delimiter)))
    return lines[(fields < width) & keep]


def _row_numbers(rows: np.ndarray) -> str:
    listed = ", ".join(str(n) for n in rows[:MAX_EXAMPLES])
    return listed + (" …" if len(rows) > MAX_EXAMPLES else "")


def _disagreements(path: Path, layout: Layout, columns: dict[str, Any], lines: np.ndarray) -> list[Notice]:
    """Rows where a dataset's difference rule (a licence balance is entitlements − required)
    does not hold although the export states all three: a warning naming the rows; the export's
    own difference stays in use. A layout whose tool computes that field by another rule
    (Snow's Compliance counts coverage, not licences) lists it under `own_rule:`."""
    rule = layout.schema.difference
    if not rule or rule[0] in layout.own_rule or not all(f in columns for f in rule):
        return []
    difference, minuend, subtrahend = (np.asarray(columns[f], dtype=float) for f in rule)
    stated = ~(np.isnan(difference) | np.isnan(minuend) | np.isnan(subtrahend))
    off = stated & ~np.isclose(difference, minuend - subtrahend, rtol=0, atol=1e-6)
    if not off.any():
        return []
    at = np.flatnonzero(off)
    shown = [f"{lines[i]}: {_number(minuend[i])} − {_number(subtrahend[i])} ≠ {_number(difference[i])}" for i in at[:MAX_EXAMPLES]]
    return [Notice("balance_disagrees", where=str(path), n=len(at), rows="; ".join(shown) + (" …" if len(at) > MAX_EXAMPLES else ""))]


def _number(value: float) -> str:
    return f"{value:g}".replace("-", "−")


def _examples(lines: np.ndarray, shown: list[str]) -> list[Notice] | Notice:
    examples = [Notice("in_example", row=int(ln), value=repr(val[:30])) for ln, val in zip(lines[:MAX_EXAMPLES], shown)]
    return _listed(examples, len(lines))


def _listed(items: list, total: int) -> list | Notice:
    """The first few of `total` items, and how many more there are."""
    if total <= MAX_EXAMPLES:
        return items[:MAX_EXAMPLES]
    return Notice("in_and_more", listed=items[:MAX_EXAMPLES], more=Count(total - MAX_EXAMPLES))


def _shown(cols: list[pd.Series], blanks: list[np.ndarray], rows: np.ndarray) -> list[str]:
    """The first few offending cells as the user sees them (cleaned, first non-empty column)."""
    out = []
    for i in np.flatnonzero(rows)[:MAX_EXAMPLES]:
        out.append(next((clean_text(c.iloc[i]) for c, b in zip(cols, blanks) if not b[i]), ""))
    return out


def _ambiguous_dates(header: str, unclear: AmbiguousDates, proven: set[str]) -> Notice:
    if len(unclear.examples) > 1:
        return Notice("in_dates_mixed", header=header, first=f"'{unclear.examples[0]}'", second=f"'{unclear.examples[1]}'")
    return Notice("in_dates_unclear_disagree" if len(proven) > 1 else "in_dates_unclear", header=header, example=f"'{unclear.examples[0]}'")


def _date_field(cols: list[pd.Series], blanks: list[np.ndarray], rule: ColumnRule | None, order: str | None = None,
                proven: list[str] | None = None) -> tuple[Any, np.ndarray, np.ndarray]:
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


_EVIDENCE = "_evidence:"  # helper columns: a seat export's activity date per workload


def _evidence_dates(cols: list[pd.Series], blanks: list[np.ndarray], rule: ColumnRule, headers: list[str], order: str | None = None,
                    proven: list[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """A date field read column group by column group: (all columns combined, not dates, out of
    range, workload -> the latest date of that workload's columns). Each column is parsed once."""
    groups: dict[str | None, list[int]] = {}
    for k, header in enumerate(headers):
        groups.setdefault(rule.workload_of(header), []).append(k)
    results = {w: _date_field([cols[k] for k in ks], [blanks[k] for k in ks], rule, order, proven) for w, ks in groups.items()}
    days = _combine_days([r[0] for r in results.values()], rule.combine)
    bad = np.logical_or.reduce([r[1] for r in results.values()]) if results else np.zeros(len(days), dtype=bool)
    out = np.logical_or.reduce([r[2] for r in results.values()]) if results else np.zeros(len(days), dtype=bool)
    return days, bad, out, {w: r[0] for w, r in results.items() if w is not None}


def _evidenced_activity(frame: pd.DataFrame) -> pd.DataFrame:
    """A seat's activity from a report that dates each workload: the latest date of the workloads
    its product holds; a seat whose product holds none of them has no activity data from this
    export (Exchange activity says nothing about a Copilot or an EMS seat). Decided per distinct
    product, then on whole columns."""
    helpers = [c for c in frame.columns if str(c).startswith(_EVIDENCE)]
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
        workload = str(column)[len(_EVIDENCE):]
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


def _parse_dates_once_each(col: pd.Series, blank: np.ndarray, formats: tuple[str, ...], order: str | None = None,
                           proven: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
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


def _value_field(kind, value, blank, rule, decimal_default, schema, field_name, pseudonymise):  # noqa: ANN001, ANN202
    """One parsed column -> (values, not parsed, out of range or None)."""
    none = np.zeros(len(value), dtype=bool)
    if kind == NUMBER:
        numbers, bad, out_of_range, _ = parse_numbers(value, blank, decimal_default)
        if rule and rule.negate:
            numbers = -numbers
        return numbers, bad, out_of_range
    if kind == BOOL:
        if rule and rule.true_values:
            truth = per_distinct(value, lambda v: normalise_header(v) in rule.true_values, blank)
            return truth, none, None
        return _checked(value, blank, _bool_or_error)
    if kind == USER:
        # Cleaned and pseudonymised as a whole column (a million distinct identifiers is one
        # arrow pass and one hashing pass); a cell that cleans to nothing names no one.
        return pseudonymise_column(value, blank, pseudonymise), none, None
    if kind == CHOICE:
        choices = schema.field(field_name).choices

        def choose(v: object) -> object:
            text = normalise_header(v)
            for canonical, spellings in choices.items():
                if text == canonical or text in spellings:
                    return canonical
            return _BAD

        return _checked(value, blank, choose)
    if kind == LIST:
        return per_distinct(value, lambda v: tuple(p for p in (clean_text(x) for x in re.split(r"[,;]", str(v))) if p), blank), none, None
    # The large exports' text with few distinct values (states, departments) as categoricals.
    return clean_column(value, blank, categorical_below=0.25 if schema.typed else None), none, None


_BAD = object()


def _bool_or_error(value: object) -> object:
    try:
        return parse_bool(value)
    except ValueError:
        return _BAD


def _checked(value: pd.Series, blank: np.ndarray, func: Callable[[object], object]) -> tuple[np.ndarray, np.ndarray, None]:
    codes, mapped = distinct_results(value, func)
    unusable = np.array([v is _BAD for v in mapped], dtype=bool)  # decided per distinct value
    mapped[unusable] = None
    parsed, bad = mapped[codes], unusable[codes]
    parsed[blank] = None
    bad[blank] = False
    return parsed, bad, None


def _source_header(header_cells: list[str], indices: list[int]) -> str:
    return header_cells[indices[0]] if indices else "?"
