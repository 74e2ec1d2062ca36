"""Cleaning of untrusted strings from exports: the one place all text passes on its way in."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

# Everything outside the XML 1.0 Char production: C0 controls but tab/newline/CR,
# lone surrogates, U+FFFE/U+FFFF. python-pptx does not escape these in chart labels
# or core properties, and they are invisible noise anywhere else.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Unicode format characters (category Cf): bidirectional controls (U+202A–U+202E, U+2066–U+2069,
# U+200E/F, U+061C) turn "Acro\u202eexe.fdp" into what reads as "Acropdf.exe"; zero-width
# characters hide text or split words. None of them belongs in a product or department name.
_FORMAT_CHARS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_SPACE_RUN = re.compile(r"[ \t]+")  # no-break spaces stay: they keep '620.833 €' on one line


def clean_text(value: object) -> str:
    """Return a single-line, XML-safe string: control and format characters (bidi, zero-width)
    dropped, spaces collapsed. A pure str -> str function (ingest calls it once per distinct value)."""
    if value is None:
        return ""
    text = str(value)
    text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\ufeff", "")
    text = _XML_ILLEGAL.sub("", text)
    text = _FORMAT_CHARS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return _SPACE_RUN.sub(" ", text).strip()


_SPREADSHEET_ACTIVE = re.compile(r"^([=+\-@\t\r]|(ftp|http)s?://|mailto:|(in|ex)ternal:)", re.IGNORECASE)


def inert_cell(text: str) -> str:
    """A label that goes into a workbook (the data behind a native chart): a leading zero-width
    space keeps XlsxWriter from writing it as a formula or a link, and stays invisible."""
    return "\u200b" + text if _SPREADSHEET_ACTIVE.match(text) else text


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and add an ellipsis; used for labels that must fit a slide."""
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def normalise_header(value: object) -> str:
    """Header cell -> comparison key: case-folded, whitespace collapsed, BOM and NBSP gone."""
    return " ".join(clean_text(value).replace("\u00a0", " ").replace("\u202f", " ").split()).casefold()


def closest(word: object, known: Iterable[object], n: int = 1, fold: bool = False) -> list[str]:
    """The known words nearest to a mistyped one, best first (difflib's similarity at least 0.6):
    every did-you-mean of the tool. With `fold`, compared case-folded and given as `known` spells
    them (the last of several spellings that fold alike)."""
    if not fold:
        return difflib.get_close_matches(str(word), [str(k) for k in known], n=n, cutoff=0.6)
    spelled = {str(k).casefold(): str(k) for k in known}
    return [spelled[k] for k in difflib.get_close_matches(str(word).casefold(), list(spelled), n=n, cutoff=0.6)]
