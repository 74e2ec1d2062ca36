"""Every number in a title or bullet of every deck is a named figure of that slide.

Reads the decks the build wrote (python-pptx), the manifest's `slides` (title and figure keys
per slide) and the figures' values (manifest; the history for a trend slide's earlier months).
Names that come from the data (products, register titles, news) are taken out first: a digit
in "Microsoft 365 E3" is part of a name, not a statement.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import vendor_fixtures as vf
import yaml
from conftest import copy_example, write_workspace
from pptx import Presentation

from sambrief.commands.build import BuildRequest, build
from sambrief.ingest.products import display_product
from sambrief.publish.history import History

NUMBER = re.compile(
    r"(?<![\w/])(\d{1,3}(?:[.,\u202f\u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(\s?Mio\.|\s?M\b)?(?![\w/])"
)
DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}")
# Slides owned by another issue (cloud_departments is reworked for k-anonymity in issue 13).
NOT_CHECKED_THEMES: tuple[str, ...] = ()


def _value(token: str, language: str) -> float:
    token = token.replace("\u202f", "").replace("\u00a0", "")
    token = token.replace(".", "").replace(",", ".") if language == "de" else token.replace(",", "")
    return float(token)


def _matches(number: float, decimals: int, scaled: bool, values: list[float]) -> bool:
    """A figure matches when it rounds to the number as shown (half a unit of the last digit)."""
    tolerance = 0.5 * 10**-decimals + 1e-9
    for value in values:
        for candidate in (value, abs(value), value * 100, abs(value) * 100):
            if scaled:
                candidate = candidate / 1_000_000
            if abs(candidate - number) <= tolerance:
                return True
    return False


def _decimals(token: str, language: str) -> int:
    mark = "," if language == "de" else "."
    tail = re.search(rf"\{mark}(\d+)$", token)
    return len(tail.group(1)) if tail and not re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token) else 0


def _data_names(result) -> list[str]:
    names: set[str] = set()
    for source in result.sources:
        frame = source.frame
        for column in ("product", "title", "publisher", "item", "cost_centre", "blocked_by"):
            if column in frame:
                for value in frame[column].dropna().astype(str).unique():
                    names.update({value, display_product(value)})
    return sorted((n for n in names if re.search(r"\d", n)), key=len, reverse=True)


def _news_texts(ws: Path) -> list[str]:
    path = next((p for p in (ws / "news.yaml", ws / "examples" / "news.yaml") if p.is_file()), None)
    if path is None:
        return []
    items = (yaml.safe_load(path.read_text("utf-8")) or {}).get("items", [])
    return [str(i.get(k, "")) for i in items for k in ("title", "text") if i.get(k)]


def _statements(slide) -> list[str]:
    """The title, every bullet ("• ...") and every key-figure tile's number and change of a slide."""
    out = [slide.shapes.title.text_frame.text] if slide.shapes.title is not None else []
    for shape in slide.shapes:
        if shape.has_text_frame and shape != slide.shapes.title:
            if shape.name.startswith(("Tile value:", "Tile change:")):
                out.append(shape.text_frame.text)
                continue
            out += [p.text for p in shape.text_frame.paragraphs if p.text.startswith("•")]
    return out


def check_decks(ws: Path, result) -> list[str]:
    out_dir = result.out_dir
    manifest = json.loads((out_dir / "manifest.json").read_text("utf-8"))
    history = History(ws / ".sambrief" / "history.sqlite")
    names = _data_names(result) + _news_texts(ws)
    problems = []
    for audience, entry in manifest["audiences"].items():
        deck = next(out_dir / f for f in entry["files"] if f.endswith(".pptx"))
        language = entry["language"]
        slides = Presentation(str(deck)).slides
        assert len(slides) == len(entry["slides"]), (audience, "manifest slides and deck differ")
        for number, (slide, listed) in enumerate(zip(slides, entry["slides"]), 1):
            if number in (1, len(slides)):  # title and closing slide: organisation, period, contact
                continue
            keys = listed["figures"]
            if any(k.startswith(NOT_CHECKED_THEMES) for k in keys) and number != 2 and "Bilanz" not in listed["title"]:
                continue
            values = [entry["figures"][k] for k in keys if isinstance(entry["figures"].get(k), (int, float))]
            # a trend slide states this audience's earlier months too (from the history)
            earlier = [
                (k, f[k])
                for f in history.audience_figures(audience).values()
                for k in keys
                if isinstance(f.get(k), (int, float))
            ]
            values += [v for _, v in earlier]
            # a tile's change since an earlier month: the figure now less its value then
            values += [entry["figures"][k] - v for k, v in earlier if isinstance(entry["figures"].get(k), (int, float))]
            for text in _statements(slide):
                cleaned = DATE.sub(" ", text)
                for name in names:
                    cleaned = cleaned.replace(name, " ")
                cleaned = re.sub(r"„[^“]*“|“[^”]*”", " ", cleaned)  # quoted register titles
                # a news item shortened on the slide: its text is quoted content, not a statement
                parts = [part.strip("• …").strip() for part in re.split(r" – |: ", cleaned)]
                cleaned = " – ".join(p for p in parts if not (p and any(n.startswith(p) for n in names)))
                cleaned = re.sub(
                    r"\b(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
                    r"|January|February|March|May|June|July|October|December) \d{4}",
                    " ",
                    cleaned,
                )
                for match in NUMBER.finditer(cleaned):
                    token = match.group(1)
                    if not _matches(_value(token, language), _decimals(token, language), bool(match.group(2)), values):
                        problems.append(
                            f"{audience} slide {number}: {match.group(0)!r} in {text!r} is no figure of {keys}"
                        )
    return problems


@pytest.mark.slow
def test_every_number_in_the_example_decks_is_a_figure_of_its_slide(tmp_path):
    ws = copy_example(tmp_path / "ws")
    result = None
    for period in ("2026-08", "2026-09", "2026-10"):
        result = build(BuildRequest(config=ws / "sambrief.yaml", audience="all", period=period))
    assert check_decks(ws, result) == []


@pytest.mark.slow
def test_every_number_in_the_vendor_fixture_decks_is_a_figure_of_its_slide(tmp_path):
    config = """\
organisation: Test AG
language: de
contact: {team: Lizenzmanagement, email: lm@test.example}
sources: [data/*.csv]
"""
    ws = write_workspace(
        tmp_path / "vendor",
        config,
        {
            "data/flexera.csv": vf.flexera_compliance_csv(),
            "data/m365-active.csv": vf.m365_active_users_csv(),
            "data/google.csv": vf.google_users_csv(),
            "data/atlassian.csv": vf.atlassian_users_csv(),
            "data/ritm.csv": vf.servicenow_ritm_csv(),
        },
    )
    result = build(BuildRequest(config=ws / "sambrief.yaml", audience="all", period="2026-10"))
    assert check_decks(ws, result) == []


@pytest.mark.parametrize(
    "text,expected", [("620.833\u00a0€", 620833.0), ("1,02 Mio.\u00a0€", 1.02), ("24\u00a0%", 24.0)]
)
def test_number_reader(text, expected):
    match = NUMBER.search(text)
    assert _value(match.group(1), "de") == expected


def test_a_slide_lists_the_figures_it_states_not_its_whole_theme():
    from sambrief.briefing.figures import stated_in

    candidates = {
        "cloud_sprawl.seats_idle": 387,
        "cloud_sprawl.idle_share": 0.2405,
        "cloud_sprawl.idle_cost_year": 122103.4,
        "cloud_sprawl.products": 6,
        "risk.exposure_total": 1_021_500.0,
    }
    texts = ["387 ungenutzte Cloud-Lizenzen (24 %) kosten 122.103\u00a0€ im Jahr", "Vormonat: 1,02 Mio.\u00a0€"]
    assert stated_in(texts, candidates, "de") == [
        "cloud_sprawl.seats_idle",
        "cloud_sprawl.idle_share",
        "cloud_sprawl.idle_cost_year",
        "risk.exposure_total",
    ]
    assert stated_in(["387 idle seats cost €122,103 a year"], candidates, "en") == [
        "cloud_sprawl.seats_idle",
        "cloud_sprawl.idle_cost_year",
    ]
