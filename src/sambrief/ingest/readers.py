"""File -> raw tables (columns of cells). One reader per file kind, chosen by registry.

Readers know nothing about layouts: they turn bytes into a frame of positional columns, and say
clearly when the bytes are not what the file name promises. Text is decoded once, the dialect
is sniffed from the first lines, and the whole table is parsed by pandas' C reader (CSV) or
calamine (workbooks) after the size guards in sambrief.ingest.limits have passed.
"""

from __future__ import annotations

import codecs
import csv
import io
import weakref
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sambrief.errors import InputError
from sambrief.i18n.notices import Notice
from sambrief.ingest.limits import DEFAULT_LIMITS, Limits, check_table_shape, check_xlsx
from sambrief.ingest.memory import arrow_allocator

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
DELIMITERS = (";", ",", "\t", "|")
SNIFF_CHARS = 64 * 1024  # the dialect is decided from the first lines only


@dataclass
class RawTable:
    sheet: str | None  # None for CSV
    frame: pd.DataFrame  # positional columns 0..n-1, one row per record of the file or sheet
    decimal_hint: str = "."  # from the file's conventions (';'-separated CSV suggests ',')
    encoding: str | None = None
    delimiter: str | None = None
    # CSV only: the number of fields each row of the file has, where rows differ (None: every
    # row has as many as the frame has columns). A short row's missing fields read as empty.
    fields: np.ndarray | None = None
    # The head rows last converted, with a weak reference to the frame they are of: detection
    # and the reading of the header ask for the same rows (a frame's rows cost a
    # conversion per column), and a frame replaced or let go is neither reused nor kept alive.
    _head: tuple[weakref.ref[pd.DataFrame], list[list[Any]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def head(self, n: int) -> list[list[Any]]:
        """The first n rows as lists of cells (None for empty), for header detection."""
        if self._head is not None:
            of, cached = self._head
            length = len(self.frame)
            if of() is self.frame and (len(cached) >= n or len(cached) == length):
                return [list(row) for row in cached[:n]]
        # Column by column (itertuples converts each cell of an arrow column through pandas).
        columns = [_head_cells(column, n) for _, column in self.frame.items()]
        rows = [[None if _missing(v) else v for v in row] for row in zip(*columns)] if columns else []
        self._head = (weakref.ref(self.frame), rows)
        return [list(row) for row in rows]

    def row(self, index: int) -> list[Any]:
        return self.head(index + 1)[index] if index < len(self.frame) else []


def _head_cells(column: pd.Series, n: int) -> list[Any]:
    """The first n cells of a column as iterating it gives them; an arrow text column's in one call."""
    import pyarrow as pa

    arrow = getattr(column.array, "_pa_array", None)
    if arrow is not None and (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)):
        return arrow.slice(0, n).to_pylist()
    return list(column.iloc[:n])


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NaT or value is pd.NA


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(Notice("in_unreadable", path=str(path), reason=str(exc.strerror))) from None


def read_tables(
    path: Path,
    data: bytes,
    preferred_encoding: str | None = None,
    sheet: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[RawTable]:
    arrow_allocator()
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(
            Notice("in_unknown_suffix", path=str(path), suffix=repr(suffix) if suffix else "–", known=known)
        )
    if not data[:65536].strip() and not data.strip():  # (strip copies: only for files that start blank)
        raise InputError(Notice("in_empty", path=str(path)))
    return reader(path, data, preferred_encoding, sheet, limits)


def _broken_text(path: Path, data: bytes, exc: UnicodeDecodeError, skip: int, label: str) -> InputError:
    """Name the row and column of the first bytes that do not decode."""
    codec = "utf-16" if label == "UTF-16" else "utf-8"
    before = data[: skip + exc.start].decode(codec, errors="replace")
    lines = before.split("\n")
    delimiter = _sniff_delimiter(before[:SNIFF_CHARS]) if len(lines) > 1 else ","
    column = lines[-1].count(delimiter) + 1
    header = lines[0].lstrip("\ufeff").split(delimiter) if len(lines) > 1 else []
    name = f" ('{header[column - 1].strip()[:40]}')" if column <= len(header) else ""
    ends_inside = exc.end >= len(data) - skip and "truncated" in exc.reason
    reason = Notice("in_ends_inside_character") if ends_inside else exc.reason
    return InputError(
        Notice(
            "in_broken_text", path=str(path), row=len(lines), column=column, name=name, encoding=label, reason=reason
        )
    )


def _valid(data: bytes, codec: str, offset: int = 0) -> UnicodeDecodeError | None:
    """Check that data[offset:] decodes, a few MB at a time (the text is never held whole).
    The error's positions count from offset."""
    decoder = codecs.getincrementaldecoder(codec)()
    step = 4 * 1024 * 1024
    view = memoryview(data)
    start = offset
    try:
        for start in range(offset, len(data), step):
            decoder.decode(view[start : start + step], final=start + step >= len(data))
        if len(data) <= offset:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        base = start - offset
        return UnicodeDecodeError(
            exc.encoding, bytes(view[offset : offset + 16]), base + exc.start, base + exc.end, exc.reason
        )
    return None


def _detect_encoding(path: Path, data: bytes, preferred: str | None) -> tuple[str, int]:
    """-> (codec, BOM length). UTF-8 (with or without BOM) and UTF-16 with BOM must decode
    cleanly; other bytes are the Windows code page German Excel and ServiceNow write by default."""
    if data.startswith(b"\xef\xbb\xbf"):
        broken = _valid(data, "utf-8", 3)
        if broken:
            raise _broken_text(path, data, broken, 3, "UTF-8")
        return "utf-8", 3
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        broken = _valid(data, "utf-16")
        if broken:
            raise _broken_text(path, data, broken, 0, "UTF-16")
        return "utf-16", 0
    if _valid(data, "utf-8") is None:
        return "utf-8", 0
    encoding = preferred if preferred and preferred.lower() not in ("utf-8", "utf-8-sig") else "cp1252"
    try:
        if _cp1252_valid(data) if codecs.lookup(encoding).name == "cp1252" else _valid(data, encoding) is None:
            return encoding, 0
    except LookupError:
        pass
    return "latin-1", 0


def _cp1252_valid(data: bytes) -> bool:
    """Whether the bytes decode as cp1252: all but five byte values do (a byte search, not a decode)."""
    return not any(byte in data for byte in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def _first_lines(text: str) -> list[str]:
    head = text[:SNIFF_CHARS]
    lines = head.splitlines()
    if len(text) > SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the last line of the sample may be cut
    return lines[:40]


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in _first_lines(text) if line.strip()]
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        # Rows that agree on a width > 1, weighted by the width (title lines disagree).
        score = widths.count(common) * (1 + 0.01 * common)
        if score > best_score:
            best, best_score = delim, score
    return best


def _dialect(data: bytes, bom: int, codec: str) -> tuple[str, int]:
    """(delimiter, number of columns) from the first lines."""
    head = data[bom : bom + SNIFF_CHARS * 4].decode(codec, errors="ignore")
    delimiter = _sniff_delimiter(head)
    try:
        width = max((len(r) for r in csv.reader(_first_lines(head), delimiter=delimiter)), default=1)
    except csv.Error:
        width = 1
    return delimiter, width


def _arrow_frame(data: bytes, skip: int, delimiter: str, width: int, codec: str) -> pd.DataFrame | None:
    """The common case, read by pyarrow (compact, no Python object per cell): every row has the
    same number of fields and every field decodes. None when a row does not (title blocks, blank
    lines) or a field does not: pandas reads those, or the encoding is decided first."""
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    names = [str(i) for i in range(width)]
    try:
        # No invalid-row handler: pyarrow decodes a ragged row's text for it as UTF-8, which
        # fails (and is printed) for other encodings; the first such row ends the read instead.
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(skip)),
            # 'utf8' is arrow's own decoder; any other name (even 'utf-8') goes through a Python codec
            read_options=pa_csv.ReadOptions(
                column_names=names, encoding="utf8" if codec == "utf-8" else codec, use_threads=False
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    text = pd.ArrowDtype(pa.string())  # zero-copy: pandas' own "str" dtype would copy into large_string
    # split_blocks + self_destruct: the arrow table is released column by column as pandas takes it
    frame = table.to_pandas(
        types_mapper=lambda t: text if t == pa.string() else None, split_blocks=True, self_destruct=True
    )
    del table
    frame.columns = range(width)
    return frame


def _csv_frame(source: str | bytes, delimiter: str, width: int, codec: str | None) -> pd.DataFrame:
    stream = io.StringIO(source) if isinstance(source, str) else io.BytesIO(source)
    return pd.read_csv(
        stream,
        encoding=codec,
        encoding_errors="strict",
        sep=delimiter,
        header=None,
        names=range(width),
        index_col=False,
        dtype=str,
        na_filter=False,
        keep_default_na=False,
        skip_blank_lines=False,
        engine="c",
        quotechar='"',
        doublequote=True,
    )


def read_csv(
    path: Path, data: bytes, preferred_encoding: str | None, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> list[RawTable]:
    if data[:4] == b"%PDF" or data.startswith(b"PK\x03\x04") or data.startswith(OLE_MAGIC):
        raise InputError(Notice("in_not_csv", path=str(path)))
    # pyarrow reads the bytes in place (no copy of the file as text, no Python object per cell);
    # pandas reads what it cannot: ragged rows, UTF-16, NUL characters (no export has them on
    # purpose; the C reader would end a field there).
    frame = None
    plain = not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data
    tried_utf8 = False
    if plain:
        # UTF-8 first: pyarrow validates every field as it reads (delimiters, quotes and line
        # ends are ASCII), so a read that succeeds is a file that decodes, without a separate pass.
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        delimiter, width = _dialect(data, bom, "utf-8")
        if width > 1:
            tried_utf8 = True
            try:
                frame = _arrow_frame(data, bom, delimiter, width, "utf-8")
            except Exception:  # noqa: BLE001 - not UTF-8, or not for pyarrow: decided and read below
                frame = None
    codec = "utf-8"
    if frame is None:
        codec, bom = _detect_encoding(path, data, preferred_encoding)
        delimiter, width = _dialect(data, bom, codec)
    encoding = "utf-8-sig" if bom else codec
    plain = plain and codec != "utf-16"
    if frame is None and plain and width > 1 and not (tried_utf8 and codec == "utf-8"):
        try:
            frame = _arrow_frame(data, bom, delimiter, width, codec)
        except Exception:  # noqa: BLE001 - whatever pyarrow cannot read, pandas reads or names below
            frame = None
    read_by_pandas = frame is None
    if frame is None:
        if plain:
            source: Any = data[bom:]
            source_codec: str | None = codec
        else:
            source, source_codec = data[bom:].decode(codec).replace("\x00", ""), None
    try:
        if frame is None:
            try:
                frame = _csv_frame(source, delimiter, max(width, 1), source_codec)
            except pd.errors.ParserError:
                # A row further down is wider than the first lines: measure the whole file once.
                text = source if isinstance(source, str) else source.decode(codec)
                width = max((len(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), default=1)
                frame = _csv_frame(source, delimiter, max(width, 1), source_codec)
    except (csv.Error, pd.errors.ParserError, ValueError) as exc:
        raise InputError(Notice("in_invalid_csv", path=str(path), problem=str(exc).splitlines()[0][:160])) from None
    check_table_shape(path, None, len(frame), frame.shape[1], limits)
    fields = None
    if read_by_pandas:  # rows may differ in length (pyarrow reads only files whose rows all agree)
        text = source.encode("utf-8") if isinstance(source, str) else source
        fields = fields_per_row(text, delimiter, len(frame))
    return [RawTable(None, frame, "," if delimiter == ";" else ".", encoding, delimiter, fields)]


def fields_per_row(data: bytes, delimiter: str, rows: int) -> np.ndarray | None:
    """The number of fields of each record of CSV bytes (the delimiter, quote and line end are
    ASCII in every encoding read here), on whole arrays: a delimiter or line end counts where
    an even number of quotes precedes it (a doubled quote inside a field adds two). None when
    the records found are not the frame's rows (an unusual line end): then nothing is claimed."""
    if not data or len(delimiter) != 1:
        return None
    b = np.frombuffer(data, dtype=np.uint8)
    outside = (np.cumsum(b == ord('"'), dtype=np.uint8) & 1) == 0  # uint8 wraps: the parity survives
    end_byte = ord("\n") if b"\n" in data else ord("\r")
    ends = np.flatnonzero((b == end_byte) & outside)
    if not len(ends) or ends[-1] != len(b) - 1:
        ends = np.append(ends, len(b))  # the last record has no line end
    if len(ends) != rows:
        return None
    separators = np.flatnonzero((b == ord(delimiter)) & outside)
    return np.bincount(np.searchsorted(ends, separators), minlength=rows)[:rows] + 1


def read_workbook(
    path: Path,
    data: bytes,
    preferred_encoding: str | None = None,
    sheet: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[RawTable]:
    from python_calamine import CalamineWorkbook

    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:
            raise InputError(Notice("in_password", path=str(path)))
        if path.suffix.lower() != ".xls":
            raise InputError(Notice("in_old_xls", path=str(path), suffix=path.suffix))
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            kind = "in_a_pdf" if data[:4] == b"%PDF" else "in_not_a_workbook"
            raise InputError(Notice("in_misnamed", path=str(path), kind=Notice(kind), suffix=path.suffix))
        check_xlsx(path, data, sheet, limits)
    tables = []
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        if sheet is not None and sheet not in names:
            listed = ", ".join(repr(n) for n in names)
            raise InputError(Notice("in_no_sheet", path=str(path), sheet=repr(sheet), sheets=listed))
        for name in [sheet] if sheet is not None else names:
            worksheet = book.get_sheet_by_name(name)
            check_table_shape(path, name, worksheet.total_height, worksheet.total_width, limits)
            rows = worksheet.to_python(skip_empty_area=False)
            width = max(map(len, rows), default=0)
            frame = pd.DataFrame(rows, columns=range(width), dtype=object)
            del rows
            tables.append(RawTable(str(name), _text_columns_as_arrow(frame)))
    except InputError:
        raise
    except BaseException as exc:  # calamine raises its own types (and Rust panics) for corrupt files
        if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
        raise InputError(Notice("in_corrupt_workbook", path=str(path), problem=detail)) from None
    return tables


def _text_columns_as_arrow(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns whose cells are all text (names, products, units) as arrow strings, like a CSV's:
    tested and cleaned in arrow instead of one Python object at a time. Columns with native
    numbers, dates or yes/no cells stay as they are (their cell types decide how they parse)."""
    import pyarrow as pa

    text = pd.ArrowDtype(pa.string())
    for col in frame.columns:
        try:  # fails at the first cell that is not text
            array = pa.array(frame[col].to_numpy(), type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            continue
        frame[col] = pd.Series(pd.arrays.ArrowExtensionArray(array), index=frame.index, dtype=text)
    return frame


Reader = Callable[[Path, bytes, str | None, str | None, Limits], list[RawTable]]
READERS: dict[str, Reader] = {
    ".csv": read_csv,
    ".txt": read_csv,
    ".tsv": read_csv,
    ".xlsx": read_workbook,
    ".xlsm": read_workbook,
    ".xls": read_workbook,
    ".ods": read_workbook,
}
