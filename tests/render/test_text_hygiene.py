"""Strings from exports never carry bidirectional controls or other invisible format characters
into a deck or a page: "Acro\u202eexe.fdp" must not show as "Acropdf.exe"."""

from __future__ import annotations

import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, write_workspace
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.text import clean_text

BIDI_AND_FORMAT = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200c\u200d\u2060\ufeff\u00ad"
)


def test_clean_text_removes_every_format_character():
    assert clean_text("Acro\u202eexe.fdp") == "Acroexe.fdp"
    assert clean_text("Adobe" + BIDI_AND_FORMAT + " Acrobat\x00\x1b") == "Adobe Acrobat"
    every_cf = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    assert clean_text("a" + every_cf + "b") == "ab"
    assert clean_text("Müller & Söhne – 620.833\u00a0€") == "Müller & Söhne – 620.833\u00a0€"  # visible text stays


@pytest.mark.usefixtures("no_deck_pdf")  # reads the decks, the pages and the manifest, never the deck's PDF
@pytest.mark.parametrize("audience", ["management", pytest.param("all", marks=pytest.mark.slow)])
def test_bidi_controls_from_an_export_never_reach_the_deck_or_the_pages(tmp_path: Path, audience: str):
    csv = (
        "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\n"
        "Ado\u2066be\u2069;Acro\u202eexe.fdp;10;30;100,00\nB;Be\u200bta\u200f;5;9;20,00\n"
    )
    ws = write_workspace(
        tmp_path / "ws", MINIMAL_CONFIG.replace("Produkt A: 10", "Acroexe.fdp: 100"), {"data/l.csv": csv}
    )
    build = ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10", "--audience", audience]
    result = CliRunner().invoke(app, build)
    assert result.exit_code == 0, result.stderr
    period = ws / "out" / "2026-10"
    texts = {}
    for path in period.rglob("*"):
        if path.suffix == ".pptx":
            with zipfile.ZipFile(path) as deck:
                texts.update(
                    {
                        f"{path.name}:{n}": deck.read(n).decode("utf-8", "replace")
                        for n in deck.namelist()
                        if n.endswith((".xml", ".rels"))
                    }
                )
                for name in deck.namelist():
                    if name.endswith(".xlsx"):  # the workbook behind a chart
                        import io

                        with zipfile.ZipFile(io.BytesIO(deck.read(name))) as book:
                            texts.update(
                                {f"{name}:{n}": book.read(n).decode("utf-8", "replace") for n in book.namelist()}
                            )
        elif path.suffix in (".html", ".json", ".css"):
            texts[str(path)] = path.read_text("utf-8")
    assert any("Acroexe.fdp" in t for t in texts.values())  # the product is shown, cleaned
    for name, text in texts.items():
        found = {hex(ord(ch)) for ch in text if unicodedata.category(ch) == "Cf" and ch != "\u200b"}
        assert not found, (name, found)
        assert "\u202e" not in text and "\u200f" not in text and "Be\u200bta" not in text
