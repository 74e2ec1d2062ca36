"""Issue 14: warnings, information and the error label follow the workspace language (or
--lang); the level of a notice comes from its catalog key, never from its wording."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, write_workspace
from typer.testing import CliRunner
from vendor_fixtures import m365_active_users_csv

from sambrief.cli.app import app
from sambrief.i18n.levels import INFO, WARNING, split
from sambrief.i18n.notices import Notice

# The tests here read figures, notices, the pptx and the one-pager, never the deck's PDF.
pytestmark = pytest.mark.usefixtures("no_deck_pdf")

runner = CliRunner()
GOOD_CSV = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\n"
# Three themes with findings and room for none of them beside the four fixed slides.
TIGHT_AUDIENCES = """\
audiences:
  management:
    title: {de: Lagebild, en: Briefing}
    language: %s
    themes: [risk, opportunities, open_issues]
    max_slides: 4
"""
LEFT_OUT = "risk.exposure, opportunities.potential, open_issues.actions"


def run(cwd: Path, *args: str):
    old = os.getcwd()
    try:
        os.chdir(cwd)
        return runner.invoke(app, list(args))
    finally:
        os.chdir(old)


def workspace(tmp_path: Path, language: str, decks_only: bool = False) -> Path:
    """`decks_only`: the briefing makes only its deck (a test of messages that never reach a file)."""
    config = MINIMAL_CONFIG.replace("language: de", f"language: {language}")
    return write_workspace(
        tmp_path / language,
        config,
        {"data/l.csv": GOOD_CSV, "data/m365.csv": m365_active_users_csv()},
        TIGHT_AUDIENCES % language + ("    formats: [pptx]\n" if decks_only else ""),
    )


def test_a_german_workspace_prints_every_notice_in_german(tmp_path: Path):
    ws = workspace(tmp_path, "de")
    result = run(ws, "build", "--period", "2026-10")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"Hinweis: {ws / 'data' / 'm365.csv'}: 1 Zeile ausgelassen (gelöschter Benutzer)",
        "Warnung: sources[1]: keine Datei passt zu data/*.xlsx",
        f"Warnung: management: 3 Befunde weggelassen, um bei 4 Folien zu bleiben ({LEFT_OUT}); "
        "max_slides in audiences.yaml erhöhen, um sie zu zeigen",
    ]
    assert result.stdout.endswith("sambrief: fertig, 1 Briefing, 2 Warnungen\n")


def test_strict_fails_in_german_on_the_same_warnings_and_writes_nothing(tmp_path: Path):
    ws = workspace(tmp_path, "de", decks_only=True)
    result = run(ws, "build", "--period", "2026-10", "--strict")
    assert result.exit_code == 1
    assert result.stderr == (
        "Fehler: 2 Warnungen im strengen Modus (--strict), nichts geschrieben; "
        "erste: sources[1]: keine Datei passt zu data/*.xlsx\n"
    )
    assert not (ws / "out").exists()


def test_lang_en_prints_the_english_texts_in_a_german_workspace(tmp_path: Path):
    ws = workspace(tmp_path, "de")
    result = run(ws, "build", "--period", "2026-10", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"Note: {ws / 'data' / 'm365.csv'}: dropped 1 row (deleted user)",
        "Warning: sources[1]: no file matches data/*.xlsx",
        f"Warning: management: 3 findings left out to stay within 4 slides ({LEFT_OUT}); raise max_slides in audiences.yaml to show them",
    ]
    assert result.stdout.endswith("sambrief: done, 1 briefing, 2 warnings\n")


def test_an_english_workspace_checks_and_fails_strict_in_english(tmp_path: Path):
    ws = workspace(tmp_path, "en", decks_only=True)
    check = run(ws, "check")
    assert check.exit_code == 0
    assert check.stderr.splitlines() == [
        f"Note: {ws / 'data' / 'm365.csv'}: dropped 1 row (deleted user)",
        "Note: l.csv: no contract end column – which contracts end soon stays unknown",
        "Note: m365.csv: no export says which accounts are blocked – seats on blocked accounts stay unknown "
        "(add e.g. the Entra ID user list with accountEnabled)",
        "Note: prices: 4 cloud products have no price (Enterprise Mobility + Security E3, MICROSOFT 365 COPILOT, "
        "MICROSOFT 365 E3, MICROSOFT 365 E5); add their monthly price under prices: in sambrief.yaml",
        "Warning: prices.Produkt A: no export has this product, so it is not used",
        "Warning: prices.Produkt B: no export has this product, so it is not used",
        "Warning: sources[1]: no file matches data/*.xlsx",
    ]
    strict = run(ws, "build", "--period", "2026-10", "--strict")
    assert strict.exit_code == 1
    assert (
        strict.stderr
        == "Error: 2 warnings in strict mode, nothing written; first: sources[1]: no file matches data/*.xlsx\n"
    )


def test_error_label_follows_the_workspace_language(tmp_path: Path):
    ws = workspace(tmp_path, "de")
    (ws / "data" / "leer.csv").write_text("")
    result = run(ws, "check")
    assert result.exit_code == 1
    assert (
        result.stderr == f"Fehler: {ws / 'data' / 'leer.csv'}: die Datei ist leer; im Quellsystem erneut exportieren\n"
    )


def test_inspect_in_a_german_workspace_speaks_german(tmp_path: Path):
    ws = workspace(tmp_path, "de")
    lines = run(ws, "inspect", "data/m365.csv").stdout.splitlines()
    assert (
        lines[1]
        == "  Datensatz cloud_seats, Layout m365_active_users (Microsoft 365: Bericht Aktive Benutzer), Sicherheit 0,92"
    )  # its per-workload columns identify it
    assert "  Zeilen: 6 (5 gelesen; ausgelassen: gelöschter Benutzer: 1)" in lines
    # the exports that give a product's activity, by their German titles
    assert "  Aktivität von MICROSOFT 365 E3: Microsoft 365: Bericht Aktive Benutzer" in lines, lines


@pytest.mark.parametrize(
    ("notice", "de", "en"),
    [
        (
            Notice("bullets_shortened", INFO, where=Notice("slide", audience="management", slide=3), n=1),
            "management Folie 3: 1 Aufzählungspunkt gekürzt oder in die Notizen verschoben",
            "management slide 3: 1 bullet shortened or moved to the notes",
        ),
        (
            Notice("bullets_shortened", INFO, where=Notice("slide", audience="it", slide=5), n=2),
            "it Folie 5: 2 Aufzählungspunkte gekürzt oder in die Notizen verschoben",
            "it slide 5: 2 bullets shortened or moved to the notes",
        ),
        (
            Notice("onepager_shortened_by", INFO, audience="management", cuts=[Notice("cut_texts", n=2)]),
            "management Onepager: gekürzt, damit er auf eine Seite passt (2 Texte gekürzt)",
            "management one-pager: shortened to fit one page (2 texts shortened)",
        ),
        (
            Notice("dropped_rows", INFO, where="m365.csv", n=1234, reason=Notice("reason_no_field", field="product")),
            "m365.csv: 1.234 Zeilen ausgelassen (kein Wert in product)",
            "m365.csv: dropped 1,234 rows (no product)",
        ),
    ],
)
def test_notices_render_in_both_languages(notice: Notice, de: str, en: str):
    assert (notice.in_language("de"), notice.in_language("en"), str(notice)) == (de, en, en)


def test_levels_come_from_the_notice_not_its_wording():
    shortened = Notice("bullets_shortened", INFO, where=Notice("slide", audience="management", slide=3), n=2)
    missing = Notice("no_file_matches", where="sources[0]", pattern="data/*.csv")
    infos, warnings = split([shortened, missing, shortened.in_language("de")])
    assert infos == [shortened]
    # the German text alone is no notice any more: it cannot pass for information
    assert warnings == [missing, "management Folie 3: 2 Aufzählungspunkte gekürzt oder in die Notizen verschoben"]
    assert (shortened.level, missing.level) == (INFO, WARNING)


def test_did_you_mean_is_one_helper_for_every_unknown_word():
    from sambrief.i18n.notices import unknown
    from sambrief.text import closest

    assert closest("licences", ["license_position", "licenses", "risk"]) == ["licenses"]
    assert closest("OFEN", ["Offen", "Erledigt"], fold=True) == ["Offen"]  # compared case-folded, given as spelled
    assert closest("zzz", ["risk"]) == []
    near = unknown("cfg_unknown_theme", "rsik", ["risk", "trend"], value="'rsik'", known="risk, trend")
    assert (near.key, near.in_language("en")) == (
        "cfg_unknown_theme_near",
        "unknown theme 'rsik' (did you mean 'risk'? known: risk, trend)",
    )
    far = unknown("cfg_unknown_theme", "zzz", ["risk", "trend"], value="'zzz'", known="risk, trend")
    assert (far.key, str(far)) == ("cfg_unknown_theme", "unknown theme 'zzz' (known: risk, trend)")
