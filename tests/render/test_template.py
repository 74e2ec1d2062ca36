"""The company's template and the quality gate: layouts, colours, no leaks, nothing overflows."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, REPO, copy_built, copy_example, write_workspace
from pptx import Presentation
from rendering import needs_libreoffice, stray_words, to_pdf
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.commands.build import BuildRequest, build
from sambrief.render.template import deck_colours

CORPORATE = REPO / "tests" / "fixtures" / "corporate.potx"
GOOD_CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\nB;Beta;5;9;20,00\n"
runner = CliRunner()


def with_template(ws: Path, template: Path) -> Path:
    shutil.copy(template, ws / template.name)
    config = ws / "sambrief.yaml"
    config.write_text(config.read_text("utf-8") + f"template: {template.name}\n", encoding="utf-8")
    return ws


@pytest.fixture(scope="module")
def corporate_build(tmp_path_factory):
    """The example, all audiences, with the corporate template."""
    ws = with_template(copy_example(tmp_path_factory.mktemp("corporate") / "ws"), CORPORATE)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
        return build(BuildRequest(config=ws / "sambrief.yaml", audience="all"))


@pytest.fixture(scope="module")
def builds(example_build_all, corporate_build):
    """The example, all audiences, once with the packaged template and once with the corporate one."""
    return {"default": example_build_all, "corporate": corporate_build}


def decks(result) -> list[Path]:
    return [p for p in result.written if p.suffix == ".pptx"]


@pytest.mark.slow
def test_corporate_template_layouts_from_both_masters(builds):
    for deck in decks(builds["corporate"]):
        prs = Presentation(deck)
        layouts = [s.slide_layout.name for s in prs.slides]
        assert layouts[0] == "Titelfolie"
        assert "Titel und Inhalt" in layouts  # lives on the second master only
        assert "Zwei Inhalte" in layouts and layouts[-1] == "Nur Titel"
        assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)  # 4:3 as the template


@pytest.mark.slow
def test_each_deck_uses_its_templates_colours(builds):
    for name, accent in (("default", "1F5A8C"), ("corporate", "7A1F3D")):
        for deck in decks(builds[name]):
            assert deck_colours(Presentation(deck))["accent1"] == accent
            with zipfile.ZipFile(deck) as z:
                charts = [z.read(n).decode() for n in z.namelist() if n.startswith("ppt/charts/chart")]
            assert charts and all('schemeClr val="accent1"' in c for c in charts)  # no hard-coded palette


@pytest.mark.slow
def test_sample_slides_and_properties_never_reach_the_output(builds):
    for deck in decks(builds["corporate"]):
        prs = Presentation(deck)
        assert "Beispielfolie" not in json.dumps(
            [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
        )
        assert prs.core_properties.author == "Lizenzmanagement der Muster GmbH"
        assert prs.core_properties.comments == ""
        with zipfile.ZipFile(deck) as z:
            everything = b"".join(z.read(n) for n in z.namelist())
            types = z.read("[Content_Types].xml")
        for leak in (b"Corporate Communications", b"ACME Konzern", b"Vorlage v3"):
            assert leak not in everything
        assert b"presentationml.presentation.main+xml" in types  # a deck, not a template


@pytest.mark.slow
def test_no_quality_warnings_for_the_example(builds):
    for name, result in builds.items():
        assert [w for w in result.warnings if "overflows" in w or "below" in w] == [], name


@pytest.mark.slow
@needs_libreoffice
@pytest.mark.parametrize("name", ["default", "corporate"])
def test_rendered_decks_keep_every_word_in_its_box(builds, name, tmp_path):
    problems = []
    for deck in decks(builds[name]):
        pdf = to_pdf(deck, tmp_path)
        problems += [f"{deck.parent.name} {p}" for p in stray_words(deck, pdf)]
    assert problems == []


LONG = "Enterprise Application Lifecycle Management Suite Professional Plus with Extended Support and Advanced Analytics Bundle"


@pytest.mark.slow
def test_long_names_and_long_lists_do_not_overflow(tmp_path):
    assert len(LONG) >= 119
    lic = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\n" + "".join(
        f"{'Publisher ' + LONG if i == 0 else f'Hersteller {i:02d}'};{LONG if i == 0 else f'Produkt {i:02d}'};10;{12 + i};{100 + i}\n"
        for i in range(40)
    )
    seats = "Benutzer;Produkt;Letzte Aktivität;Stichtag\n" + "".join(
        f"u{i}@x.example;{LONG + ' ' + str(i) if i % 10 == 0 else f'Cloud {i:02d}'};;31.10.2026\n" for i in range(40)
    )
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": lic, "data/s.csv": seats})
    result = build(BuildRequest(config=ws / "sambrief.yaml", audience="management"))
    deck = decks(result)[0]
    prs = Presentation(deck)
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                categories = list(shape.chart.plots[0].categories)
                assert len(categories) <= 6
                assert all(len(c) <= 38 for c in categories)
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    assert "(vollständige Liste: details.csv)" in notes  # the notes' lists are capped at 15 items
    details = (Path(deck).parent / "details.csv").read_bytes().decode("utf-8-sig")
    assert LONG in details  # the full name is in the full lists beside the deck
    assert not [w for w in result.warnings if "overflows" in w]
    if shutil.which("soffice"):
        assert stray_words(deck, to_pdf(deck, tmp_path)) == []


@pytest.mark.slow
def test_layout_names_configured_and_missing(tmp_path):
    ws = with_template(
        write_workspace(
            tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf\nA;B;1;2\n"}
        ),
        CORPORATE,
    )
    config = ws / "sambrief.yaml"
    config.write_text(config.read_text() + "layouts: {closing: Leer}\n")
    result = build(BuildRequest(config=config, period="2026-10"))
    assert Presentation(decks(result)[0]).slides[-1].slide_layout.name == "Leer"
    config.write_text(config.read_text().replace("closing: Leer", "closing: Schluss"))
    outcome = runner.invoke(app, ["build", "--config", str(config)])
    assert outcome.exit_code == 1
    assert (
        "layouts.closing: die Vorlage hat kein Layout namens 'Schluss' (Layouts: 'Titelfolie', 'Abschnittsüberschrift', 'Nur Titel', 'Leer', 'Titel und Inhalt', 'Zwei Inhalte')"
        in outcome.stderr
    )


def test_template_inspect_lists_masters_layouts_and_roles():
    result = runner.invoke(app, ["template", "inspect", str(CORPORATE), "--json"])
    assert result.exit_code == 0, result.stderr
    info = json.loads(result.stdout)
    assert [m["master"] for m in info["masters"]] == [1, 2]
    assert [layout["name"] for layout in info["masters"][1]["layouts"]] == ["Titel und Inhalt", "Zwei Inhalte"]
    assert info["roles"]["chart"] == {"layout": "Titel und Inhalt", "how": "by name"}
    placeholder = info["masters"][1]["layouts"][0]["placeholders"][1]
    assert placeholder["type"] == "OBJECT" and placeholder["width_cm"] > 20
    text = runner.invoke(app, ["template", "inspect", str(CORPORATE)]).stdout
    assert "chart        -> 'Titel und Inhalt' (nach Name)" in text  # run in the repository's German example workspace


@pytest.mark.slow
def test_generic_content_placeholder_frame_holds_the_chart(builds):
    deck = next(p for p in decks(builds["corporate"]) if p.parent.name == "management")
    prs = Presentation(deck)
    slide = prs.slides[2]
    frame = [p for p in slide.slide_layout.placeholders if p.placeholder_format.idx == 1][0]
    chart = next(s for s in slide.shapes if s.has_chart)
    assert (chart.left, chart.top) == (frame.left, frame.top)
    assert chart.left + chart.width <= frame.left + frame.width


def _parts(deck: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(deck) as z:  # an embedded workbook's creation time aside
        return {n: z.read(n) for n in z.namelist() if not n.startswith("ppt/embeddings/")}


def _assert_own_slides_only(ws: Path, result) -> None:
    manifest = json.loads((ws / "out" / result.period / "manifest.json").read_text("utf-8"))
    for deck in decks(result):
        prs = Presentation(deck)
        assert len(prs.slides) == len(manifest["audiences"][deck.parent.name]["slides"])
        assert (
            len({s.part.partname for s in prs.slides})
            == len({s.notes_slide.part.partname for s in prs.slides})
            == len(prs.slides)
        )


@pytest.mark.usefixtures("no_deck_pdf")  # compares the pptx files
def test_decks_of_a_small_build_share_no_slide_and_do_not_depend_on_the_decks_before(tmp_path):
    """The fast tier's check of the property below, on three small decks with the corporate template:
    built twice in one process (the template read once, its cache shared), each deck is the same and
    holds only its own slides; a deck built alone equals the one built after the others."""
    audiences = "audiences:\n" + "".join(
        f"  {key}:\n    title: {{de: {key}}}\n    themes: [risk]\n    formats: [pptx]\n"
        for key in ("management", "itsm", "it")
    )
    ws = with_template(write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": GOOD_CSV}, audiences), CORPORATE)
    first = build(BuildRequest(config=ws / "sambrief.yaml", audience="all", period="2026-10"))
    before = {p.name: _parts(p) for p in decks(first)}
    again = build(BuildRequest(config=ws / "sambrief.yaml", audience="all", period="2026-10", force=True))
    assert len(before) == 3 and {p.name: _parts(p) for p in decks(again)} == before
    _assert_own_slides_only(ws, again)
    alone = build(BuildRequest(config=ws / "sambrief.yaml", audience="it", period="2026-10", force=True))
    (it,) = [p for p in decks(alone) if p.parent.name == "it"]
    assert _parts(it) == before["sambrief-it-2026-10.pptx"]


@pytest.mark.slow  # two builds of the example's four decks; the small build above pins the same in the fast tier
@pytest.mark.usefixtures("no_deck_pdf")  # compares the pptx files
def test_decks_of_one_build_share_no_slide(corporate_build, tmp_path):
    """The template is read once per build and its decks share what was learnt from it; each deck
    still holds only its own slides, and a deck is the same whichever decks were made before it."""
    ws = copy_built(corporate_build, tmp_path / "ws")  # the example with the corporate template, all audiences

    first = {p.name: _parts(p) for p in decks(corporate_build)}
    again = build(BuildRequest(config=ws / "sambrief.yaml", audience="all", force=True))
    assert len(first) == 4 and {p.name: _parts(p) for p in decks(again)} == first
    _assert_own_slides_only(ws, again)


def test_a_template_replaced_with_the_same_size_and_time_is_read_again(tmp_path):
    """The template is read once per version of the file: a copy that keeps the size and the
    modification time (`cp -p`, a file share's coarse timestamps) is still a new version."""
    import os
    from types import SimpleNamespace

    from sambrief.render.html import template_colours

    corporate = REPO / "tests" / "fixtures" / "corporate.potx"

    def variant(accent: str, target: Path) -> None:  # the same bytes but one colour, stored so the size stays
        with zipfile.ZipFile(corporate) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
            for item in src.infolist():
                data = src.read(item)
                if item.filename.startswith("ppt/theme/"):
                    data = data.replace(b"7A1F3D", accent.encode())
                out.writestr(item.filename, data)

    deck = tmp_path / "deck.potx"
    variant("7A1F3D", deck)
    settings = SimpleNamespace(deck_template=deck, brand=None, branded_template=False)  # all template_colours reads
    assert template_colours(settings)["accent1"] == "7A1F3D"
    stat = deck.stat()
    variant("2E7D32", tmp_path / "new.potx")
    os.replace(tmp_path / "new.potx", deck)
    os.utime(deck, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert deck.stat().st_size == stat.st_size and deck.stat().st_mtime_ns == stat.st_mtime_ns
    assert template_colours(settings)["accent1"] == "2E7D32"
