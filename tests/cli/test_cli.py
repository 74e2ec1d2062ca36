"""The command line as a user meets it: exit codes, exact one-line errors, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, REPO, decks_only, write_workspace
from typer.testing import CliRunner

from sambrief.cli.app import app

# The tests here read figures, notices, the pptx and the one-pager, never the deck's PDF.
pytestmark = pytest.mark.usefixtures("no_deck_pdf")

runner = CliRunner()

GOOD_CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\n"


def decks_workspace(root: Path) -> Path:
    """MINIMAL_CONFIG with the default audiences (those a workspace without audiences.yaml gets), making
    only their decks: for a build whose messages and files a test reads, never a one-pager."""
    audiences = (REPO / "src" / "sambrief" / "defaults" / "audiences.yaml").read_text("utf-8")
    return decks_only(write_workspace(root, MINIMAL_CONFIG, {"data/l.csv": GOOD_CSV}, audiences))


def run(*args: str, cwd: Path | None = None):
    import os

    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        return runner.invoke(app, list(args))
    finally:
        os.chdir(old)


def test_broken_config_lists_every_problem_at_once(tmp_path: Path):
    config = """\
organisation: ""
language: fr
currency: EURO
contact: {email: x@y.example}
sources:
  - path: data/*.csv
    dataset: licences
  - path: data/x.xlsx
    layout: flexera_nonexistent
thresholds: {inactive_days: -5}
prices: {Produkt A: teuer}
colour: blue
"""
    audiences = """\
audiences:
  management:
    themes: [risk, rsk, successes]
    max_slides: 2
"""
    ws = write_workspace(tmp_path / "ws", config, {}, audiences)
    result = run("build", "--config", str(ws / "sambrief.yaml"))
    assert result.exit_code == 1
    err = result.stderr
    expected = [
        "colour: unknown setting",
        "organisation: is required",
        "currency: expected a three-letter ISO code such as EUR, got 'EURO'",
        "language: unknown value 'fr' (known: de, en)",
        "contact.team: is required",
        "sources[0].dataset: unknown dataset 'licences' (known: license_position, cloud_seats, cloud_activity, successes, actions, requests, budget, contracts)",
        "sources[1].layout: unknown layout 'flexera_nonexistent'",
        "thresholds.inactive_days: must be at least 1, got -5",
        "prices.Produkt A: expected a monthly price per seat (a number >= 0), got 'teuer'",
        "audiences.management.themes[1]: unknown theme 'rsk' (did you mean 'risk'? known: risk, cloud_sprawl, successes, open_issues, opportunities, renewals, lifecycle, procurement, budget, news, risk_detail, cloud_departments)",
        "audiences.management.max_slides: must be at least 4, got 2",
    ]
    for line in expected:
        assert line in err, line
    assert "11 problems in the configuration" in err
    assert "Traceback" not in err
    assert not (ws / "out").exists()


def test_yaml_syntax_error_names_line(tmp_path: Path):
    ws = write_workspace(tmp_path / "ws", "organisation: [unclosed\n", {})
    result = run("check", "--config", str(ws / "sambrief.yaml"))
    assert result.exit_code == 1
    assert "sambrief.yaml: Zeile 2, Spalte 1: kein gültiges YAML" in result.stderr


def test_missing_config_says_what_to_do(tmp_path: Path):
    result = run("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == f"Error: no sambrief.yaml in {tmp_path} or a folder above it; run `sambrief init DIR` to create a workspace or pass --config PATH"
    )


def test_usage_error_exits_2(tmp_path: Path):
    assert run("build", "--no-such-flag").exit_code == 2
    assert run("build", "--lang", "fr").exit_code == 2


def test_unknown_audience(tmp_path: Path):
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": GOOD_CSV})
    result = run("build", "--config", str(ws / "sambrief.yaml"), "--audience", "board")
    assert result.exit_code == 2
    assert (
        "Fehler: --audience: unbekannte Zielgruppe 'board' (bekannt: management, itsm, business, it, all)"
        in result.stderr
    )


def test_bad_period(tmp_path: Path):
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": GOOD_CSV})
    result = run("build", "--config", str(ws / "sambrief.yaml"), "--period", "10/2026")
    assert result.exit_code == 2
    assert (
        "Fehler: --period: erwartet wird ein Zeitraum als JJJJ-MM, nicht '10/2026' (gemeint ist wohl 2026-10)"
        in result.stderr
    )


def test_strict_fails_on_warnings_and_writes_nothing(tmp_path: Path):
    ws = decks_workspace(tmp_path / "ws")
    result = run("build", "--config", str(ws / "sambrief.yaml"), "--strict")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Fehler: 5 Warnungen im strengen Modus (--strict), nichts geschrieben; "
        "erste: sources[1]: keine Datei passt zu data/*.xlsx\n"
    )
    assert not (ws / "out").exists()


def test_build_writes_deck_and_manifest_and_plain_lines(tmp_path: Path):
    ws = decks_workspace(tmp_path / "ws")
    result = run("build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10", "--audience", "management")
    assert result.exit_code == 0, result.stderr
    deck = ws / "out" / "2026-10" / "management" / "sambrief-management-2026-10.pptx"
    assert deck.is_file() and (ws / "out" / "2026-10" / "manifest.json").is_file()
    assert f"sambrief: geschrieben: {deck}" in result.stdout
    assert result.stdout.endswith("sambrief: fertig, 1 Briefing, 1 Warnung\n")
    # documented behaviour (a theme without data in a briefing that still has findings) is information
    assert "Hinweis: management: cloud_sprawl:" in result.stderr


@pytest.mark.slow
def test_quiet_prints_only_warnings(tmp_path: Path):
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": GOOD_CSV})
    result = run("build", "--config", str(ws / "sambrief.yaml"), "--quiet")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Warnung: sources[1]: keine Datei passt zu data/*.xlsx\n" in result.stderr
    assert "Hinweis:" not in result.stderr


@pytest.mark.slow
def test_failed_build_leaves_previous_outputs(tmp_path: Path):
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": GOOD_CSV})
    assert run("build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10").exit_code == 0
    deck = ws / "out" / "2026-10" / "management" / "sambrief-management-2026-10.pptx"
    before = deck.read_bytes()
    (ws / "data" / "broken.csv").write_text(
        "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf\nA;B;zwölf;3\n", encoding="utf-8"
    )
    result = run("build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10")
    assert result.exit_code == 1
    assert deck.read_bytes() == before
    assert not [p.name for p in deck.parent.iterdir() if p.name.startswith(".")]  # no temporary files left


@pytest.mark.slow
def test_python_dash_m_and_no_traceback_for_user_errors(tmp_path: Path):
    proc = subprocess.run([sys.executable, "-m", "sambrief", "build"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: no sambrief.yaml")
    assert "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "sambrief", "build", "--debug"], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 1 and "Traceback" in proc.stderr


def test_audiences_command(tmp_path: Path):
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {})
    result = run("audiences", "--config", str(ws / "sambrief.yaml"))
    assert result.exit_code == 0
    assert (
        "management: Lizenzmanagement – Lagebild für die Geschäftsführung [de] Themen: risk, cloud_sprawl, successes, opportunities, open_issues, renewals; höchstens 11 Folien"
        in result.stdout
    )


def test_tab_completion_knows_the_workspace(tmp_path: Path):
    """Audiences, departments, periods and figure keys complete from the workspace, as bash asks."""
    import os
    import subprocess

    from conftest import copy_example

    from sambrief.commands.build import BuildRequest, build

    # The example built for October: IT's deck charts the departments the history then knows (the
    # completion reads the workspace, never the outputs, so the deck is all it renders).
    ws = decks_only(copy_example(tmp_path / "ws"))
    build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", audience="it"))

    def asked(words: str) -> dict[str, str]:
        return {
            "_SAMBRIEF_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }

    def complete(words: str) -> list[str]:  # in this process: the same code as below, without importing it again
        result = runner.invoke(app, [], env=asked(words), prog_name="sambrief")
        return result.stdout.split()

    # once as bash asks: the installed command in a process of its own
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("sambrief"))],
        cwd=ws,
        env={**os.environ, **asked("sambrief build --audience ")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.split() == ["all", "business", "it", "itsm", "management"]
    old = os.getcwd()
    os.chdir(ws)
    try:
        assert complete("sambrief build --audience ") == ["all", "business", "it", "itsm", "management"]
        assert complete("sambrief deliver --audience ma") == ["management"]
        assert complete("sambrief build --period 2026-") == ["2026-10", "2026-09", "2026-08"]
        assert complete("sambrief build --department V") == ["Vertrieb"]
        assert complete("sambrief explain cloud_sprawl.seats_id") == [
            "cloud_sprawl.seats_idle",
            "cloud_sprawl.seats_idle_change",
        ]
        assert complete("sambrief history forget 2026-1") == ["2026-10"]
    finally:
        os.chdir(old)
