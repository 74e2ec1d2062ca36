"""The full lists behind the speaker notes: a slide's notes keep the first NOTES_LIST_MAX items
of each list and say how many more there are; every item goes to the audience's details.csv
(one row per item, every cell inert in a spreadsheet). Lists the audiences share are encoded once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import methodcaller
from typing import TYPE_CHECKING

from sambrief.briefing.findings import Finding
from sambrief.i18n.catalog import Messages

if TYPE_CHECKING:
    from sambrief.briefing.compose import Briefing

NOTES_LIST_MAX = 15  # items of one list in the speaker notes; the full list goes to details.csv


@dataclass(frozen=True, eq=False)
class DetailList:
    """One list of the speaker notes in full: the slide's headline, the list's title line and
    every item line (with its "– " mark). Shared by the audiences whose notes are the same."""

    slide: str
    title: str
    lines: list[str]
    _csv: dict[str, tuple[bytes, ...]] = field(default_factory=dict, repr=False)  # delimiter -> its details.csv rows
    # delimiter -> the items encoded as NUL + item + NUL + item ... (None: written row by row),
    # shared by the lists of the same lines (open_issues' gaps in every audience's deck)
    _items: dict[str, bytes | None] = field(default_factory=dict, repr=False)

    @property
    def items(self) -> list[str]:
        return [line[2:] for line in self.lines]


_is_item = methodcaller("startswith", "– ")


def _same_lines(pool: dict[tuple, list[tuple[list[str], dict]]], lines: list[str]) -> tuple[list[str], dict]:
    """The lines of an equal list met before in this build and its encodings, else these lines
    and a new cache (a list is compared whole only with lists of its length and ends)."""
    key = (len(lines), lines[0], lines[-1]) if lines else (0,)
    for known, encoded in pool.get(key, ()):
        if known == lines:
            return known, encoded
    pool.setdefault(key, []).append((lines, {}))
    return pool[key][-1]


def cap_note_lists(
    finding: Finding,
    msg: Messages,
    details: list[DetailList],
    pool: dict[tuple, list[tuple[list[str], dict]]] | None = None,
) -> Finding:
    """Each list in the notes ("– " lines under a title line) keeps its first NOTES_LIST_MAX
    items and says how many more there are; every item goes to the audience's details.csv.
    Runs of lines are taken whole (a list can hold every product of a licence position).
    `pool`: the build's lists so far, whose encoded items equal lists share."""
    import numpy as np

    notes: list[str] = []
    title = ""
    # Runs cut where a line's kind changes, each taken as one slice of the notes.
    items = np.fromiter(map(_is_item, finding.notes), dtype=bool, count=len(finding.notes))
    cuts = [0, *(np.flatnonzero(items[1:] != items[:-1]) + 1).tolist(), len(finding.notes)]
    for start, end in zip(cuts, cuts[1:]):
        lines = finding.notes[start:end]
        if not lines:  # (notes without a line: cuts [0, 0])
            continue
        is_item = bool(items[start])
        if not is_item:
            title = lines[-1].rstrip(":")
            notes.extend(lines)
            continue
        lines, encoded = _same_lines(pool if pool is not None else {}, lines)
        details.append(DetailList(finding.headline, title, lines, _items=encoded))
        notes.extend(lines[:NOTES_LIST_MAX])
        if len(lines) > NOTES_LIST_MAX:
            notes.append(msg("deck.notes_more", n=len(lines) - NOTES_LIST_MAX))
    return replace(finding, notes=notes) if notes != finding.notes else finding


_CSV_QUOTED = ('"', "\r", "\n")  # with the delimiter: what makes the csv module quote a field


def _csv_rows(rows: list[list[str]], delimiter: str) -> str:
    """Rows as the csv module writes them (minimal quoting, CRLF), every cell inert."""
    import csv
    import io

    from sambrief.text import inert_cell

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [inert_cell(cell) for cell in row] for row in rows
    )
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _active_item() -> re.Pattern[str]:
    """text.inert_cell's test after any NUL of a list joined as NUL + item + NUL + item ...
    (a NUL inside an item can only make a false alarm, which writes that list row by row); the
    literal NUL first lets the regex engine jump from NUL to NUL."""
    from sambrief.text import _SPREADSHEET_ACTIVE

    return re.compile(r"\0(?:" + _SPREADSHEET_ACTIVE.pattern.removeprefix("^") + ")", _SPREADSHEET_ACTIVE.flags)


def _joined_items(lines: list[str], delimiter: str) -> bytes | None:
    """The items of a list (its lines without "– ") encoded as NUL + item + NUL + item ...,
    or None where one needs quoting or neutralising (checked on the joined text)."""
    joined = ("\0" + "\0".join(lines)).replace("\0– ", "\0")  # every line is "– " and an item
    if (
        joined.count("\0") != len(lines)
        or any(mark in joined for mark in (delimiter, *_CSV_QUOTED))
        or _active_item().search(joined)
    ):
        return None
    return joined.encode("utf-8")


def _detail_pieces(details: DetailList, delimiter: str) -> tuple[bytes, ...]:
    """One list's rows of details.csv, in pieces to join once. The slide and list cells are the
    same on every row; the items are written whole where none needs quoting or neutralising,
    else row by row."""
    cached = details._csv.get(delimiter)
    if cached is not None:
        return cached
    if delimiter not in details._items:
        details._items[delimiter] = _joined_items(details.lines, delimiter)
    items = details._items[delimiter]
    data: tuple[bytes, ...] = ()
    if items is None:
        data = (_csv_rows([[details.slide, details.title, item] for item in details.items], delimiter).encode("utf-8"),)
    elif details.lines:
        # Each NUL becomes the row end and the next row's slide and list cells.
        prefix = _csv_rows([[details.slide, details.title, ""]], delimiter)[:-2].encode("utf-8")  # "slide;list;"
        data = (prefix, items[1:].replace(b"\0", b"\r\n" + prefix), b"\r\n")
    details._csv[delimiter] = data  # audiences sharing the list share the bytes
    return data


def details_csv(briefing: Briefing) -> bytes:
    """The full lists behind the slides, one row per item; every cell inert in a spreadsheet."""
    delimiter = ";" if briefing.language == "de" else ","
    msg = briefing.msg
    header = _csv_rows([[msg("deck.details_slide"), msg("deck.details_list"), msg("deck.details_item")]], delimiter)
    return b"".join(
        [header.encode("utf-8-sig"), *(piece for d in briefing.details for piece in _detail_pieces(d, delimiter))]
    )
