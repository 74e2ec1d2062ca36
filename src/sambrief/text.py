"""Cleaning of untrusted strings from exports: the one place all text passes on its way in."""

from __future__ import annotations

import re
import unicodedata

# Everything outside the XML 1.0 Char production: C0 controls but tab/newline/CR,
# lone surrogates, U+FFFE/U+FFFF. python-pptx does not escape these in chart labels
# or core properties, and they are invisible noise anywhere else.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE_RUN = re.compile(r"[ \t]+")  # no-break spaces stay: they keep '620.833 €' on one line


def clean_text(value: object) -> str:
    """Return a single-line, XML-safe string: control characters dropped, spaces collapsed."""
    if value is None:
        return ""
    text = str(value)
    text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\ufeff", "")
    text = _XML_ILLEGAL.sub("", text)
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
