"""The Excel registers from `sambrief init`: people can fill them in without breaking a build."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.commands.build import BuildRequest, draft
from sambrief.commands.init import REGISTERS, register_workbook
from sambrief.ingest.datasets import ACTION_STATUSES, ACTION_THEMES, CHOICE_LABELS, SUCCESS_CATEGORIES

# The tests here read figures, notices, the pptx and the one-pager, never the deck's PDF.
pytestmark = pytest.mark.usefixtures("no_deck_pdf")

runner = CliRunner()


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("kind", ["successes", "actions", "budget", "contracts"])
def test_register_is_a_table_with_checks_and_formats(kind: str, language: str):
    spec = REGISTERS[kind][language]
    wb = load_workbook(io.BytesIO(register_workbook(kind, language)))
    sheet = wb[spec["sheet"]]
    assert wb.active.title == spec["sheet"]
    assert sheet.freeze_panes == "A2"
    (table,) = sheet.tables.values()
    assert table.ref.startswith("A1:") and table.autoFilter is not None
    assert [c.value for c in sheet[1]] == spec["headers"]
    validations = sheet.data_validations.dataValidation
    assert validations and all(v.showErrorMessage and v.errorStyle == "stop" for v in validations)
    lists = [v for v in validations if v.type == "list"]
    assert len(lists) == len(spec["lists"])
    expected = (
        "Bitte einen Wert aus der Liste wählen: " if language == "de" else "Please choose a value from the list: "
    )
    assert all(v.error.startswith(expected) for v in lists)
    for header in spec["headers"]:
        cell = sheet.cell(2, spec["headers"].index(header) + 1)
        if header in ("Datum", "Date", "Fällig am", "Due date"):
            assert cell.number_format == ("DD.MM.YYYY" if language == "de" else "YYYY-MM-DD"), header
        elif "(EUR)" in header:
            assert cell.number_format == "#,##0.00", header
    instructions = wb.worksheets[0]
    explained = {row[0]: row[1] for row in instructions.iter_rows(values_only=True) if len(row) > 1 and row[1]}
    assert set(spec["headers"]) <= set(explained)


def test_german_drop_downs_show_localised_labels_that_map_back():
    wb = load_workbook(io.BytesIO(register_workbook("actions", "de")))
    lists = wb["Listen"]
    assert [c.value for c in lists["B"][1:9]] == [
        "Lizenzrisiko",
        "Cloud-Lizenzen",
        "Erfolge",
        "Offene Punkte",
        "Chancen",
        "Software-Lebenszyklus",
        "Beschaffung",
        "Budget",
    ]
    for field, accepted in (("category", SUCCESS_CATEGORIES), ("status", ACTION_STATUSES), ("theme", ACTION_THEMES)):
        for canonical, labels in CHOICE_LABELS[field].items():
            for label in labels.values():
                assert label.casefold() in accepted[canonical], (field, label)


def test_register_filled_with_german_labels_builds(tmp_path: Path):
    ws = tmp_path / "sam"
    assert runner.invoke(app, ["init", str(ws), "--organisation", "Beispiel AG"]).exit_code == 0
    (ws / "data" / "successes.xlsx").write_bytes(
        register_workbook(
            "successes",
            "de",
            [
                [date(2026, 3, 5), "Adobe-Vertrag auf Named User umgestellt", "Einsparung", 38400, None, None],
                [date(2026, 9, 12), "Visio-Lizenzen wiederverwendet", "Rückgewinnung", 9900.5, None, None],
            ],
        )
    )
    (ws / "data" / "actions.xlsx").write_bytes(
        register_workbook(
            "actions",
            "de",
            [
                [
                    "M-01",
                    "Nachlizenzierung klären",
                    "Lizenzrisiko",
                    "in Arbeit",
                    None,
                    "Lizenzmanagement",
                    date(2026, 9, 30),
                    None,
                    None,
                ],
                [
                    "M-02",
                    "Ungenutzte Cloud-Lizenzen zurückholen",
                    "Cloud-Lizenzen",
                    "offen",
                    None,
                    "IT-Betrieb",
                    date(2026, 12, 15),
                    None,
                    None,
                ],
                [
                    "M-03",
                    "Prozess dokumentieren",
                    "Offene Punkte",
                    "erledigt",
                    None,
                    "Lizenzmanagement",
                    date(2026, 8, 1),
                    None,
                    None,
                ],
            ],
        )
    )
    (ws / "data" / "bilanz.csv").write_text(
        "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\n", encoding="utf-8"
    )
    # reads the figures only: drafted as `build --audience management` composes them, nothing rendered
    [briefing] = draft(BuildRequest(config=ws / "sambrief.yaml", audience="management", period="2026-10")).briefings
    figures = briefing.figures
    assert figures["successes.savings_ytd"] == 48300.5
    assert figures["successes.items_ytd"] == 2
    assert (figures["open_issues.open"], figures["open_issues.overdue"], figures["open_issues.done"]) == (2, 1, 1)


@pytest.mark.parametrize(("typed", "meant"), [("ofen", "offen"), ("fertig", None), ("abgeschlossen", None)])
def test_a_value_outside_the_drop_down_is_refused_in_the_registers_own_words(
    tmp_path: Path, typed: str, meant: str | None
):
    """The error lists the values as the drop-down shows them (never the internal keys), and a
    synonym the list does not offer ('fertig') is refused, not silently taken as done."""
    from sambrief.ingest.canonical import SourcePin, load_source
    from sambrief.ingest.privacy import Pseudonymiser

    path = tmp_path / "actions.xlsx"
    path.write_bytes(
        register_workbook(
            "actions",
            "de",
            [
                [
                    "M-01",
                    "Nachlizenzierung klären",
                    "Lizenzrisiko",
                    "in Arbeit",
                    None,
                    "Lizenzmanagement",
                    date(2026, 9, 30),
                    None,
                    None,
                ],
                [
                    "M-02",
                    "Cloud-Lizenzen zurückholen",
                    "Cloud-Lizenzen",
                    typed,
                    None,
                    "IT-Betrieb",
                    date(2026, 12, 15),
                    None,
                    None,
                ],
            ],
        )
    )
    with pytest.raises(Exception) as caught:
        load_source(path, SourcePin(), Pseudonymiser(b"k" * 32))
    message = str(caught.value)
    assert "column 'Status'" in message and "row 3" in message and repr(typed) in message
    assert "offen, in Arbeit, blockiert, erledigt" in message
    assert "in_progress" not in message
    assert (f"did you mean {meant!r}?" in message) if meant else ("did you mean" not in message)
