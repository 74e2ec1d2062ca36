"""Raw tables -> canonical dataset frames: the door every export passes (sambrief.ingest.detect
finds its layout, sambrief.ingest.totals its records, sambrief.ingest.kinds parses each field).

After it, no raw identifier, control character or unparsed number exists anywhere in sambrief.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sambrief.errors import InputError
from sambrief.i18n.notices import INFO, WARNING, Joined, Notice
from sambrief.i18n.notices import reason as notice_reason
from sambrief.ingest.cell_problems import ambiguous_dates, disagreements, refused
from sambrief.ingest.columns import distinct_categorical
from sambrief.ingest.datasets import DATE, NUMBER, TEXT
from sambrief.ingest.dates import AmbiguousDates
from sambrief.ingest.detect import candidate_layouts, detect
from sambrief.ingest.kinds import EVIDENCE, FieldInput, evidenced_activity, kind_of
from sambrief.ingest.layouts import HeaderMatch, Layout, RowFilter, SourcePin
from sambrief.ingest.limits import DEFAULT_LIMITS, Limits, check_file_size
from sambrief.ingest.memory import release_arrow_memory, return_large_blocks_to_the_os
from sambrief.ingest.privacy import Pseudonymiser
from sambrief.ingest.readers import RawTable, read_bytes, read_tables
from sambrief.ingest.totals import records, row_numbers
from sambrief.text import clean_text, normalise_header

# An export this large (a tenant of several 100,000 users) makes memory, not the page faults
# of returning freed arrays to the system, the cost that matters (see return_large_blocks_to_the_os).
LARGE_EXPORT = 64 * 1024 * 1024

Cells = dict[str, tuple[list[pd.Series], list[np.ndarray]]]  # field -> its source columns and their blank cells


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


def load_source(
    path: Path, pin: SourcePin, pseudonymise: Pseudonymiser, limits: Limits = DEFAULT_LIMITS
) -> LoadedSource:
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
    table, match = detect(path, tables, layouts, pin)
    del tables
    headers = [clean_text(c) for c in table.row(match.header_row)]
    frame, rows_read, dropped, row_warnings = canonicalise(path, table, match, pseudonymise)
    release_arrow_memory()  # the raw text columns are gone: give their pages back before the next file
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


def canonicalise(
    path: Path, table: RawTable, match: HeaderMatch, pseudonymise: Pseudonymiser
) -> tuple[pd.DataFrame, int, dict[str, int], list[str]]:
    """Header match -> canonical frame, column by column (see sambrief.ingest.columns)."""
    layout = match.layout
    header_cells = [clean_text(c) for c in table.row(match.header_row)]
    used = sorted({i for idx in match.columns.values() for i in idx if i < table.frame.shape[1]})
    data, blank, lines, dropped, short_rows = records(path, table, match.header_row, used)
    table.frame = pd.DataFrame()  # the table is no longer needed (its header is read; slicing each column cost more)
    release_arrow_memory()
    # One record per row; an unpivoted layout (one column per product) gives one per filled cell.
    cells: Cells = {f: _field_cells(data, blank, idx) for f, idx in match.columns.items()}
    if layout.unpivot:
        cells, rows = _unpivot(layout, match, cells, blank, header_cells, dropped)
        lines = lines[rows]
    del data  # each field's source columns are in cells: dropped as the field is parsed (the read's peak)
    columns = _parse_fields(path, table, match, cells, header_cells, lines, pseudonymise)
    warnings: list[str] = list(disagreements(path, layout, columns, lines))
    frame = _frame(layout, columns, len(lines), dropped)
    by_design = {flt.reason for flt in layout.drop_rows}  # documented behaviour of the export: information
    if layout.unpivot and layout.unpivot.get("free"):
        by_design.add("free product")
    notices: list[str] = [
        Notice(
            "dropped_rows", INFO if reason in by_design else WARNING, where=str(path), n=n, reason=notice_reason(reason)
        )
        for reason, n in dropped.items()
        if reason not in ("empty row", "totals row")
    ]
    if len(short_rows):
        notices.append(Notice("short_rows", where=str(path), n=len(short_rows), rows=row_numbers(short_rows)))
    return frame, len(lines), dict(dropped), notices + warnings


def _field_cells(
    data: pd.DataFrame, blank: dict[int, np.ndarray], indices: list[int]
) -> tuple[list[pd.Series], list[np.ndarray]]:
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


def _unpivot(
    layout: Layout,
    match: HeaderMatch,
    cells: Cells,
    blank: dict[int, np.ndarray],
    header_cells: list[str],
    dropped: Counter[str],
) -> tuple[Cells, np.ndarray]:
    """One record per filled cell of the product columns, row by row as the file reads: the
    new cells, and the row each record comes from."""
    assert layout.unpivot is not None
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
    return new_cells, rows


def _parse_fields(
    path: Path,
    table: RawTable,
    match: HeaderMatch,
    cells: Cells,
    header_cells: list[str],
    lines: np.ndarray,
    pseudonymise: Pseudonymiser,
) -> dict[str, Any]:
    """Each field parsed by its kind's parser (sambrief.ingest.kinds); every refused cell of the
    file in one InputError. Each field's source columns leave `cells` as it is parsed."""
    layout = match.layout
    schema = layout.schema
    rules = {r.field: r for r in layout.columns}
    problems: list[Notice] = []
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
        spec = schema.field(field_name) if field_name in schema.field_names else None
        kind = kind_of(spec.kind if spec else (rules[field_name].kind or TEXT))
        sources = match.columns.get(field_name, [])
        header = _source_header(header_cells, sources)
        cols, blanks = cells.pop(field_name)
        try:
            parsed = kind.parse(
                FieldInput(
                    cols,
                    blanks,
                    [normalise_header(header_cells[i]) for i in sources],
                    rules.get(field_name),
                    spec,
                    decimal_default,
                    schema.typed,
                    pseudonymise,
                    proven[0] if second_pass and len(set(proven)) == 1 else None,
                    proven,
                )
            )
        except AmbiguousDates as unclear:
            if not second_pass:
                cells[field_name] = (cols, blanks)
                deferred.append(field_name)
                continue
            problems.append(ambiguous_dates(header, unclear, set(proven)))
            continue
        problems += refused(header, kind, field_name, parsed, cols, blanks, lines)
        columns.update(parsed.extra)
        columns[field_name] = parsed.values
        del cols, blanks, parsed
        release_arrow_memory()  # the field's source and temporary arrow columns
    if problems:
        raise InputError(Notice("in_cells", path=str(path), problems=Joined(tuple(problems))))
    return columns


def _frame(layout: Layout, columns: dict[str, Any], n_records: int, dropped: Counter[str]) -> pd.DataFrame:
    """The parsed columns -> the dataset's frame, its fields in the dataset's order: list cells
    one row per item, the layout's constants and row filters, rows without a required text left
    out, absent fields missing. Kept as columns and made a frame once at the end (each column
    set on a frame cost 100-200 µs, more than the rest of a small export's frame)."""
    schema = layout.schema
    # Numbers as float64 (NaN = unknown), person keys as categoricals, dates as datetime64 (NaT)
    # where the dataset takes them typed; every other field as object cells with None for
    # missing (pandas would infer its own string dtype, whose missing value is NaN).
    cols: dict[str, pd.Series] = {f: _canonical_column(v) for f, v in columns.items()}
    n = n_records
    # List cells (Assigned Products 'A+B') become one row per item. With one list column, the
    # row filters are applied before the rows are repeated (counted per item, as after).
    splits = {r.field: re.compile(r.split) for r in layout.columns if r.split and r.field in cols}
    early = [
        f
        for f in layout.drop_rows
        if len(splits) == 1 and f.field in cols and f.field not in splits and f.field not in layout.constants
    ]
    if splits:
        frame = pd.DataFrame(cols, index=range(n_records))
        for list_field, splitter in splits.items():
            frame, no_items, filtered = _one_row_per_item(frame, list_field, splitter, early)
            if no_items:
                dropped[f"no {list_field}"] += no_items
            for reason, count in filtered.items():
                dropped[reason] += count
        cols, n = dict(frame.items()), len(frame)
    for name, value in layout.constants.items():
        cols[name] = _constant(value, n)
    for flt in layout.drop_rows:
        if flt.field in cols and flt not in early:
            hit = cols[flt.field].isin(list(flt.values)).to_numpy(dtype=bool)
            if hit.any():
                dropped[flt.reason] += int(hit.sum())
                cols, n = _rows_kept(cols, ~hit), n - int(hit.sum())
    # Empty text where a required text field should be: a row nobody can use.
    for spec in schema.fields:
        if spec.required and spec.name in cols and spec.kind != DATE:
            missing = _missing_text(cols[spec.name])
            if missing.any():
                dropped[f"no {spec.name}"] += int(missing.sum())
                cols, n = _rows_kept(cols, ~missing), n - int(missing.sum())
    if any(str(c).startswith(EVIDENCE) for c in cols):
        cols = dict(evidenced_activity(pd.DataFrame(cols, index=range(n), copy=False)).items())
    # Fields the export does not have: one all-missing column per kind, shared by every such
    # field (copy-on-write keeps them apart; at 2M seats each would be 16 MB of None pointers).
    absent: dict[str, pd.Series] = {}
    for spec in schema.fields:
        if spec.name not in cols:
            kind = spec.kind if spec.kind == NUMBER or (spec.kind == DATE and schema.typed) else TEXT
            if kind not in absent or not _COPY_ON_WRITE:
                missing_value, dtype = _MISSING[kind]
                absent[kind] = pd.Series(np.full(n, missing_value, dtype=dtype), index=range(n))
            cols[spec.name] = absent[kind]
    # Without copy, the columns stay as they are: not copied into blocks, the absent ones shared.
    return pd.DataFrame({f: cols[f] for f in schema.field_names}, index=range(n), copy=False)


def _constant(value: Any, n: int) -> pd.Series:
    """A layout's constant as a column, as pandas makes a column of one value (None as object cells)."""
    return pd.Series(value, index=range(n), dtype=object if value is None else None)


def _rows_kept(cols: dict[str, pd.Series], keep: np.ndarray) -> dict[str, pd.Series]:
    return {name: col[keep].reset_index(drop=True) for name, col in cols.items()}


_MISSING: dict[str, tuple[Any, Any]] = {
    NUMBER: (np.nan, float),
    DATE: (np.datetime64("NaT", "s"), "datetime64[s]"),
    TEXT: (None, object),
}


def _canonical_column(values: Any) -> pd.Series:
    dtype = getattr(values, "dtype", None)
    if isinstance(values, pd.Categorical) or (dtype is not None and dtype.kind == "M"):
        return pd.Series(values)
    return pd.Series(values, dtype=float if dtype is not None and dtype.kind == "f" else object)


# pandas 3 always copies on write; with 2.x, columns sharing one array could be written through each other.
_COPY_ON_WRITE = int(pd.__version__.split(".")[0]) >= 3


def _missing_text(col: pd.Series) -> np.ndarray:
    """Missing or empty cells. A categorical is tested on its categories, not its rows
    (`isin` would hash a million person keys to look up one empty text)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        categories = col.cat.categories
        empty: np.ndarray = (
            np.flatnonzero(np.asarray(categories.astype(object) == "", dtype=bool))
            if categories.dtype == object
            else np.empty(0, dtype=np.int64)
        )
        codes = col.cat.codes.to_numpy()
        return (codes < 0) | np.isin(codes, empty)
    if col.dtype == object:
        cells = col.to_numpy()
        return pd.isna(cells) | (cells == "")
    return (col.isna() | col.isin([""])).to_numpy(dtype=bool)


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
    exploded[field_name] = pd.Series(
        distinct_categorical(item_codes[starts[codes][rows] + within], np.asarray(item_names, dtype=object))
    )
    return exploded, no_items, filtered


def _source_header(header_cells: list[str], indices: list[int]) -> str:
    return header_cells[indices[0]] if indices else "?"
