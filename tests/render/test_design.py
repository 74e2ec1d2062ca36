"""What a sponsor sees (issue 23): key-figure tiles on the summary slide, locale-proof chart
number formats, the brand of a workspace without a corporate template."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, copy_example, workspace_of, write_workspace
from pptx import Presentation
from pptx.util import Pt
from rendered_examples import without_deck_pdf

from sambrief.briefing.figures import get
from sambrief.briefing.tiles import _tile
from sambrief.commands.build import BuildRequest, build
from sambrief.i18n.catalog import Formatter, Messages
from sambrief.render.deckvisuals import TILE_TONES

# The tests here read figures, notices, the pptx and the one-pager, never the deck's PDF.
pytestmark = pytest.mark.usefixtures("no_deck_pdf")
SMALL_CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\nB;Beta;5;9;20,00\n"


@pytest.fixture(scope="module")
def management(example_build_management):
    """The README's first command: the example's management deck of October and its manifest. Read only."""
    return workspace_of(example_build_management), example_build_management


@pytest.fixture(scope="module")
def management_after_september(example_build_management_after_september):
    """The example's management deck of October after September (so tiles have a previous month). Read only."""
    return workspace_of(example_build_management_after_september), example_build_management_after_september


def _deck(result, audience: str = "management") -> Path:
    return next(p for p in result.written if p.suffix == ".pptx" and p.parent.name == audience)


def _tiles(slide) -> dict[str, dict[str, object]]:
    """figure key -> its tile's value, label and change shapes, by the names the renderer gives them."""
    tiles: dict[str, dict[str, object]] = {}
    for shape in slide.shapes:
        match = re.fullmatch(r"Tile (value|label|change): (.+)", shape.name)
        if match:
            tiles.setdefault(match.group(2), {})[match.group(1)] = shape
    return tiles


def test_summary_slide_leads_with_four_to_six_key_figure_tiles(management):
    ws, result = management
    slide = Presentation(str(_deck(result))).slides[1]
    tiles = _tiles(slide)
    assert 4 <= len(tiles) <= 6
    assert list(tiles)[:2] == ["risk.exposure_total", "cloud_sprawl.idle_cost_year"]  # the audience's theme order
    manifest = json.loads((result.out_dir / "manifest.json").read_text("utf-8"))["audiences"]["management"]
    for key, parts in tiles.items():
        value_runs = [r for p in parts["value"].text_frame.paragraphs for r in p.runs]
        assert value_runs and all(r.font.size >= Pt(28) for r in value_runs), key
        assert 3 <= len(parts["label"].text_frame.text) <= 40, key
        assert key in manifest["slides"][1]["figures"]  # a number on a slide is one of its figures
    value = tiles["risk.exposure_total"]["value"].text_frame.text
    assert value == "620.833\u00a0€"
    assert tiles["risk.exposure_total"]["label"].text_frame.text == "Nachlizenzierungsbedarf"


@pytest.mark.slow  # builds over two periods
def test_a_tiles_change_is_coloured_by_whether_it_is_good_for_that_figure(management_after_september):
    _, result = management_after_september
    briefing = result.briefings[0]
    by_key = {t.figure: t for t in briefing.tiles}
    # The licence gap fell since September (lower is better), the savings rose (higher is better).
    assert by_key["risk.exposure_total"].direction == "down" and by_key["risk.exposure_total"].tone == "good"
    assert by_key["successes.savings_ytd"].direction == "up" and by_key["successes.savings_ytd"].tone == "good"
    assert (
        by_key["risk.exposure_total"].change.startswith("▼ ")
        and "seit September" in by_key["risk.exposure_total"].change
    )
    tiles = _tiles(Presentation(str(_deck(result))).slides[1])
    colour = tiles["risk.exposure_total"]["change"].text_frame.paragraphs[0].runs[0].font.color.rgb
    assert colour == TILE_TONES["good"]


def test_a_worse_figure_is_amber_never_alarm_red_and_a_share_changes_by_points():
    fmt, msg = Formatter("de", "EUR"), Messages("de")
    worse = _tile(get("risk.exposure_total"), 700_000.0, 620_833.0, "September", fmt, msg)
    assert (worse.direction, worse.tone) == ("up", "bad")
    assert worse.change == "▲ 79.167\u00a0€ seit September"
    red, green, blue = TILE_TONES["bad"]
    assert not (red > 0xC0 and green < 0x40 and blue < 0x40)  # amber, not alarm red
    share = _tile(get("risk.covered_share"), 0.65, 0.60, "September", fmt, msg)
    assert share.tone == "good" and share.change == "▲ 5 Prozentpunkte seit September"
    neither = _tile(get("opportunities.surplus_value"), 70_000.0, 66_622.0, "September", fmt, msg)
    assert neither.tone == "neutral"  # a value that is neither good nor bad when it grows
    first = _tile(get("open_issues.open"), 10, None, "September", fmt, msg)
    assert (first.direction, first.tone) == ("none", "neutral") and "Vormonat" in first.change


def _number_formats(deck: Path) -> list[str]:
    codes = []
    with zipfile.ZipFile(deck) as z:
        for name in z.namelist():
            if name.startswith("ppt/charts/chart") and name.endswith(".xml"):
                codes += [html.unescape(c) for c in re.findall(r'formatCode="([^"]*)"', z.read(name).decode("utf-8"))]
    return codes


@pytest.mark.slow
def test_every_chart_number_format_names_the_briefings_locale(management, tmp_path):
    _, result = management
    codes = _number_formats(_deck(result))
    assert codes and all(code.startswith("[$-407]") for code in codes), sorted(set(codes))
    assert '[$-407]#,##0 "€"' in codes
    ws = copy_example(tmp_path / "ws")
    english = build(BuildRequest(config=ws / "sambrief.yaml", audience="management", period="2026-10", language="en"))
    codes = _number_formats(_deck(english))
    assert codes and all(code.startswith("[$-809]") for code in codes), sorted(set(codes))
    with zipfile.ZipFile(io.BytesIO(_deck(english).read_bytes())) as z:
        embedded = [n for n in z.namelist() if n.endswith(".xlsx")]
    assert embedded  # the chart's data (PowerPoint's "Edit data") travels with it


# -- brand without a corporate template -------------------------------------------------------


def _png(path: Path, size=(300, 100)) -> Path:
    from PIL import Image

    Image.new("RGB", size, (11, 92, 173)).save(path)
    return path


def _branded(ws: Path, brand: str) -> Path:
    config = ws / "sambrief.yaml"
    config.write_text(config.read_text("utf-8") + brand, encoding="utf-8")
    return config


def _theme_colours(deck: Path) -> dict[str, str]:
    with zipfile.ZipFile(deck) as z:
        theme = z.read("ppt/theme/theme1.xml").decode("utf-8")
    return dict(re.findall(r'<a:(accent[1-6]|dk2|hlink)><a:srgbClr val="([0-9A-F]{6})"', theme))


@pytest.fixture(scope="module")
def branded(tmp_path_factory):
    # the brand's look, on any data: a small workspace
    ws = write_workspace(tmp_path_factory.mktemp("brand") / "ws", MINIMAL_CONFIG, {"data/l.csv": SMALL_CSV})
    _png(ws / "logo.png")
    config = _branded(ws, 'brand:\n  primary: "#0B5CAD"\n  accent: "#a8480f"\n  logo: logo.png\n  font: Carlito\n')
    with without_deck_pdf():
        return ws, build(BuildRequest(config=config, audience="management", period="2026-10"))


def test_brand_colours_and_font_become_the_default_templates_theme(branded):
    _, result = branded
    deck = _deck(result)
    colours = _theme_colours(deck)
    assert (colours["accent1"], colours["accent2"], colours["dk2"]) == ("0B5CAD", "A8480F", "0B5CAD")
    with zipfile.ZipFile(deck) as z:
        theme = z.read("ppt/theme/theme1.xml").decode("utf-8")
    assert '<a:latin typeface="Carlito"' in theme
    assert not [w for w in result.warnings if getattr(w, "key", "").startswith("brand")]  # both colours read well


def test_brand_logo_sits_on_the_title_slide_unstretched(branded):
    _, result = branded
    prs = Presentation(str(_deck(result)))
    logos = [s for s in prs.slides[0].shapes if s.name == "Logo"]
    assert len(logos) == 1 and logos[0].shape_type == 13  # a picture
    logo = logos[0]
    assert logo.image.content_type == "image/png"
    assert abs(logo.width / logo.height - 3.0) < 0.02  # the logo's own proportions
    assert logo.left >= 0 and logo.left + logo.width <= prs.slide_width and logo.top + logo.height <= prs.slide_height
    # the closing slide repeats it; content slides do not
    assert any(s.name == "Logo" for s in prs.slides[-1].shapes)
    assert not any(s.name == "Logo" for slide in list(prs.slides)[1:-1] for s in slide.shapes)


def test_brand_reaches_the_onepager_and_the_intranet_page(branded):
    _, result = branded
    html = (result.out_dir / "management" / "onepager.html").read_text("utf-8")
    assert "--accent1: #0B5CAD" in html and "--accent2: #A8480F" in html
    assert '<img class="logo" src="data:image/png;base64,' in html
    css = (result.out_dir / "intranet" / "style.css").read_text("utf-8")
    assert "--dark: #0B5CAD" in css and "--accent: #0B5CAD" in css


def test_a_light_brand_colour_gets_a_warning_and_readable_text(tmp_path):
    from sambrief.render.brand import contrast

    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": SMALL_CSV})  # the brand's look, on any data
    (ws / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><rect width="200" height="50" '
        'fill="#0B5CAD"/></svg>',
        encoding="utf-8",
    )
    config = _branded(ws, 'brand: {primary: "#F2C500", logo: logo.svg}\n')
    result = build(BuildRequest(config=config, audience="management", period="2026-10"))
    warned = [w for w in result.warnings if getattr(w, "key", "") == "brand_contrast"]
    assert len(warned) == 1 and "brand.primary #F2C500" in warned[0] and "4.5:1" in warned[0]
    prs = Presentation(str(_deck(result)))
    title = prs.slides[0].shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb
    assert contrast(str(title), "F2C500") >= 4.5  # dark text on the yellow band
    colours = _theme_colours(_deck(result))
    assert (
        colours["accent1"] == "F2C500" and contrast(colours["dk2"], "FFFFFF") >= 4.5
    )  # titles on white: a darker shade
    logo = next(s for s in prs.slides[0].shapes if s.name == "Logo")
    assert logo.image.content_type == "image/png"  # the SVG, rasterised
    html = (result.out_dir / "management" / "onepager.html").read_text("utf-8")
    assert "--on-accent1: #1A1A1A" in html and 'src="data:image/svg+xml;base64,' in html


@pytest.mark.slow
def test_a_corporate_template_keeps_its_theme_beside_a_brand(tmp_path):
    import shutil

    from conftest import REPO

    ws = copy_example(tmp_path / "ws")
    shutil.copy(REPO / "tests" / "fixtures" / "corporate.potx", ws / "corporate.potx")
    _png(ws / "logo.png")
    config = _branded(ws, 'template: corporate.potx\nbrand: {primary: "#0B5CAD", logo: logo.png}\n')
    result = build(BuildRequest(config=config, audience="management", period="2026-10"))
    assert _theme_colours(_deck(result))["accent1"] == "7A1F3D"  # the company's own colours
    prs = Presentation(str(_deck(result)))
    assert any(s.name == "Logo" for s in prs.slides[0].shapes)


@pytest.mark.parametrize(
    "brand,expected",
    [
        ('brand: {primary: "#0B5CAD", logo: logo.jpg}\n', "brand.logo: logo.jpg: a logo is a PNG or SVG file"),
        ('brand: {primary: "#0B5CAD", logo: missing.png}\n', "brand.logo: missing.png: no such file"),
        ("brand: {primary: blue}\n", "brand.primary"),
    ],
)
def test_brand_settings_are_checked(tmp_path, brand, expected):
    from sambrief.config.workspace import load_settings
    from sambrief.errors import ConfigError

    ws = copy_example(tmp_path / "ws")
    (ws / "logo.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(ConfigError) as error:
        load_settings(_branded(ws, brand))
    assert expected in str(error.value)


def test_contrast_and_text_colour_follow_wcag():
    from sambrief.render.brand import contrast, darkened, text_on

    assert round(contrast("FFFFFF", "000000"), 1) == 21.0
    assert round(contrast("1F5A8C", "FFFFFF"), 2) == 7.24
    assert text_on("1F5A8C") == "FFFFFF"
    assert text_on("F2C500") == "1A1A1A"
    assert text_on("2E8B57") == "000000"  # neither white nor dark grey reaches 4.5:1 on this green
    assert contrast(darkened("F2C500"), "FFFFFF") >= 4.5


def test_chart_number_formats_carry_the_locale_tag():
    de, en = Formatter("de", "EUR"), Formatter("en", "EUR")
    assert de.chart_format("money") == '[$-407]#,##0 "€"'
    assert de.chart_format("money", zero=False) == '[$-407]#,##0 "€";-#,##0 "€";'
    assert de.chart_format("percent") == '[$-407]0"\u00a0"%' and de.chart_format("count") == "[$-407]#,##0"
    assert en.chart_format("money") == '[$-809]"€"#,##0' and en.chart_format("percent") == "[$-809]0%"
