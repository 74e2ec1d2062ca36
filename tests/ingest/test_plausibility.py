"""Duplicates and plausibility (issue 22, items 6 and 7): the same rows under two names count
once, negative counts and prices are refused, a balance that contradicts its counts is named,
a CSV row with more or fewer fields than the header is named, and a file no layout fits is
skipped (with a warning, listed in the manifest) instead of stopping the month."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import vendor_fixtures as vf
from conftest import MINIMAL_CONFIG, REPO, copy_example, decks_only, write_workspace
from openpyxl import Workbook
from pptx import Presentation
from test_inputs import assert_one_line_error
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.commands.build import BuildRequest, draft
from sambrief.i18n.notices import Notice
from sambrief.ingest.canonical import SourcePin, load_source
from sambrief.ingest.privacy import Pseudonymiser
from sambrief.ingest.repeats import drop_repeated_rows
from sambrief.ingest.sources import skipped_files
from sambrief.model.core import derive_license_position

# The tests here read figures, notices, the pptx and the one-pager, never the deck's PDF.
pytestmark = pytest.mark.usefixtures("no_deck_pdf")

runner = CliRunner()
PSEUDO = Pseudonymiser(b"k" * 16)
OCTOBER = Path("examples/data/2026-10")
BALANCE = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Über-/Unterdeckung;Einzelpreis\n"
DECK_ONLY = "audiences:\n  management: {language: de, themes: [risk], formats: [pptx]}\n"


def build(ws: Path, *args: str):
    return runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10", *args])


def manifest(ws: Path) -> dict:
    return json.loads((ws / "out" / "2026-10" / "manifest.json").read_text(encoding="utf-8"))


def read(path: Path):
    return load_source(path, SourcePin(), PSEUDO)


# --- the same rows under two names ---------------------------------------------------------


def _example_with_copies(tmp_path: Path) -> Path:
    ws = copy_example(tmp_path / "ws")
    shutil.copy(ws / OCTOBER / "lizenzbilanz.csv", ws / OCTOBER / "lizenzbilanz (1).csv")
    shutil.copy(ws / OCTOBER / "servicenow_sc_req_item.csv", ws / OCTOBER / "sc_req_item_kopie.csv")
    shutil.copy(ws / OCTOBER / "cloud_lizenzen.csv", ws / OCTOBER / "cloud_lizenzen_nochmal.csv")
    return ws


COPIES = (
    ("lizenzbilanz (1).csv", "lizenzbilanz.csv"),
    ("sc_req_item_kopie.csv", "servicenow_sc_req_item.csv"),
    ("cloud_lizenzen_nochmal.csv", "cloud_lizenzen.csv"),
)


def _assert_counted_once(figures: dict, rows: dict[str, int], warnings: list) -> None:
    """The figures, the rows each file gives and the notices, as the manifest lists them."""
    assert figures["risk.exposure_total"] == 620832.5
    assert figures["risk.products_total"] == 40
    assert figures["cloud_sprawl.seats_assigned"] == 2020
    assert rows["lizenzbilanz.csv"] == 40 and rows["lizenzbilanz (1).csv"] == 0  # the copy is the one left empty
    assert rows["servicenow_sc_req_item.csv"] + rows["sc_req_item_kopie.csv"] == 604
    assert rows["cloud_lizenzen.csv"] + rows["cloud_lizenzen_nochmal.csv"] == 2020
    for copy, original in COPIES:
        assert [w for w in warnings if copy in w and original in w and "counted once" in w], warnings


def test_example_files_dropped_in_twice_count_once_in_the_figures(tmp_path):
    """The composed month of the test below (which builds it on the CLI: slow tier): the figures,
    the rows each file gives and the notices, drafted."""
    ws = _example_with_copies(tmp_path)
    composed = draft(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="management"))
    rows = {s.path.name: len(s.frame) for s in composed.sources}  # as the manifest counts them
    _assert_counted_once(composed.briefings[0].figures, rows, composed.warnings)


@pytest.mark.slow  # the CLI build of the example, its manifest and deck (the figures: the test above)
def test_example_licence_list_and_requests_dropped_in_twice_count_once(tmp_path):
    """The example's exposure is 620.833 €; with its licence list and its request export each
    dropped in a second time under another name it was 1.241.665 € and twice the requests."""
    ws = decks_only(_example_with_copies(tmp_path))  # reads the manifest, the deck and the notices
    result = build(ws, "--audience", "management")
    assert result.exit_code == 0, result.stderr
    data = manifest(ws)
    rows = {s["file"]: s["rows"] for s in data["sources"]}
    _assert_counted_once(data["audiences"]["management"]["figures"], rows, data["warnings"])
    # a copy is not cited as a source on the slides or in the notes either
    deck = Presentation(next((ws / "out" / "2026-10" / "management").glob("*.pptx")))
    texts = " ".join(
        [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
        + [slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide]
    )
    assert "Quelle: lizenzbilanz.csv" in texts
    assert "(1).csv" not in texts and "nochmal" not in texts
    assert "Warnung: " in result.stderr and "einmal gezählt" in result.stderr  # in the workspace's language


def test_example_requests_twice_leave_lead_times_and_throughput_unchanged(tmp_path):
    ws = copy_example(tmp_path / "ws")  # reads figures only: drafted, nothing rendered
    request = BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="itsm")
    [before] = [b.figures for b in draft(request).briefings]
    shutil.copy(ws / OCTOBER / "servicenow_sc_req_item.csv", ws / OCTOBER / "servicenow_sc_req_item (2).csv")
    [after] = [b.figures for b in draft(request).briefings]
    assert after == before
    assert before["procurement.opened"] == 132


def test_same_rows_resaved_as_a_workbook_count_once(tmp_path):
    """A CSV and its copy re-saved by Excel as .xlsx hold the same rows in another format."""
    csv_text = BALANCE + "Microsoft;Visio;120;143;-23;412,50\nAdobe;Acrobat;210;200;10;449,00\n"
    wb = Workbook()
    for row in (
        ["Hersteller", "Produkt", "Lizenzbestand", "Lizenzbedarf", "Über-/Unterdeckung", "Einzelpreis"],
        ["Microsoft", "Visio", 120, 143, -23, 412.5],
        ["Adobe", "Acrobat", 210, 200, 10, 449],
    ):
        wb.active.append(row)
    wb.save(tmp_path / "bilanz.xlsx")
    (tmp_path / "bilanz.csv").write_text(csv_text, encoding="utf-8")
    sources = [read(tmp_path / "bilanz.csv"), read(tmp_path / "bilanz.xlsx")]
    notices = drop_repeated_rows(sources)
    assert [n.key for n in notices] == ["repeated_file"]
    assert str(tmp_path / "bilanz.xlsx") in notices[0] and str(tmp_path / "bilanz.csv") in notices[0]
    position = derive_license_position(pd.concat([sources[0].frame, sources[1].frame]))
    assert position["exposure"].sum() == 23 * 412.5


def test_partly_overlapping_exports_count_the_shared_rows_once(tmp_path):
    (tmp_path / "a.csv").write_text(BALANCE + "M;Visio;120;143;-23;10\nA;Acrobat;1;2;-1;100\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(BALANCE + "A;Acrobat;1;2;-1;100\nO;Oracle;1;5;-4;1000\n", encoding="utf-8")
    sources = [read(tmp_path / "a.csv"), read(tmp_path / "b.csv")]
    [notice] = drop_repeated_rows(sources)
    assert notice == f"{tmp_path / 'b.csv'}: 1 of its 2 rows is the same as in {tmp_path / 'a.csv'}; counted once"
    assert (
        notice.in_language("de")
        == f"{tmp_path / 'b.csv'}: 1 seiner 2 Zeilen steht genauso in {tmp_path / 'a.csv'}; einmal gezählt"
    )
    assert list(sources[1].frame["product"]) == ["Oracle"]
    assert (
        derive_license_position(pd.concat([sources[0].frame, sources[1].frame]))["exposure"].sum() == 230 + 100 + 4000
    )


def test_repeats_inside_one_file_are_the_exports_own(tmp_path):
    (tmp_path / "a.csv").write_text(BALANCE + "M;Visio;1;2;-1;10\nM;Visio;1;2;-1;10\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(BALANCE + "O;Oracle;1;5;-4;1000\n", encoding="utf-8")
    sources = [read(tmp_path / "a.csv"), read(tmp_path / "b.csv")]
    assert drop_repeated_rows(sources) == []
    assert len(sources[0].frame) == 2


@pytest.mark.parametrize(
    "layout",
    [
        "flexera_compliance",
        "snow_compliance_summary",
        "servicenow_requested_items_fields",
        "m365_active_users",
        "google_workspace_users",
    ],
)
def test_real_vendor_export_twice_counts_once(tmp_path, layout):
    name, make = vf.LAYOUT_FIXTURES[layout]
    first, second = tmp_path / name, tmp_path / f"Kopie von {name}"
    first.write_bytes(make())
    second.write_bytes(make())
    sources = [read(first), read(second)]
    rows = len(sources[0].frame)
    [notice] = drop_repeated_rows(sources)
    assert notice.key == "repeated_file" and str(first) in notice and str(second) in notice
    if sources[0].dataset == "license_position":
        position = derive_license_position(pd.concat([sources[0].frame, sources[1].frame]))
        assert position["exposure"].sum() == vf.EXPECTED_EXPOSURE
    assert len(sources[0].frame) + len(sources[1].frame) == rows
    assert [s.repeats for s in sources] == [False, True]  # the copy is neither counted nor cited


# --- implausible values --------------------------------------------------------------------


def test_negative_licence_count_is_one_line_naming_file_column_and_row(tmp_path):
    ws = write_workspace(
        tmp_path / "ws",
        MINIMAL_CONFIG,
        {
            "data/l.csv": "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Produkt A;10;12;100\nB;Produkt B;-5;288;6155\n"
        },
    )
    result = build(ws)
    assert_one_line_error(
        result,
        ws,
        "l.csv: Spalte 'Lizenzbestand': 1 Wert ist negativ, was eine Lizenzzahl oder ein Preis nicht sein kann",
        "(Zeile 3: '-5')",
    )


def test_example_with_a_negative_count_is_refused(tmp_path):
    """The example with −5 licences owned of Windows Server built an exposure of 2.227.287 €."""
    ws = copy_example(tmp_path / "ws")
    path = ws / OCTOBER / "lizenzbilanz.csv"
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b";256;288;", b";-5;288;")
    path.write_bytes(b"\n".join(lines))
    result = build(ws, "--audience", "management")
    assert_one_line_error(result, ws, "lizenzbilanz.csv: Spalte 'Lizenzbestand'", "negativ", "Zeile 2: '-5'")


@pytest.mark.parametrize(("cell", "shown"), [("-412,50", "-412,50"), ("(412,50)", "(412,50)")])
def test_negative_price_is_refused(tmp_path, cell, shown):
    ws = write_workspace(
        tmp_path / "ws",
        MINIMAL_CONFIG,
        {"data/l.csv": f"Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Produkt A;10;12;{cell}\n"},
    )
    result = build(ws)
    assert_one_line_error(result, ws, "Spalte 'Einzelpreis': 1 Wert ist negativ", f"Zeile 2: '{shown}'")


def test_a_negative_balance_is_a_shortfall_not_an_error(tmp_path):
    (tmp_path / "l.csv").write_text(BALANCE + "M;Visio;120;143;-23;412,50\n", encoding="utf-8")
    source = read(tmp_path / "l.csv")
    assert source.warnings == []
    assert derive_license_position(source.frame)["exposure"].sum() == 23 * 412.5


def test_balance_that_contradicts_the_counts_is_a_warning_naming_the_rows(tmp_path):
    (tmp_path / "l.csv").write_text(
        BALANCE + "M;Visio;120;143;-23;10\nM;Server;250;288;-32;100\nA;Acrobat;5;2;-3;1\n", encoding="utf-8"
    )
    source = read(tmp_path / "l.csv")
    [notice] = [w for w in source.warnings if w.key == "balance_disagrees"]
    assert notice == (
        f"{tmp_path / 'l.csv'}: 2 rows where entitlements − required ≠ balance "
        "(rows 3: 250 − 288 ≠ −32; 4: 5 − 2 ≠ −3); the balance is used, check the export"
    )
    assert "Zeilen 3: 250 − 288 ≠ −32" in notice.in_language("de")
    assert notice.level == "warning"


def _strict_refusal(tmp_path: Path, *args: str) -> None:
    config = MINIMAL_CONFIG.replace("  - data/*.xlsx\n", "")
    ws = write_workspace(tmp_path / "ws", config, {"data/l.csv": BALANCE + "A;Produkt A;250;288;-32;10\n"})
    result = build(ws, "--strict", *args)
    assert result.exit_code == 1
    assert (
        "erste: "
        + str(ws / "data" / "l.csv")
        + ": in 1 Zeile ist Lizenzbestand − Lizenzbedarf ≠ Bilanz (Zeile 2: 250 − 288 ≠ −32)"
        in result.stderr
    )
    assert not (ws / "out").exists()


def test_balance_disagreement_fails_a_strict_dry_run(tmp_path):
    """The test below without rendering: `build --strict --dry-run` fails alike."""
    _strict_refusal(tmp_path, "--dry-run")


# A strict build renders every output in memory before it fails (a renderer's warning counts
# too): every default audience's one-pagers and decks.
@pytest.mark.slow
def test_balance_disagreement_fails_strict_build(tmp_path):
    _strict_refusal(tmp_path)


def test_snow_compliance_counts_coverage_so_it_is_not_checked(tmp_path):
    # Snow's Compliance is Coverage − requirement (upgrade/downgrade rights count): it may
    # differ from Total licenses − requirement without anything being wrong.
    text = (
        "Application,Manufacturer,Total licenses,License requirement,Available licenses,Coverage,Compliance,Cost\n"
        "Visio Professional,Microsoft,100,143,0,120,-23,49500\n"
    )
    (tmp_path / "snow.csv").write_text(text, encoding="utf-8")
    source = read(tmp_path / "snow.csv")
    assert source.layout == "snow_compliance_summary"
    assert source.warnings == []


# --- rows with more or fewer fields than the header -----------------------------------------


def _long_balance(rows: int = 60) -> list[str]:
    return ["Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis;Vertragsende"] + [
        f"A;Produkt {i};10;12;100;31.12.2027" for i in range(rows)
    ]


@pytest.mark.parametrize("at", [3, 50])  # in the first lines (sniffed) and far below them
def test_row_with_more_fields_than_the_header_is_one_line(tmp_path, at):
    lines = _long_balance()
    lines[at] = "A;Visio; Professional;10;12;100;31.12.2027"  # an unquoted separator in the product name
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": "\n".join(lines) + "\n"})
    result = build(ws)
    assert_one_line_error(
        result,
        ws,
        f"l.csv: Zeile {at + 1}: mehr Felder als die Kopfzeile (6; Zeile {at + 1} hat 7",
        "'31.12.2027'",
        "das Feld in Anführungszeichen setzen",
    )


def test_trailing_separators_are_no_extra_fields(tmp_path):
    text = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf\nA;P;1;2;\nB;Q;3;3;;\n"
    (tmp_path / "l.csv").write_text(text, encoding="utf-8")
    source = read(tmp_path / "l.csv")
    assert source.warnings == [] and len(source.frame) == 2


def test_quoted_separators_and_line_breaks_are_not_fields(tmp_path):
    lines = _long_balance()
    lines[45] = 'A;"Visio; Professional\n2021";10;12;100;31.12.2027'
    lines[46] = "B;Kurz;1;1"
    (tmp_path / "l.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = read(tmp_path / "l.csv")
    assert [str(w) for w in source.warnings] == [
        f"{tmp_path / 'l.csv'}: 1 row has fewer fields than the header (row 47); its missing fields are read as empty, check the export"
    ]
    assert "Visio; Professional 2021" in set(source.frame["product"]) or "Visio; Professional\n2021" in set(
        source.frame["product"]
    )


def test_rows_with_fewer_fields_are_a_warning_naming_them(tmp_path):
    lines = _long_balance()
    for at in (20, 41, 55, 58):
        lines[at] = lines[at].rsplit(";", 1)[0]  # Excel leaves out a row's empty last fields
    # reads the notices and the manifest: one audience that makes only its deck
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": "\n".join(lines) + "\n"}, DECK_ONLY)
    result = build(ws)
    assert result.exit_code == 0, result.stderr
    assert "l.csv: 4 Zeilen haben weniger Felder als die Kopfzeile (Zeilen 21, 42, 56 …)" in result.stderr
    assert manifest(ws)["audiences"]["management"]["figures"]["risk.products_total"] == 60
    assert build(ws, "--strict", "--force").exit_code == 1


# --- a file no layout fits ------------------------------------------------------------------


def _with_unknown_files(ws: Path) -> Path:
    # Microsoft's own licensing CSV (a real file a SAM team keeps next to its exports), a
    # licence list without its product column, and an unrelated table.
    shutil.copy(
        REPO / "src/sambrief/defaults/product_names/microsoft_licensing.csv", ws / OCTOBER / "microsoft_licensing.csv"
    )
    (ws / OCTOBER / "bilanz_ohne_produkt.csv").write_text(
        "Hersteller;Lizenzbestand;Lizenzbedarf\nA;1;2\n", encoding="utf-8"
    )
    (ws / OCTOBER / "raeume.csv").write_text("Raum;Kapazität;Etage\nA1;10;2\n", encoding="utf-8")
    return ws


def _assert_skipped(ws: Path, figures: dict, skipped_list: list[dict], read_files: set[str], warnings: list) -> None:
    """The month without the unknown files, as the manifest lists them (figures, skipped, sources, warnings)."""
    assert figures["risk.exposure_total"] == 620832.5
    skipped = {s["file"]: s for s in skipped_list}
    assert set(skipped) == {"microsoft_licensing.csv", "bilanz_ohne_produkt.csv", "raeume.csv"}
    assert skipped["bilanz_ohne_produkt.csv"]["nearest"] == "generic_license_position_de"
    assert skipped["bilanz_ohne_produkt.csv"]["lacks"][0].startswith("product ('produkt'")
    assert skipped["raeume.csv"] == {"file": "raeume.csv", "nearest": None, "lacks": []}
    assert "bilanz_ohne_produkt.csv" not in read_files
    line = next(w for w in warnings if "bilanz_ohne_produkt.csv" in w)
    assert line == (
        f"{ws / OCTOBER / 'bilanz_ohne_produkt.csv'}: skipped, no layout fits its header (nearest: "
        "generic_license_position_de, which lacks product ('produkt', 'software' or 'softwareprodukt')); "
        "map its columns with `columns:` in sambrief.yaml, or move the file out of the sources"
    )


def test_an_unknown_file_is_skipped_naming_the_layout_it_nearly_fits(tmp_path):
    """The composed month of the test below (build, check and inspect on the CLI: slow tier):
    what the manifest lists (its `skipped` is made from the notices)."""
    ws = _with_unknown_files(copy_example(tmp_path / "ws"))
    composed = draft(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="management"))
    read_files = {s.path.name for s in composed.sources}
    _assert_skipped(ws, composed.briefings[0].figures, skipped_files(composed.warnings), read_files, composed.warnings)


@pytest.mark.slow  # build, a strict build, check twice and inspect on the CLI (the month itself: the test above)
def test_unknown_files_are_skipped_with_nearest_layout_and_what_is_missing(tmp_path):
    ws = _with_unknown_files(decks_only(copy_example(tmp_path / "ws")))  # reads figures, notices and the manifest
    result = build(ws, "--audience", "management")
    assert result.exit_code == 0, result.stderr
    data = manifest(ws)
    figures = data["audiences"]["management"]["figures"]
    _assert_skipped(ws, figures, data["skipped"], {s["file"] for s in data["sources"]}, data["warnings"])
    assert "raeume.csv: übersprungen, kein Layout passt zu seiner Kopfzeile" in result.stderr

    # --strict and check treat it as an error; inspect still exits 1 for it
    strict = build(ws, "--audience", "management", "--strict", "--force")
    assert strict.exit_code == 1 and "Fehler: " in strict.stderr and "übersprungen" in strict.stderr
    check = runner.invoke(app, ["check", "--config", str(ws / "sambrief.yaml")])
    assert check.exit_code == 1
    errors = [line for line in check.stderr.splitlines() if line.startswith("Fehler: ")]
    assert len(errors) == 3 and all("übersprungen" in e for e in errors)
    as_json = runner.invoke(app, ["check", "--json", "--config", str(ws / "sambrief.yaml")])
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["ok"] is False and len(report["errors"]) == 3
    inspected = runner.invoke(app, ["inspect", str(ws / OCTOBER / "raeume.csv")])
    assert inspected.exit_code == 1


def test_entra_current_download_does_not_stop_the_month(tmp_path):
    """Entra's current "Download users" has no accountEnabled: read by a layout that knows it,
    or skipped with a warning, but never the end of the build."""
    ws = copy_example(tmp_path / "ws")  # reads what the manifest lists, from the composed month
    (ws / OCTOBER / "entra_users.csv").write_text(
        "id,displayName,userPrincipalName,userType,onPremisesSyncEnabled,identities,companyName,creationType\n"
        "0b4f1c2a-1111-4a4a-9c9c-000000000001,Anna Richter,anna.richter0707@muster-gmbh.example,Member,True,,Muster GmbH,\n",
        encoding="utf-8",
    )
    composed = draft(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="management"))
    read_as = {s.path.name for s in composed.sources}
    skipped = {s["file"]: s for s in skipped_files(composed.warnings)}  # the manifest's `skipped`
    assert ("entra_users.csv" in read_as) != ("entra_users.csv" in skipped)
    if "entra_users.csv" in skipped:
        assert skipped["entra_users.csv"]["nearest"] == "entra_download_users"
        assert any("accountenabled" in lack for lack in skipped["entra_users.csv"]["lacks"])
    assert composed.briefings[0].figures["risk.exposure_total"] == 620832.5


def test_a_file_named_on_its_own_or_pinned_is_still_an_error(tmp_path):
    config = MINIMAL_CONFIG.replace("  - data/*.csv\n", "  - data/*.csv\n  - {path: extra/raeume.csv}\n")
    ws = write_workspace(
        tmp_path / "ws",
        config,
        {
            "data/l.csv": "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf\nA;Produkt A;1;2\n",
            "extra/raeume.csv": "Raum;Kapazität;Etage\nA1;10;2\n",
        },
    )
    result = build(ws)
    assert_one_line_error(result, ws, "raeume.csv: kein bekanntes Layout passt zu seiner Kopfzeile")


def test_only_unknown_files_is_still_an_error(tmp_path):
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/raeume.csv": "Raum;Kapazität;Etage\nA1;10;2\n"})
    assert_one_line_error(build(ws), ws, "raeume.csv: kein bekanntes Layout passt zu seiner Kopfzeile")


def test_skipped_notice_renders_in_both_languages():
    notice = Notice("skipped_file_far", where="data/x.csv", file="x.csv")
    assert notice.in_language("en").startswith("data/x.csv: skipped, no layout fits its header (none is near")
    assert notice.in_language("de").startswith(
        "data/x.csv: übersprungen, kein Layout passt zu seiner Kopfzeile (keines ist nahe"
    )


# --- German compliance reports of other SAM tools -------------------------------------------


def test_smcteam_compliance_report_reads_owned_balance_and_derives_demand(tmp_path):
    """smcteam AssetManager's "Lizenzreport Compliance" (real German header): no layout knew
    it, so it stopped the build; its Compliance counts upgrade rights, so it is not checked
    against #Lizenz − demand, and without prices the exposure is unknown, never 0."""
    path = tmp_path / "Lizenzreport Compliance.xlsx"
    wb = Workbook()
    for row in (
        [
            "Hersteller",
            "Lizenz",
            "Lizenztyp",
            "Lizenzklasse",
            "Inventarisiert",
            "Manuelle Inventur",
            "Erworbene Lizenzen",
            "Abzgl. Upgrades",
            "Downgrades",
            "#Lizenz",
            "Compliance",
            "Status",
        ],
        ["Microsoft", "Office Professional Plus 2021", "Gerät", "Vollversion", 130, 5, 120, 0, 0, 120, -15, "aktiv"],
        ["Microsoft", "Visio Standard 2019", "Gerät", "Vollversion", 20, 0, 30, 5, 0, 25, 5, "aktiv"],
        ["Adobe", "Acrobat Standard 2020", "Benutzer", "Upgrade", 8, 0, 10, 0, 0, 10, 2, "aktiv"],
    ):
        wb.active.append(row)
    wb.save(path)
    source = read(path)
    assert (source.layout, source.warnings) == ("smcteam_compliance_report", [])
    position = derive_license_position(source.frame).set_index("product")
    assert position.loc["Office Professional Plus 2021", ["entitlements", "required", "shortfall"]].tolist() == [
        120,
        135,
        15,
    ]
    assert position.loc["Visio Standard 2019", ["entitlements", "required", "surplus"]].tolist() == [25, 20, 5]
    assert not position["price_known"].any()
