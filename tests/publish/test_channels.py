"""Visibility: an audience appears only on the channels it names (the intranet page, the
manifest's record of what each output is made for, `check`)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import (
    MINIMAL_CONFIG,
    REPO,
    blank_pdf,
    copy_built,
    copy_example,
    decks_only,
    workspace_of,
    write_workspace,
)
from typer.testing import CliRunner

from sambrief.channels import CHANNELS, file_channels
from sambrief.commands.build import BuildRequest, build
from sambrief.render import deckpdf

runner = CliRunner()


GOOD_CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\n"
SEATS_CSV = "Benutzer;Produkt;Zugewiesen am;Letzte Aktivität;Abteilung;Stichtag\n" + "".join(
    f"p{i}@firma.example;Microsoft 365 E3;01.01.2025;20.10.2026;{'Vertrieb' if i < 8 else 'Einkauf'};31.10.2026\n"
    for i in range(16)
)


@pytest.fixture(scope="module")
def example_set(tmp_path_factory) -> Path:
    """A workspace with the example's audiences (their formats and channels) after `build --audience all`
    of October, on a small licence balance and seat list: every output an audience names, each one-pager
    short enough for one layout (the example's own take several). The deck PDFs are blank pages: what
    these tests read is which files there are and where they are shared (read only)."""
    ws = write_workspace(
        tmp_path_factory.mktemp("channels") / "ws",
        MINIMAL_CONFIG,
        {"data/l.csv": GOOD_CSV, "data/seats.csv": SEATS_CSV},
        (REPO / "audiences.yaml").read_text("utf-8"),
    )
    with pytest.MonkeyPatch.context() as mp:  # the fixtures no_deck_pdf and the key are per test
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
        mp.setattr(deckpdf, "render_deck_pdf", lambda result, briefing, settings: blank_pdf())
        build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="all"))
    return ws


def test_the_intranet_page_links_only_the_audiences_published_there(example_set: Path):
    page = (example_set / "out" / "2026-10" / "intranet" / "index.html").read_text("utf-8")
    links = sorted(re.findall(r'href="\.\./([^"]+)"', page))
    # audiences.yaml: management [deck, onepager, mail] (no intranet); itsm [deck, onepager, intranet];
    # business [onepager, intranet, newsflash] (no deck); it [deck, intranet] (no one-pager)
    assert links == [
        "business/onepager.pdf",
        "it/sambrief-it-2026-10.pdf",
        "it/sambrief-it-2026-10.pptx",
        "itsm/onepager.pdf",
        "itsm/sambrief-itsm-2026-10.pdf",
        "itsm/sambrief-itsm-2026-10.pptx",
    ]  # a deck as PDF and as pptx
    assert "/management/" not in page and "Geschäftsführung" not in page


def test_the_manifest_records_the_channels_each_output_is_made_for(example_set: Path):
    manifest = json.loads((example_set / "out" / "2026-10" / "manifest.json").read_text("utf-8"))
    channels = {o["path"]: o["channels"] for o in manifest["outputs"]}
    assert channels["management/sambrief-management-2026-10.pptx"] == ["deck", "mail"]
    assert channels["management/onepager.pdf"] == ["onepager", "mail"]
    assert channels["management/onepager.html"] == ["onepager"]
    assert channels["itsm/sambrief-itsm-2026-10.pptx"] == ["deck", "intranet"]
    assert channels["business/sambrief-business-2026-10.pptx"] == []  # built (formats) but shared on no channel
    assert channels["intranet/index.html"] == ["intranet"]
    assert manifest["audiences"]["business"]["channels"] == ["onepager", "intranet", "newsflash"]


@pytest.mark.usefixtures("no_deck_pdf")  # reads the intranet page
def test_a_departmental_build_keeps_the_others_visibility_as_configured_now(example_set: Path, tmp_path):
    example_set = shutil.copytree(example_set, tmp_path / "ws", symlinks=True)
    audiences = example_set / "audiences.yaml"
    original = audiences.read_text("utf-8")
    try:  # management taken onto the intranet, then a departmental build: the kept management entry follows the file
        audiences.write_text(
            original.replace("channels: [deck, onepager, mail]", "channels: [deck, onepager, mail, intranet]"), "utf-8"
        )
        build(
            BuildRequest(
                config=example_set / "sambrief.yaml", period="2026-10", audience="business", department="Vertrieb"
            )
        )
        page = (example_set / "out" / "2026-10" / "intranet" / "index.html").read_text("utf-8")
        assert "../management/sambrief-management-2026-10.pptx" in page
        assert "../business-vertrieb/onepager.pdf" in page
    finally:
        audiences.write_text(original, "utf-8")
    build(
        BuildRequest(
            config=example_set / "sambrief.yaml",
            period="2026-10",
            audience="business",
            department="Vertrieb",
            force=True,
        )
    )
    page = (example_set / "out" / "2026-10" / "intranet" / "index.html").read_text("utf-8")
    assert "../management/" not in page


def test_file_channels_follow_the_document_channels_an_audience_names():
    assert file_channels(["deck", "intranet", "mail"], "deck", linked=True, mailed=True) == ["deck", "intranet", "mail"]
    assert file_channels(["deck", "intranet", "mail"], "onepager", linked=True, mailed=True) == []
    assert file_channels(["intranet", "folder"], "onepager", linked=False, mailed=False) == [
        "folder"
    ]  # no document named: all
    assert file_channels(["onepager", "teams", "slack", "folder"], "onepager", linked=True, mailed=True) == [
        "onepager",
        "teams",
        "slack",
        "folder",
    ]
    assert set(CHANNELS) >= {"deck", "onepager", "intranet", "newsflash", "mail", "teams", "slack", "folder"}


def test_every_channel_has_a_name_in_the_plan_in_both_languages():
    from sambrief.i18n.catalog import Messages

    for language in ("de", "en"):
        names = [Messages(language)(f"plan.channel_{key}") for key in CHANNELS]
        assert all(names) and len(set(names)) == len(names)


@pytest.mark.usefixtures("no_deck_pdf")  # reads the manifest's figures
def test_the_intranet_pages_changes_compare_each_audience_published_there_with_itself(
    example_build_management, tmp_path
):
    """The page made from October's manifest of the example and the previous month's figures per
    audience (as the history gives them): business is on the page and compared with business;
    management, not on the page, is neither stated nor compared with (the build over two months
    below checks the same end to end, in the slow tier). The manifest is the example's management
    build with business's briefing built beside it (its deck: the figures are what is read)."""
    from datetime import date
    from types import SimpleNamespace

    from sambrief.config.workspace import load_settings
    from sambrief.model.core import Period
    from sambrief.render.period import intranet_page

    example_set = decks_only(copy_built(example_build_management, tmp_path / "ws"))
    build(BuildRequest(config=example_set / "sambrief.yaml", period="2026-10", audience="business"))
    settings = load_settings(example_set / "sambrief.yaml")
    manifest = json.loads((example_set / "out" / "2026-10" / "manifest.json").read_text("utf-8"))
    assert manifest["audiences"]["management"]["figures"]["successes.savings_ytd"] == 234276
    assert manifest["audiences"]["business"]["figures"]["successes.savings_ytd"] == 182276
    model = SimpleNamespace(
        period=Period(2026, 10), news=[], as_of=date(2026, 10, 31)
    )  # all the page reads of the model
    previous = {"management": {"successes.savings_ytd": 219476}, "business": {"successes.savings_ytd": 167476}}
    page = intranet_page(settings, model, manifest, previous)["index.html"].decode("utf-8")
    assert (
        "Einsparungen seit Jahresbeginn: 14.800\u00a0€ mehr (9\u00a0%) seit September 2026, jetzt 182.276\u00a0€"
        in page
    )
    assert "234.276" not in page and "219.476" not in page


@pytest.mark.slow  # two builds of the example, all audiences; the test above pins the comparison in the fast tier
@pytest.mark.usefixtures("no_deck_pdf")  # reads the intranet page
def test_what_changed_on_the_intranet_page_compares_each_audience_published_there_with_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
    ws = copy_example(tmp_path / "ws")
    for period in ("2026-09", "2026-10"):
        build(BuildRequest(config=ws / "sambrief.yaml", period=period, audience="all"))
    page = (ws / "out" / "2026-10" / "intranet" / "index.html").read_text("utf-8")
    # Savings so far this year: management (not on the page) counts every success, 219,476 -> 234,276 €;
    # business (on the page) its own, 167,476 -> 182,276 €: the page compares business with business.
    assert (
        "Einsparungen seit Jahresbeginn: 14.800\u00a0€ mehr (9\u00a0%) seit September 2026, jetzt 182.276\u00a0€"
        in page
    )
    assert "234.276" not in page and "219.476" not in page


def test_a_post_shows_one_key_figure_per_theme_and_the_deck_first(example_build_management):
    from sambrief.config.workspace import load_settings

    example_set = workspace_of(example_build_management)  # the example's October, management (read only)
    from sambrief.publish.deliver import Job, _post_content
    from sambrief.render import carried

    settings = load_settings(example_set / "sambrief.yaml")
    manifest = json.loads((example_set / "out" / "2026-10" / "manifest.json").read_text("utf-8"))
    entry = dict(manifest["audiences"]["management"], channels=["deck", "onepager", "teams"])
    files = [(example_set / "out" / "2026-10" / path, kind) for path, kind in carried(entry, "teams")]
    post = _post_content(
        settings,
        Job("teams", "management", entry, "teams", files, "2026-10"),
        "https://sp.example/{period}/{audience}",
        "2026-10",
    )
    # the key points slide states four risk figures first; the post takes the first figure of each theme
    assert [label for label, _ in post.facts] == [
        "Nachlizenzierungsbedarf",
        "ungenutzte Cloud-Lizenzen",
        "Einsparungen im Berichtszeitraum",
        "Wert der Überdeckungen (einmalig)",
    ]
    assert post.facts[0][1].replace("\u00a0", " ") == "620.833 €"
    assert [url for _, url in post.buttons] == [
        "https://sp.example/2026-10/management/sambrief-management-2026-10.pptx",
        "https://sp.example/2026-10/management/sambrief-management-2026-10.pdf",  # the deck as PDF
        "https://sp.example/2026-10/management/onepager.pdf",
    ]
