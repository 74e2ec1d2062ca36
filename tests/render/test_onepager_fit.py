"""The one-pager fills its page before it trims (measured, trimmed only on overflow), no type
below 6.5 pt, no cut inside a parenthesis or a number, the cards of a row equally high, and
`build --strict` passes on a fresh workspace with realistic exports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.render.fit import shorten_clause

runner = CliRunner()


@pytest.fixture(scope="module")
def example(example_build_all):
    return example_build_all


def test_no_type_on_a_one_pager_is_smaller_than_6_5_pt(example):
    for b in example.briefings:
        with pdfplumber.open(example.out_dir / b.output_key / "onepager.pdf") as doc:
            sizes = [round(c["size"], 2) for c in doc.pages[0].chars if c["text"].strip()]
        assert min(sizes) >= 6.5, (b.output_key, sorted(sizes)[:5])


def test_a_page_with_room_carries_the_briefing_uncut_and_says_nothing_of_cuts(example):
    from lxml import html as lxml_html

    b = next(b for b in example.briefings if b.output_key == "management")
    page = lxml_html.fromstring((example.out_dir / "management" / "onepager.html").read_text("utf-8"))
    with pdfplumber.open(example.out_dir / "management" / "onepager.pdf") as doc:
        assert len(doc.pages) == 1
    risk = next(f for f in b.findings if f.theme == "risk")
    shown = [li.text_content() for li in page.xpath("//article[contains(@class, 'risk')]//li")]
    # the deck's bullets, whole (the key-figure tiles above the cards leave room for two of the three)
    assert len(risk.bullets) == 3 and len(shown) >= 2 and shown == risk.bullets[:len(shown)]
    assert page.xpath("//section[@class='tiles']//p[@class='value']")  # the tiles took that room, nothing was cut for them
    assert not [w for w in example.warnings if "onepager" in str(getattr(w, "key", w)).lower() or "Onepager" in str(w)]


def test_the_cards_of_a_row_are_equally_high(example):
    from sambrief.render.html import _weasyprint

    weasyprint, fonts = _weasyprint()
    html = (example.out_dir / "management" / "onepager.html").read_text("utf-8")
    page = weasyprint.HTML(string=html).render(font_config=fonts).pages[0]

    def cards(box):
        if getattr(box, "element_tag", None) == "article":
            yield box
            return
        for child in getattr(box, "children", ()):
            yield from cards(child)

    found = list(cards(page._page_box))
    rows: dict[float, list[float]] = {}
    for card in found:
        rows.setdefault(round(card.position_y, 1), []).append(card.border_height())
    pairs = [heights for heights in rows.values() if len(heights) == 2]
    assert len(pairs) >= 2
    for heights in pairs:
        assert heights[0] == pytest.approx(heights[1], abs=0.5)


@pytest.mark.parametrize(("text", "limit", "bad"), [
    ("Für ein unterlizenziertes Produkt fehlt der Preis (mindestens 19.106 € im Jahr ohne Wartung) – mehr in den Notizen", 70, "("),
    ("Die Rückgabe spart im Jahr 19.106 € und weitere Lizenzen werden frei", 35, "19.106…"),
])
def test_a_cut_is_never_inside_a_parenthesis_or_a_number(text, limit, bad):
    cut = shorten_clause(text, limit)
    assert len(cut) <= limit and bad not in cut
    assert cut.count("(") == cut.count(")")
    assert not cut.rstrip("…").rstrip()[-1:].isdigit()  # a number keeps what it counts


def test_strict_build_passes_on_a_fresh_workspace_with_realistic_exports(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    config = ws / "sambrief.yaml"  # the organisation and the address filled in, as a user does first
    config.write_text(config.read_text("utf-8").replace('"Muster AG (Platzhalter)"', "Nordlicht Logistik GmbH")
                      .replace("lizenzmanagement@example.com", "sam@nordlicht-logistik.example"), encoding="utf-8")
    for export in (REPO / "examples" / "data" / "2026-10").glob("*.csv"):
        shutil.copy(export, ws / "data" / export.name)
    result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--audience", "all", "--strict"])
    assert result.exit_code == 0, result.stderr
    assert "gekürzt" not in result.stderr
