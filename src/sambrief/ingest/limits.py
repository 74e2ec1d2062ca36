"""Size limits checked before a cell of an export is read.

An export can be hostile or broken: a workbook whose one cell sits at XFD1048576 makes the
reader allocate every cell up to it, a sheet can inflate to gigabytes of XML. Each limit has a
default that a tenant of a million users fits under; `limits:` in sambrief.yaml raises it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from xml.etree import ElementTree

import numpy as np

from sambrief.errors import InputError
from sambrief.i18n.notices import Count, Notice

MB = 1024 * 1024
# What a truncated or bit-flipped zip raises while its directory or a part is read.
_BROKEN_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    KeyError,
)
_SMALL_PART = 16 * MB  # workbook.xml and its relations are a few KB in any real workbook


@dataclass(frozen=True)
class Limits:
    file_mb: int = 1024  # any export file; the Active users CSV of 1M users is ~230 MB
    sheet_xml_mb: int = 768  # one worksheet (or the shared strings) uncompressed; 1M rows x 15 columns fit
    cells: int = 60_000_000  # rows x columns of one sheet or CSV
    rows: int = 5_000_000
    columns: int = 1_000

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


DEFAULT_LIMITS = Limits()


def _raise(path: Path, what: Notice, limit_key: str, value: int) -> None:
    raise InputError(Notice("in_limit", path=str(path), what=what, setting=f"limits: {{{limit_key}: {value}}}"))


def _megabytes(size: int) -> Count:
    return Count(round(size / MB))


def check_file_size(path: Path, size: int, limits: Limits) -> None:
    if size > limits.file_mb * MB:
        _raise(path, Notice("in_limit_file", size=_megabytes(size)), "file_mb", limits.file_mb)


def check_table_shape(path: Path, sheet: str | None, rows: int, columns: int, limits: Limits) -> None:
    where = Notice("in_where_sheet", sheet=repr(sheet)) if sheet is not None else Notice("in_where_table")
    if rows > limits.rows:
        _raise(path, Notice("in_limit_rows", where=where, rows=Count(rows)), "rows", limits.rows)
    if columns > limits.columns:
        _raise(path, Notice("in_limit_columns", where=where, columns=Count(columns)), "columns", limits.columns)
    if rows * columns > limits.cells:
        _raise(
            path, Notice("in_limit_cells", where=where, rows=Count(rows), columns=Count(columns)), "cells", limits.cells
        )


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def xlsx_sheet_parts(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part in the zip, from xl/workbook.xml and its relations."""
    names = set(archive.namelist())
    for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        if part not in names:
            raise InputError(Notice("in_no_part", path=str(path), part=part))
        if archive.getinfo(part).file_size > _SMALL_PART:
            raise InputError(Notice("in_part_too_large", path=str(path), part=part))
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (ElementTree.ParseError, *_BROKEN_ZIP) as exc:
        raise InputError(Notice("in_corrupt_workbook", path=str(path), problem=str(exc))) from None
    targets = {r.get("Id"): (r.get("Target") or "") for r in rels}
    parts: dict[str, str] = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet"):
            target = targets.get(sheet.get(_NS_REL), "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            parts[sheet.get("name") or ""] = target
    return parts


_DIMENSION_ROW = re.compile(rb'<dimension ref="[A-Z]*\d*:?[A-Z]{1,4}(\d{1,9})')
_DIMENSION_WIDE = re.compile(rb'<dimension ref="[A-Z]*\d*:?([A-Z]{2,4})\d')
_REF = np.frombuffer(b' r="', dtype=np.uint8)
_WINDOW = 14  # 4 letters and 9 digits of a cell reference, and one more byte


def _references(chunk: bytes) -> tuple[int, int]:
    """(largest row, largest column of two or more letters, else 0) of the cell references
    (` r="XFD1048576`) in an XML chunk, on whole arrays: a million-row sheet has millions of
    references, too many for a Python loop. As before, a reference is 1-4 capital letters and
    the (first 9) digits after them; a row element's `r="5"` has no letters and is not one."""
    text = np.frombuffer(chunk + bytes(_WINDOW), dtype=np.uint8)
    n = len(chunk)
    at = text[:n] == _REF[0]
    for k in range(1, len(_REF)):
        at &= text[k : n + k] == _REF[k]
    starts = np.flatnonzero(at) + len(_REF)
    if not len(starts):
        return 0, 0
    window = text[starts[:, None] + np.arange(_WINDOW)]
    letters = np.argmin((window >= 65) & (window <= 90), axis=1)  # leading capitals (14 of them: none)
    digit = (window >= 48) & (window <= 57)
    max_row = max_col = 0
    for count in range(1, 5):  # references with 1, 2, 3 or 4 letters
        group = letters == count
        if not group.any():
            continue
        run = digit[group, count : count + 9]
        run = np.where(run.all(axis=1), 9, np.argmin(run, axis=1))  # leading digits, at most 9
        longest = int(run.max())
        if not longest:
            continue
        refs = window[group]
        # The largest row has the most digits; among those, compare the numbers themselves.
        top = refs[run == longest, count : count + longest].astype(np.int64) - 48
        max_row = max(max_row, int((top @ 10 ** np.arange(longest - 1, -1, -1, dtype=np.int64)).max()))
        if count >= 2:
            names = refs[run >= 1, :count].astype(np.int64) - 64
            max_col = max(max_col, int((names @ 26 ** np.arange(count - 1, -1, -1, dtype=np.int64)).max()))
    return max_row, max_col


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _beyond(limits: Limits) -> Callable[[bytes], bool]:
    """References that could pass a limit: as many letters as the column limit's name, or as
    many digits as the row limit. A normal sheet has none, so its chunks are searched, not
    decoded. Searched by arrow's RE2 (a DFA: the search costs a third of Python's re, less than
    the decompression)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    letters = len(_column_letters(limits.columns)) or 1
    digits = len(str(limits.rows))
    pattern = rf' r="(?:[A-Z]{{{letters},4}}\d|[A-Z]{{1,4}}\d{{{digits}}})'

    def found(text: bytes) -> bool:
        # The chunk as one binary value, without a copy (int64 offsets: any chunk size).
        value = pa.Array.from_buffers(
            pa.large_binary(), 1, [None, pa.py_buffer(np.array([0, len(text)], dtype=np.int64)), pa.py_buffer(text)]
        )
        return bool(pc.match_substring_regex(value, pattern)[0].as_py())

    return found


def _declared_and_actual_extent(
    archive: zipfile.ZipFile, part: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[int, int]:
    """(rows, columns) a reader will allocate for the sheet, as far as they matter for the
    limits: the larger of its declared <dimension> and the farthest cell reference, exact
    whenever a limit is passed. Streams the XML; nothing is kept."""
    max_row, max_col = 0, 1
    tail = b""
    beyond = _beyond(limits)
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(4 * MB)
            if not chunk:
                break
            text = tail + chunk
            tail = chunk[-64:]  # a reference cut by the chunk boundary is seen whole in the next round
            if b"<dimension" in text:
                declared = _DIMENSION_ROW.findall(text)
                if declared:
                    max_row = max(max_row, max(map(int, declared)))
                wide_declared = [_column_number(w.decode("ascii")) for w in _DIMENSION_WIDE.findall(text)]
                max_col = max([max_col, *wide_declared])
            if max_col < 26 and b' r="' in text:
                max_col = 26  # single-letter columns: A..Z
            if beyond(text):
                rows, wide = _references(text)
                max_row = max(max_row, rows)
                max_col = max(max_col, wide)
    return max_row, max_col


def check_xlsx(path: Path, data: bytes, sheet: str | None, limits: Limits) -> None:
    """Refuse a workbook whose sheets are too large before calamine reads (and allocates) them."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _BROKEN_ZIP as exc:
        raise InputError(Notice("in_corrupt_workbook", path=str(path), problem=str(exc))) from None
    with archive:
        parts = xlsx_sheet_parts(path, archive)
        wanted = {sheet: parts[sheet]} if sheet is not None and sheet in parts else parts
        names = set(archive.namelist())
        if (
            "xl/sharedStrings.xml" in names
            and archive.getinfo("xl/sharedStrings.xml").file_size > limits.sheet_xml_mb * MB
        ):
            size = archive.getinfo("xl/sharedStrings.xml").file_size
            _raise(path, Notice("in_limit_strings", size=_megabytes(size)), "sheet_xml_mb", limits.sheet_xml_mb)
        for name, part in wanted.items():
            if part not in names:
                continue  # calamine reports a missing part itself
            size = archive.getinfo(part).file_size
            if size > limits.sheet_xml_mb * MB:
                _raise(
                    path,
                    Notice("in_limit_sheet_xml", sheet=repr(name), size=_megabytes(size)),
                    "sheet_xml_mb",
                    limits.sheet_xml_mb,
                )
            try:
                rows, columns = _declared_and_actual_extent(archive, part, limits)
            except _BROKEN_ZIP as exc:
                raise InputError(
                    Notice("in_sheet_unreadable", path=str(path), sheet=repr(name), problem=str(exc))
                ) from None
            check_table_shape(path, name, rows, columns, limits)
