"""`sambrief init`: a workspace a license manager can fill and build without editing it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from sambrief.cli.app import app

# The tests here read figures, notices, the pptx and the one-pager, never the deck's PDF.
pytestmark = pytest.mark.usefixtures("no_deck_pdf")

runner = CliRunner()


def test_init_creates_workspace_with_registers(tmp_path: Path):
    ws = tmp_path / "sam"
    result = runner.invoke(app, ["init", str(ws)])
    assert result.exit_code == 0, result.stderr
    for name in (
        "sambrief.yaml",
        "audiences.yaml",
        "data/successes.xlsx",
        "data/actions.xlsx",
        ".sambrief/pseudonym.key",
    ):
        assert (ws / name).is_file(), name
    assert (ws / "templates").is_dir()
    assert "# sambrief-Arbeitsbereich" in (ws / "sambrief.yaml").read_text("utf-8")
    wb = load_workbook(ws / "data" / "actions.xlsx")
    assert wb.sheetnames == ["Anleitung", "Maßnahmen", "Listen"]
    sheet = wb["Maßnahmen"]
    assert [c.value for c in sheet[1]] == [
        "Nr.",
        "Maßnahme",
        "Thema",
        "Status",
        "Blockiert durch",
        "Verantwortliche Rolle",
        "Fällig am",
        "Produkt",
        "Zielgruppen",
    ]
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation]
    assert "='Listen'!$A$2:$A$51" in lists  # status drop-down (room for a company's own entries)
    wb = load_workbook(ws / "data" / "successes.xlsx")
    assert [c.value for c in wb["Erfolge"][1]][:4] == ["Datum", "Erfolg", "Kategorie", "Betrag (EUR)"]
    assert wb["Erfolge"].data_validations.dataValidation


def test_init_refuses_existing_workspace(tmp_path: Path):
    assert runner.invoke(app, ["init", str(tmp_path)]).exit_code == 0
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Fehler: {tmp_path / 'sambrief.yaml'} gibt es schon; für den neuen Arbeitsbereich einen leeren Ordner wählen\n"
    )


@pytest.mark.slow
def test_init_workspace_builds_a_german_excel_csv_without_edits(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SAMBRIEF_PSEUDONYM_KEY")
    ws = tmp_path / "sam"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    balance = (
        "Hersteller;Produkt;Version;Lizenzmodell;Lizenzbestand;Lizenzbedarf;Installationen;Über-/Unterdeckung;Einzelpreis (EUR);Risiko (EUR)\r\n"
        "Microsoft;Visio Professional;2021;Gerät;120;143;143;-23;412,50;9.487,50\r\n"
        "Adobe;Acrobat Pro;2020;Benutzer;210;200;200;10;449,00;0,00\r\n"
        "Oracle;Datenbank „Enterprise“;19c;Prozessor;16;20;20;-4;47.500,00;190.000,00\r\n"
    ).encode("cp1252")
    (ws / "data" / "Lizenzbilanz Oktober.csv").write_bytes(balance)
    monkeypatch.chdir(ws)
    result = runner.invoke(app, ["build", "--audience", "management", "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((ws / "out" / "2026-10" / "manifest.json").read_text("utf-8"))
    figures = manifest["audiences"]["management"]["figures"]
    assert figures["risk.exposure_total"] == 199487.5
    assert figures["risk.licenses_short"] == 27
    assert (ws / "out" / "2026-10" / "management" / "sambrief-management-2026-10.pptx").is_file()
    # Empty registers are normal in a new workspace: warnings, not errors.
    assert "successes" in result.stderr


@pytest.mark.parametrize("lang", ["de", "en"])
def test_init_writes_a_commented_deliver_block_that_validates_once_uncommented(tmp_path: Path, lang: str):
    from sambrief.config.workspace import load_settings

    ws = tmp_path / "sam"
    assert runner.invoke(app, ["init", str(ws), "--lang", lang]).exit_code == 0
    config = ws / "sambrief.yaml"
    text = config.read_text("utf-8")
    assert "\n# deliver:\n" in text and "password_env: SAMBRIEF_SMTP_PASSWORD" in text
    head, block = text.split("\n# deliver:\n")
    config.write_text(head + "\ndeliver:\n" + "\n".join(line[2:] for line in block.splitlines()) + "\n", "utf-8")
    settings = load_settings(config)
    assert settings.delivery is not None
    assert settings.delivery.smtp.host == "mail.example.com"
    assert set(settings.delivery.recipients) == {"management", "itsm"}


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> Path:
    """A workspace as `sambrief init` leaves it, made once for the tests of what comes after it
    (each works on a copy, `fresh`); the tests of `init` itself above run it themselves."""
    ws = tmp_path_factory.mktemp("init") / "sam"
    result = runner.invoke(app, ["init", str(ws)])
    assert result.exit_code == 0, result.stderr
    return ws


def fresh(initialised: Path, dest: Path) -> Path:
    return shutil.copytree(initialised, dest, symlinks=True)


def test_a_fresh_workspace_without_exports_builds_nothing(initialised: Path, tmp_path: Path, monkeypatch):
    """Right after `init` only the empty registers are in data/: no deck of placeholders, one
    line saying where the exports go, exit 1, no out/ and no period in the history."""
    ws = tmp_path / "sam"
    fresh(initialised, ws)
    monkeypatch.chdir(ws)
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fehler: kein Export für ein Briefing"), result.stderr
    assert "(actions.xlsx, budget.xlsx, contracts.xlsx, successes.xlsx)" in lines[0] and lines[0].endswith(
        "nach data/ legen und erneut ausführen"
    )
    assert not (ws / "out").exists()
    assert not (ws / ".sambrief" / "history.sqlite").exists() or "2026" not in runner.invoke(app, ["history"]).stdout


def test_build_warns_while_the_init_placeholders_would_reach_the_slides(initialised: Path, tmp_path: Path, monkeypatch):
    from conftest import decks_only

    ws = tmp_path / "sam"
    fresh(initialised, ws)
    decks_only(ws)  # the warnings are the configuration's: the decks are all these builds need to render
    (ws / "data" / "bilanz.csv").write_text(
        "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\n", encoding="utf-8"
    )
    monkeypatch.chdir(ws)
    result = runner.invoke(app, ["build", "--audience", "management", "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    assert "Warnung: organisation: 'Muster AG (Platzhalter)' ist der Platzhalter aus `sambrief init`" in result.stderr
    assert "Warnung: contact.email: 'lizenzmanagement@example.com' ist eine Platzhalter-Adresse" in result.stderr
    strict = runner.invoke(app, ["build", "--audience", "management", "--period", "2026-10", "--strict", "--force"])
    assert strict.exit_code == 1 and "strengen Modus" in strict.stderr
    config = ws / "sambrief.yaml"
    config.write_text(
        config.read_text("utf-8")
        .replace("Muster AG (Platzhalter)", "Beispiel AG")
        .replace("lizenzmanagement@example.com", "lizenzmanagement@beispiel-ag.de"),
        "utf-8",
    )
    again = runner.invoke(app, ["build", "--audience", "management", "--period", "2026-10"])
    assert again.exit_code == 0 and "Platzhalter" not in again.stderr
