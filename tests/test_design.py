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
from conftest import copy_example
from pptx import Presentation
from pptx.util import Pt

from sambrief.briefing import _tile
from sambrief.commands.build import BuildRequest, build
from sambrief.figures import get
from sambrief.i18n import Formatter, Messages
from sambrief.render.pptx import TILE_TONES


@pytest.fixture(scope="module")
def management(tmp_path_factory):
    """The example's management deck of October after September (so tiles have a previous month)."""
    ws = copy_example(tmp_path_factory.mktemp("design") / "ws")
    for period in ("2026-09", "2026-10"):
        result = build(BuildRequest(config=ws / "sambrief.yaml", audience="management", period=period))
    return ws, result


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


def test_a_tiles_change_is_coloured_by_whether_it_is_good_for_that_figure(management):
    _, result = management
    briefing = result.briefings[0]
    by_key = {t.figure: t for t in briefing.tiles}
    # The licence gap fell since September (lower is better), the savings rose (higher is better).
    assert by_key["risk.exposure_total"].direction == "down" and by_key["risk.exposure_total"].tone == "good"
    assert by_key["successes.savings_ytd"].direction == "up" and by_key["successes.savings_ytd"].tone == "good"
    assert by_key["risk.exposure_total"].change.startswith("▼ ") and "seit September" in by_key["risk.exposure_total"].change
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
