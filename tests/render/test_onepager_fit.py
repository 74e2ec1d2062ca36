"""The one-pager fills its page before it trims (measured, trimmed only on overflow), no type
below 6.5 pt, no cut inside a parenthesis or a number, the cards of a row equally high, and
`build --strict` passes on a fresh workspace with realistic exports."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, workspace_of
from lxml import html as lxml_html
from pptx import Presentation
from rendered_examples import audience_outputs, every_audience
from typer.testing import CliRunner

from sambrief.briefing.findings import Chart, Finding
from sambrief.cli.app import app
from sambrief.config.workspace import load_settings
from sambrief.render.fit import shorten_clause

runner = CliRunner()


@pytest.fixture(scope="module")
def example(example_build_management):
    """The README's first command: management's one-pager (laid out until it fits). Read only."""
    return example_build_management


@pytest.fixture(params=every_audience())  # management's one-pager in the fast tier, the others' in the slow tier
def audience(request):
    """(the shared example build with an audience's one-pager, the audience's briefing). Read only."""
    return audience_outputs(request)


def test_no_type_on_a_one_pager_is_smaller_than_6_5_pt(audience):
    example, b = audience
    with pdfplumber.open(example.out_dir / b.output_key / "onepager.pdf") as doc:
        sizes = [round(c["size"], 2) for c in doc.pages[0].chars if c["text"].strip()]
    assert min(sizes) >= 6.5, (b.output_key, sorted(sizes)[:5])


def test_a_page_with_room_carries_the_briefing_uncut_and_says_nothing_of_cuts(example):
    b = next(b for b in example.briefings if b.output_key == "management")
    page = lxml_html.fromstring((example.out_dir / "management" / "onepager.html").read_text("utf-8"))
    with pdfplumber.open(example.out_dir / "management" / "onepager.pdf") as doc:
        assert len(doc.pages) == 1
    risk = next(f for f in b.findings if f.theme == "risk")
    shown = [li.text_content() for li in page.xpath("//article[contains(@class, 'risk')]//li")]
    # the deck's bullets, whole (the key-figure tiles above the cards leave room for two of the three)
    assert len(risk.bullets) == 3 and len(shown) >= 2 and shown == risk.bullets[: len(shown)]
    assert page.xpath(
        "//section[@class='tiles']//p[@class='value']"
    )  # the tiles took that room, nothing was cut for them
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


def _smallest_pt(pdf: bytes) -> float:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        return min(round(c["size"], 2) for c in doc.pages[0].chars if c["text"].strip())


def _card_headlines(html: bytes | str) -> list[str]:
    return [
        h.text_content()
        for h in lxml_html.fromstring(html).xpath(
            "//article[contains(@class, 'card')]/h2 | //article//div[@class='side']/h2"
        )
    ]


@pytest.mark.slow  # a second audience's deck, deck PDF and one-pager (the build of all)
def test_the_itsm_deck_and_one_pager_carry_the_renewal_calendar_and_every_finding(example_build_all):
    example = example_build_all
    b = next(b for b in example.briefings if b.output_key == "itsm")
    renewals = next(f for f in b.findings if f.theme == "renewals")
    assert renewals.headline.startswith("In den nächsten 90 Tagen enden 3 Verträge")
    deck = Presentation(example.out_dir / "itsm" / "sambrief-itsm-2026-10.pptx")
    assert renewals.headline in [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert len(deck.slides) <= b.audience.max_slides
    with pdfplumber.open(example.out_dir / "itsm" / "sambrief-itsm-2026-10.pdf") as pdf:
        assert len(pdf.pages) == len(deck.slides)
    # the one-pager: every finding with its whole headline, nothing left out or cut, no type below 6.5 pt
    assert sorted(_card_headlines((example.out_dir / "itsm" / "onepager.html").read_bytes())) == sorted(
        f.headline for f in b.findings
    )
    assert _smallest_pt((example.out_dir / "itsm" / "onepager.pdf").read_bytes()) >= 6.5
    assert not [w for w in example.warnings if str(w).startswith("itsm")]


def _trend() -> Finding:
    """The trend slide a third month adds (history): the seventh finding of management and ITSM."""
    return Finding(
        theme="trends",
        key="trends.lead",
        headline="Wartende Freigaben: seit August 2026 von 28 auf 18 gesunken",
        bullets=[
            "Ungenutzte Cloud-Lizenzen: 498 → 443 → 387",
            "Kosten ungenutzter Cloud-Lizenzen: 157.856 € → 140.414 € → 122.103 €",
            "Überfällige Maßnahmen: 0 → 1 → 3",
        ],
        notes=[],
        source="",
        key_point="",
        chart=Chart("line", ("Aug. 26", "Sept. 26", "Okt. 26"), (28.0, 21.0, 18.0), "Wartende Freigaben", "count"),
        priority=42,
    )


@pytest.mark.slow  # each a one-pager laid out until seven findings fit (three layouts or more)
@pytest.mark.parametrize("key", ["management", "itsm"])
def test_seven_findings_keep_their_cards_whole_on_one_page(example_draft_all, key):
    from sambrief.render.html import render_onepager

    b = next(b for b in example_draft_all.briefings if b.output_key == key)
    seven = replace(b, findings=[*b.findings, _trend()])
    assert len(seven.findings) == 7
    page = render_onepager(seven, load_settings(workspace_of(example_draft_all) / "sambrief.yaml"))
    assert page.warnings == []  # nothing left out, no text cut
    assert sorted(_card_headlines(page.html)) == sorted(f.headline for f in seven.findings)
    assert _smallest_pt(page.pdf) >= 6.5
    # the renewal calendar spans the page, every month's value beside the others, none staggered
    doc = lxml_html.fromstring(page.html)
    [card] = doc.xpath("//article[contains(@class, 'renewals')]")
    assert "across" in card.get("class")
    renewals = next(f for f in b.findings if f.theme == "renewals")
    assert card.xpath(".//div[@class='chart']/@aria-label")[0].count("€") == len(renewals.chart.categories)


@pytest.mark.parametrize(
    ("text", "limit", "bad"),
    [
        (
            "Für ein unterlizenziertes Produkt fehlt der Preis (mindestens 19.106 € im Jahr ohne Wartung) – mehr in den Notizen",
            70,
            "(",
        ),
        ("Die Rückgabe spart im Jahr 19.106 € und weitere Lizenzen werden frei", 35, "19.106…"),
    ],
)
def test_a_cut_is_never_inside_a_parenthesis_or_a_number(text, limit, bad):
    cut = shorten_clause(text, limit)
    assert len(cut) <= limit and bad not in cut
    assert cut.count("(") == cut.count(")")
    assert not cut.rstrip("…").rstrip()[-1:].isdigit()  # a number keeps what it counts


@pytest.mark.slow  # a fresh workspace's strict build of every audience, rendered
def test_strict_build_passes_on_a_fresh_workspace_with_realistic_exports(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    config = ws / "sambrief.yaml"  # the organisation and the address filled in, as a user does first
    config.write_text(
        config.read_text("utf-8")
        .replace('"Muster AG (Platzhalter)"', "Nordlicht Logistik GmbH")
        .replace("lizenzmanagement@example.com", "sam@nordlicht-logistik.example"),
        encoding="utf-8",
    )
    for export in (REPO / "examples" / "data" / "2026-10").glob("*.csv"):
        shutil.copy(export, ws / "data" / export.name)
    result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--audience", "all", "--strict"])
    assert result.exit_code == 0, result.stderr
    assert "gekürzt" not in result.stderr
    # the default ITSM briefing carries the renewal calendar, on its one-pager too; no type below 6.5 pt
    out = ws / "out" / "2026-10"
    assert lxml_html.fromstring((out / "itsm" / "onepager.html").read_bytes()).xpath(
        "//article[contains(@class, 'renewals')]"
    )
    for page in out.glob("*/onepager.pdf"):
        assert _smallest_pt(page.read_bytes()) >= 6.5, page


def test_a_pages_stylesheet_parsed_once_lays_the_page_out_as_the_page_itself_would():
    # layout() hands a page's one <style> to WeasyPrint parsed once (as a user stylesheet): the
    # PDF is the one WeasyPrint makes of the page as it is, @page rules, style attributes and all
    from sambrief.render.html import _weasyprint, layout

    page = (
        "<html><head><style>@page { size: A5; margin: 9mm } p { color: #123456; font: 11pt Carlito }"
        " .x { color: #abcdef }</style></head><body><p class=x style='color:#00ff00'>Grün</p>"
        "<p class=x>Blau</p><p>Dunkel</p></body></html>"
    )
    weasyprint, fonts = _weasyprint()
    as_it_is = weasyprint.HTML(string=page, base_url=None).render(font_config=fonts)
    for _ in range(2):  # the first parses the stylesheet, the second reuses it
        laid_out = layout(page)
        assert laid_out.pages[0].width == as_it_is.pages[0].width  # A5 from the @page rule
        assert laid_out.write_pdf() == as_it_is.write_pdf()
