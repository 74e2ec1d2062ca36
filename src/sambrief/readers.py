"""File -> raw tables (rows of cells). One reader per file kind, chosen by registry.

Readers know nothing about layouts: they turn bytes into rows, and say clearly when the
bytes are not what the file name promises.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sambrief.errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
DELIMITERS = (";", ",", "\t", "|")


@dataclass
class RawTable:
    sheet: str | None  # None for CSV
    rows: list[list[object]]
    decimal_hint: str = "."  # from the file's conventions (';'-separated CSV suggests ',')
    encoding: str | None = None
    delimiter: str | None = None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check the path and permissions") from None


def read_tables(path: Path, data: bytes, preferred_encoding: str | None = None) -> list[RawTable]:
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(f"{path}: cannot read '{suffix or 'no suffix'}' files (known: {known}); export as CSV or XLSX")
    if not data.strip():
        raise InputError(f"{path}: the file is empty; export it again from the source tool")
    return reader(path, data, preferred_encoding)


def _decode(path: Path, data: bytes, preferred: str | None) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: the Windows code page German Excel and ServiceNow write by default.
    encoding = preferred if preferred and preferred.lower() not in ("utf-8", "utf-8-sig") else "cp1252"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:40] if line.strip()]
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


def read_csv(path: Path, data: bytes, preferred_encoding: str | None) -> list[RawTable]:
    if data[:4] == b"%PDF" or data.startswith(b"PK\x03\x04") or data.startswith(OLE_MAGIC):
        raise InputError(f"{path}: this is not a text (CSV) file; save it as CSV or rename it to its real type")
    text, encoding = _decode(path, data, preferred_encoding)
    delimiter = _sniff_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{path}: not valid CSV ({exc}); export it again from the source tool") from None
    return [RawTable(None, rows, "," if delimiter == ";" else ".", encoding, delimiter)]


def read_workbook(path: Path, data: bytes, preferred_encoding: str | None = None) -> list[RawTable]:
    import pandas as pd

    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:
            raise InputError(
                f"{path}: the workbook is password-protected; save a copy without a password and try again"
            )
        if path.suffix.lower() != ".xls":
            raise InputError(f"{path}: this is an old-style .xls workbook named {path.suffix}; save it as .xlsx")
    elif path.suffix.lower() in (".xlsx", ".xlsm") and not zipfile.is_zipfile(io.BytesIO(data)):
        kind = "a PDF" if data[:4] == b"%PDF" else "not an Excel workbook"
        raise InputError(f"{path}: this file is {kind} although it is named {path.suffix}; export it again as .xlsx")
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="calamine", dtype=object)
    except Exception as exc:  # calamine raises its own types for corrupt files
        raise InputError(
            f"{path}: the workbook cannot be opened ({type(exc).__name__}: {str(exc)[:120]}); "
            "it may be truncated or corrupt, export it again"
        ) from None
    tables = []
    for name, frame in sheets.items():
        rows = [[None if _is_nan(v) else v for v in row] for row in frame.itertuples(index=False, name=None)]
        tables.append(RawTable(str(name), rows))
    return tables


def _is_nan(value: object) -> bool:
    return isinstance(value, float) and value != value


Reader = Callable[[Path, bytes, str | None], list[RawTable]]
READERS: dict[str, Reader] = {
    ".csv": read_csv,
    ".txt": read_csv,
    ".tsv": read_csv,
    ".xlsx": read_workbook,
    ".xlsm": read_workbook,
    ".xls": read_workbook,
    ".ods": read_workbook,
}
