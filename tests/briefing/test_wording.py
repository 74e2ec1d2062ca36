"""Wording a sponsor reads: no zero non-news, each unit said once, the catalogs' register."""

from __future__ import annotations

import openpyxl
from briefing.drafting import deck_of, draft_of
from conftest import REPO, copy_example
from pptx.presentation import Presentation as Deck

from sambrief.briefing.changes import what_changed
from sambrief.i18n.catalog import Formatter, Messages, catalog
from sambrief.packaged import load_packaged

CATALOGS = REPO / "src" / "sambrief" / "defaults" / "messages"


def _slide_texts(deck: Deck) -> list[str]:
    return [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]


def test_a_month_without_a_success_does_not_say_0_euro(tmp_path):
    ws = copy_example(tmp_path / "ws")  # reads the management deck
    register = ws / "examples" / "data" / "successes.xlsx"
    book = openpyxl.load_workbook(register)
    sheet = book["Erfolge"]
    october = [
        row[0].row
        for row in sheet.iter_rows(min_row=2)
        if row[0].value is not None and (row[0].value.year, row[0].value.month) == (2026, 10)
    ]
    assert october, "the example register has October successes"
    for number in reversed(october):
        sheet.delete_rows(number)
    book.save(register)

    management = draft_of(ws, audience="management", period="2026-10").briefings[0]
    texts = _slide_texts(deck_of(ws, management))
    headline = next(t for t in texts if t.startswith("Seit Jahresbeginn hat das Lizenzmanagement"))
    assert headline == "Seit Jahresbeginn hat das Lizenzmanagement 219.476\u00a0€ eingespart"
    assert not any("0\u00a0€ im Oktober" in t or " 0\u00a0€" in t for t in texts)


def test_a_yearly_amount_that_changed_says_its_unit_once():
    fmt, msg = Formatter("de", "EUR"), Messages("de")
    lines = what_changed(
        {"cloud_sprawl.idle_cost_year": 122103.0}, {"cloud_sprawl.idle_cost_year": 140414.0}, "September 2026", fmt, msg
    )
    assert lines == [
        "Kosten ungenutzter Cloud-Lizenzen: 18.311\u00a0€ weniger (13\u00a0%) seit September 2026, "
        "jetzt 122.103\u00a0€ im Jahr"
    ]


def _texts(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _texts(value)
    else:
        yield str(node)


def test_german_catalog_is_neutral_and_typographic():
    """No direct address ("Sie", "Ihr…" outside the audience titles), German quotes, no ASCII dash as a dash."""
    texts = list(_texts(catalog("de")))  # with the themes' own files
    assert not [t for t in texts if " Sie " in f" {t} " or t.startswith("Sie ")]
    assert not [t for t in texts if '"' in t or "“" in t and "„" not in t]
    assert not [t for t in texts if " - " in t]


def test_shipped_texts_never_address_the_reader_directly():
    """House style: briefings speak about the organisation, never to the reader ("Ihr Bereich",
    "your area"). Tool messages to the person running sambrief (`notices:`) are not briefing text."""
    import re

    german = re.compile(r"(?<![-\w])(Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen|Dein|Deine|Dich|Dir)(?![-\w])")
    english = re.compile(r"(?<![-\w])(you|your|yours)(?![-\w])", re.IGNORECASE)

    def strings(node, path=""):
        if isinstance(node, dict):
            for key, value in node.items():
                if path == "" and key in ("notices", "click"):
                    continue
                yield from strings(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from strings(value, f"{path}[{i}]")
        elif isinstance(node, str):
            yield path, node

    shipped = [
        *CATALOGS.rglob("*.yaml"),
        REPO / "src" / "sambrief" / "defaults" / "audiences.yaml",
        REPO / "audiences.yaml",
    ]
    found = [
        f"{p.name}{where}: {text}"
        for p in shipped
        for where, text in strings(load_packaged(p.read_text("utf-8")))
        if german.search(text) or english.search(text)
    ]
    for template in (REPO / "src" / "sambrief" / "defaults" / "templates").glob("*.j2"):
        found += [
            f"{template.name}: {line.strip()}"
            for line in template.read_text("utf-8").splitlines()
            if german.search(line) or english.search(line)
        ]
    assert not found, "\n".join(found)
