"""Parsing of numbers, dates and booleans as SAM tools and German Excel write them.

Each parser takes one cell (a str from CSV, or a native value from a workbook) and
returns the value or raises ValueError; readers collect the failures per column.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

_CURRENCY = re.compile(r"[€$£¥]|\b(?:EUR|USD|GBP|CHF)\b", re.IGNORECASE)
_NUMBER_CHARS = re.compile(r"^[+-]?[\d.,' ]*\d[\d.,' ]*$")
EXCEL_EPOCH = datetime(1899, 12, 30)


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    # pandas' missing markers, recognised without importing pandas for every cell
    return type(value).__name__ in ("NaTType", "NAType")


def decimal_style(values: list[str], default: str) -> str:
    """Decide ',' or '.' as the decimal mark of a column from its unambiguous values.

    '1.234,56' or '12,5' prove a decimal comma; '1,234.56' or '12.5' a decimal point.
    '1,234' alone proves nothing and falls back to the file's default.
    """
    votes = {",": 0, ".": 0}
    for raw in values:
        s = _strip_number(raw)
        if "," in s and "." in s:
            votes["," if s.rfind(",") > s.rfind(".") else "."] += 1
            continue
        for mark in (",", "."):
            if mark in s:
                parts = s.split(mark)
                if len(parts) == 2 and len(parts[1]) != 3:
                    votes[mark] += 1
                elif len(parts) > 2:  # '1.234.567' -> the mark is a thousands separator
                    votes["," if mark == "." else "."] += 1
    if votes[","] > votes["."]:
        return ","
    if votes["."] > votes[","]:
        return "."
    return default


def _strip_number(raw: str) -> str:
    s = _CURRENCY.sub("", str(raw)).replace("\u00a0", " ").replace("\u202f", " ").strip()
    return s.replace(" ", "").replace("'", "")


def parse_number(value: object, decimal: str = ".") -> float:
    """'1.234,56' / '1,234.56' / '-12' / '(12)' / '12 €' / 5 -> float. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            raise ValueError("empty")
        return float(value)
    s = _strip_number(str(value))
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.endswith("-") and len(s) > 1:  # SAP style trailing minus '12-'
        negative, s = True, s[:-1]
    if s.endswith("%"):
        s = s[:-1]
    if not s or not _NUMBER_CHARS.match(s):
        raise ValueError(f"not a number: {value!r}")
    thousands = "." if decimal == "," else ","
    if s.count(decimal) > 1:
        raise ValueError(f"not a number: {value!r}")
    s = s.replace(thousands, "").replace(decimal, ".")
    number = float(s)
    return -number if negative else number


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%SZ",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%y",
    "%d.%m.%y %H:%M",  # as Excel re-saves a CSV in a German locale
    "%d.%m.%y %H:%M:%S",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%d %b %Y",
    "%d %B %Y",
    "%d %b %Y %H:%M:%S",
    "%m/%d/%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
)


def parse_date(value: object, formats: tuple[str, ...] | list[str] | None = None) -> date:
    """ISO, '31.10.2026', '8/19/2021 1:25:31 PM', '3 Jan 2024', '2024/04/04 00:24:13',
    Excel serial numbers and native datetimes -> date. Raises ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial(float(value))
    s = " ".join(str(value).replace("\u00a0", " ").split())
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return _excel_serial(float(s))
    for fmt in formats or _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    # ISO with fractional seconds or offsets that strptime's fixed list misses
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"not a date: {value!r}") from None


def _excel_serial(serial: float) -> date:
    if not 1 <= serial < 2958466:
        raise ValueError(f"not a date: {serial!r}")
    return (EXCEL_EPOCH + timedelta(days=serial)).date()


_TRUE = {"true", "yes", "ja", "y", "j", "1", "wahr", "x"}
_FALSE = {"false", "no", "nein", "n", "0", "falsch", ""}


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    s = str(value).strip().casefold()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")
