"""The one-pager opens with the deck's key-figure tiles and stays one page; the brand's font
(with fallbacks) and colours reach the one-pager and the intranet page (issue 23)."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from conftest import MINIMAL_CONFIG, copy_example, write_workspace
from lxml import html as lxml_html

from sambrief.commands.build import BuildRequest, build, draft
from sambrief.config.workspace import open_workspace
from sambrief.render import RENDERERS
from sambrief.render.brand import TONES

SMALL_CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\nB;Beta;5;9;20,00\n"


@pytest.fixture(scope="module")
def management(example_build_management):
    """The README's first command: the example's management briefing of October, its one-pager. Read only."""
    return example_build_management


@pytest.fixture(scope="module")
def management_after_september(example_build_management_after_september):
    """The example's management briefing of October after September (tiles with a change). Read only."""
    return example_build_management_after_september


def _words(pdf: Path | io.BytesIO) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == 1
        return doc.pages[0].extract_words(extra_attrs=["size", "fontname"])


@pytest.mark.slow  # builds over two periods
def test_onepager_opens_with_the_decks_tiles(management_after_september):
    management = management_after_september
    briefing = management.briefings[0]
    assert 4 <= len(briefing.tiles) <= 6
    page = lxml_html.fromstring((management.out_dir / "management" / "onepager.html").read_text("utf-8"))
    tiles = page.xpath("//section[@class='tiles']//div[@class='tile']")
    assert [
        (
            t.xpath("string(p[@class='value'])"),
            t.xpath("string(p[@class='label'])"),
            t.xpath("string(p[contains(@class, 'change')])"),
        )
        for t in tiles
    ] == [(t.value, t.label, t.change) for t in briefing.tiles]
    # before the first card, right under the header
    body = [e.tag for e in page.xpath("//body/*")]
    assert body.index("section") < body.index("main")
    # the change in the tone of whether it is good: the licence gap fell since September
    gap = next(i for i, t in enumerate(briefing.tiles) if t.figure == "risk.exposure_total")
    change = tiles[gap].xpath("p[contains(@class, 'change')]")[0]
    assert briefing.tiles[gap].tone == "good" and f"color:#{TONES['good']}" in change.get("style")
    assert change.text.startswith("▼ ") and "seit September" in change.text


@pytest.mark.slow  # builds over two periods (the first card's headline compares with September)
def test_tile_figures_are_large_and_nothing_on_the_page_is_below_6_5_pt(management_after_september):
    management = management_after_september
    words = _words(management.out_dir / "management" / "onepager.pdf")
    value = max((w for w in words if w["text"].startswith("620.833")), key=lambda w: w["size"])  # the tile's
    headline = next(
        w for w in words if w["text"] == "Nachlizenzierungsbedarf" and w["size"] > 10
    )  # the first card's headline
    assert value["size"] >= 16 and value["top"] < headline["top"]
    assert min(round(w["size"], 2) for w in words) >= 6.5


def test_the_tiles_push_no_finding_off_the_page(management):
    briefing = management.briefings[0]
    page = lxml_html.fromstring((management.out_dir / "management" / "onepager.html").read_text("utf-8"))
    assert len(page.xpath("//article")) == len(briefing.findings)
    assert not [
        w
        for w in management.warnings
        if getattr(w, "key", "") in ("onepager_too_long",)
        or "cut_findings" in str(getattr(w, "values", {}).get("cuts", ""))
    ]


def _branded(tmp_path: Path, font: str) -> BuildRequest:
    ws = copy_example(tmp_path / "ws")
    config = ws / "sambrief.yaml"
    config.write_text(
        config.read_text("utf-8") + f'brand:\n  primary: "#0B5CAD"\n  accent: "#A8480F"\n  font: {font}\n',
        encoding="utf-8",
    )
    return BuildRequest(config=config, audience="management", period="2026-10")


@pytest.mark.slow  # the example built with the brand's font: its one-pager (laid out until it fits) and deck PDF
def test_brand_font_sets_the_onepager_the_deck_pdf_and_the_intranet_page_with_fallbacks(tmp_path):
    result = build(_branded(tmp_path, "DejaVu Serif"))
    html = (result.out_dir / "management" / "onepager.html").read_text("utf-8")
    assert 'font-family: "DejaVu Serif", Carlito, Calibri, "Liberation Sans"' in html
    css = (result.out_dir / "intranet" / "style.css").read_text("utf-8")
    assert 'font-family: "DejaVu Serif", Carlito' in css and "--accent: #0B5CAD" in css
    words = _words(result.out_dir / "management" / "onepager.pdf")
    fonts = {w["fontname"].split("+")[-1].replace("-", "") for w in words}
    assert any(f.startswith("DejaVuSerif") for f in fonts)
    # The chart labels are measured in Carlito and set in it; the wider brand font gets smaller tile
    # numbers, each inside its tile.
    labels = [w for w in words if w["text"] == "Oracle" and w["size"] < 8]  # the bar name, not the bullet's
    assert labels and all(w["fontname"].endswith("Carlito") for w in labels)
    values = [
        w
        for w in words
        if w["fontname"].replace("-", "").endswith("DejaVuSerifBold")
        and w["text"].endswith("€")
        and w["top"] < 60 * 72 / 25.4
    ]
    sizes = {round(w["size"]) for w in values}
    assert len(sizes) == 1 and sizes.pop() < 17
    for left, right in zip(values, values[1:]):
        assert left["x1"] < right["x0"] - 10  # a tile's number ends before the next tile begins
    # The deck's PDF is set in it as the pptx's theme is (its text was fitted in it); its chart labels stay in Carlito.
    with pdfplumber.open(result.out_dir / "management" / "sambrief-management-2026-10.pdf") as doc:
        slides = [page.extract_words(extra_attrs=["size", "fontname"]) for page in doc.pages]

    def font(w: dict) -> str:
        return w["fontname"].split("+")[-1].replace("-", "")

    title = [w for w in slides[0] if w["text"] == "Geschäftsführung"]
    assert title and all(font(w).startswith("DejaVuSerif") for w in title)
    bullets = [
        w for page in slides[2:] for w in page if w["text"] == "voll" and w["size"] > 10
    ]  # "... sind voll lizenziert"
    assert bullets and all(font(w).startswith("DejaVuSerif") for w in bullets)
    labels = [
        w for page in slides for w in page if w["text"] == "Oracle" and w["size"] < 13
    ]  # the risk chart's bar name
    assert labels and all(font(w) == "Carlito" for w in labels)
    # The wider font costs the one-pager cut texts at most, never a finding.
    page = lxml_html.fromstring((result.out_dir / "management" / "onepager.html").read_bytes())
    assert len(page.xpath("//article")) == len(result.briefings[0].findings)
    assert not [w for w in result.warnings if "cut_findings" in str(getattr(w, "values", {}).get("cuts", ""))]


def test_a_brand_font_not_installed_falls_back_to_carlito(tmp_path):
    # the fallback is the page's, whatever the data: a small workspace
    brand = 'brand:\n  primary: "#0B5CAD"\n  accent: "#A8480F"\n  font: Frutiger Next Nowhere\n'
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG + brand, {"data/l.csv": SMALL_CSV})
    config = ws / "sambrief.yaml"
    briefing = draft(BuildRequest(config=config, audience="management", period="2026-10")).briefings[0]
    page = RENDERERS["onepager"](briefing, open_workspace(config)).files["onepager.pdf"]  # the one-pager alone
    fonts = {w["fontname"].split("+")[-1] for w in _words(io.BytesIO(page))}
    assert fonts and all(f.startswith("Carlito") for f in fonts)


def test_a_font_name_that_could_end_the_css_is_refused(tmp_path):
    from sambrief.config.workspace import load_settings
    from sambrief.errors import ConfigError

    request = _branded(tmp_path, '"Arial; } body { display: none"')
    with pytest.raises(ConfigError) as error:
        load_settings(request.config)
    assert "brand.font" in str(error.value) and "expected a font family name such as 'Source Sans 3'" in str(
        error.value
    )
