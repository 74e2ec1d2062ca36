"""Parsing of numbers, dates and booleans as SAM tools and German Excel write them.

The rules for one value; sambrief.ingest.numbers and .dates apply them to whole columns. The number
grammar is written here once, for both.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

# The grammar of a number, written once: numbers.parse_numbers applies it to whole columns of an
# export (deciding the decimal mark per column), parse_number to one value (a configuration file's).
# Before parsing, a currency is removed, no-break spaces become spaces, and spaces and apostrophes
# (thousands separators) go; brackets or a trailing minus (SAP) mark a negative number.
CURRENCY = r"[€$£¥]|\b(?:EUR|USD|GBP|CHF)\b"  # matched case-insensitively
_CURRENCY = re.compile(CURRENCY, re.IGNORECASE)
EXCEL_EPOCH = datetime(1899, 12, 30)


def thousands_mark(decimal: str) -> str:
    return "." if decimal == "," else ","


def number_shape(decimal: str) -> str:
    """One well-formed number with this decimal mark: an optional sign, thousands groups of
    three, at most one decimal mark. '1.2.3', '5%' and '1e30' are not numbers."""
    d, k = re.escape(decimal), re.escape(thousands_mark(decimal))
    return rf"[+-]?(?:(?:\d{{1,3}}(?:{k}\d{{3}})+|\d+)(?:{d}\d*)?|{d}\d+)"


def parse_number(value: object, decimal: str | None = None) -> float | None:
    """One value -> float, or None when it is no number; by the rules the export columns are
    parsed by. `decimal` None decides the mark as a YAML file is written: a comma is always the
    decimal mark, a point too unless it repeats ('33.7', '33,70', '1.234,50', '1.234.567')."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return None
    text = _CURRENCY.sub("", value)
    text = re.sub("[ ']", "", text.replace("\u00a0", " ").replace("\u202f", " ").strip())
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-") and len(text) > 1:
        negative, text = True, text[:-1]
    if decimal is None:
        decimal = "," if "," in text or text.count(".") > 1 else "."
    if not re.fullmatch(number_shape(decimal), text):
        return None
    number = float(text.replace(thousands_mark(decimal), "").replace(decimal, "."))
    return -number if negative else number


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    # pandas' missing markers, recognised without importing pandas for every cell
    return type(value).__name__ in ("NaTType", "NAType")


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
