"""Blocked actions are named with what blocks them: on the open-work slide, in the balance and
on the one-pager, so that a sponsor sees what they can unblock. The "blocked by" column is
untrusted free text: a cell that names a person never reaches an output."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from briefing.drafting import deck_of, draft_of, rendered
from conftest import MINIMAL_CONFIG, write_workspace
from openpyxl import load_workbook
from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pypdf import PdfReader

from sambrief.commands.build import BuildRequest, Draft, build
from sambrief.commands.init import REGISTERS, register_workbook
from sambrief.ingest.privacy import names_a_person

LICENCES = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nA;Alpha;10;12;100,00\n"
AUDIENCE = """\
audiences:
  management:
    title: {de: Lagebild, en: Status}
    themes: [risk, open_issues]
    max_slides: 6
"""


def _workspace(tmp_path: Path, rows: list[list[object]], language: str = "de", config: str = MINIMAL_CONFIG) -> Path:
    return write_workspace(
        tmp_path / "ws",
        config.replace("language: de", f"language: {language}"),
        {"data/lizenzen.csv": LICENCES, "data/actions.xlsx": register_workbook("actions", language, rows)},
        AUDIENCE.replace("title:", f"language: {language}\n    title:"),
    )


def _build(tmp_path: Path, rows: list[list[object]], language: str = "de", config: str = MINIMAL_CONFIG):
    """Every output built and written: for a test that reads them all."""
    ws = _workspace(tmp_path, rows, language, config)
    return build(BuildRequest(config=ws / "sambrief.yaml", audience="management", period="2026-10"))


def _drafted(ws: Path) -> tuple[Draft, Deck]:
    """The management briefing as the build composes it, and its deck as the build renders it
    (nothing else rendered, nothing written)."""
    result = draft_of(ws, audience="management", period="2026-10")
    return result, deck_of(ws, result.briefings[0])


def _deck(prs: Deck) -> tuple[list[tuple[str, str]], str]:
    """(title, body text) per slide, and the speaker notes of the whole deck."""
    slides = []
    for slide in prs.slides:
        texts = [
            p.text.removeprefix("• ")
            for shape in slide.shapes
            if shape.has_text_frame and shape != slide.shapes.title
            for p in shape.text_frame.paragraphs
        ]
        slides.append((slide.shapes.title.text if slide.shapes.title else "", "\n".join(texts)))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    return slides, notes


def _slide(slides: list[tuple[str, str]], start: str) -> tuple[str, str]:
    return next(s for s in slides if s[0].startswith(start))


def test_blocked_actions_are_named_with_their_blocker_on_slide_balance_and_onepager(tmp_path: Path):
    ws = _workspace(
        tmp_path,
        [
            [
                "M-01",
                "Austrittsprozess automatisieren",
                "Cloud-Lizenzen",
                "blockiert",
                "Betriebsvereinbarung (Betriebsrat)",
                "IT-Service-Management",
                date(2026, 9, 30),
                None,
                None,
            ],
            [
                "M-02",
                "Acrobat-Bedarf abgleichen",
                "Lizenzrisiko",
                "blockiert",
                None,
                "IT-Einkauf",
                date(2026, 12, 15),
                None,
                None,
            ],
            [
                "M-03",
                "Alpha nachkaufen",
                "Lizenzrisiko",
                "offen",
                None,
                "Lizenzmanagement",
                date(2026, 11, 30),
                "Alpha",
                None,
            ],
        ],
    )
    result, deck = _drafted(ws)
    slides, notes = _deck(deck)
    title, body = _slide(slides, "3 Maßnahmen sind offen")
    assert "2 blockiert" in title
    # Overdue by 31 days on 31.10.2026; named first, with what it waits for.
    lines = body.splitlines()
    assert (
        "Wartet auf Betriebsvereinbarung (Betriebsrat): „Austrittsprozess automatisieren“ – seit 31 Tagen überfällig"
        in lines
    )
    assert "Blockiert, Blocker nicht angegeben: „Acrobat-Bedarf abgleichen“" in lines
    _, balance = _slide(slides, "Bilanz")
    remaining = balance.split("Offen\n", 1)[1].splitlines()
    assert (
        remaining[1]
        == "2 Maßnahmen sind blockiert, sie warten auf: Betriebsvereinbarung (Betriebsrat) (bei einer Blocker nicht angegeben)"
    )
    assert (
        "– M-01 Austrittsprozess automatisieren · IT-Service-Management · blockiert (wartet auf Betriebsvereinbarung (Betriebsrat)) · 30.09.2026"
        in notes
    )
    page = rendered(ws, result.briefings[0], "onepager").files["onepager.html"].decode("utf-8")
    assert "Wartet auf Betriebsvereinbarung (Betriebsrat)" in page and "Blocker nicht angegeben" in page
    assert not result.warnings or all("Blockiert durch" not in w for w in result.warnings)


def test_one_blocked_action_leads_the_balance_by_name(tmp_path: Path):
    ws = _workspace(
        tmp_path,
        [
            [
                "M-01",
                "Austrittsprozess automatisieren",
                "Cloud-Lizenzen",
                "blockiert",
                "Budgetfreigabe 2027 (Finanzen)",
                "IT-Service-Management",
                date(2026, 12, 31),
                None,
                None,
            ],
            [
                "M-02",
                "Alpha nachkaufen",
                "Lizenzrisiko",
                "offen",
                None,
                "Lizenzmanagement",
                date(2026, 9, 30),
                "Alpha",
                None,
            ],
        ],
    )
    slides, _ = _deck(_drafted(ws)[1])
    _, balance = _slide(slides, "Bilanz")
    remaining = balance.split("Offen\n", 1)[1].splitlines()
    assert remaining[1] == "Wartet auf Budgetfreigabe 2027 (Finanzen): „Austrittsprozess automatisieren“"
    title, body = _slide(slides, "2 Maßnahmen sind offen")
    assert title.startswith("2 Maßnahmen sind offen, eine überfällig, eine blockiert")
    # The overdue action is another one: it keeps its own bullet.
    assert "Am längsten überfällig: „Alpha nachkaufen“ (seit 31 Tagen)" in body.splitlines()


# Every output of a build is read (the PDFs too): one form of a person in the fast tier, the others in the
# slow tier (test_person_forms checks each form where it is decided).
@pytest.mark.parametrize(
    "blocker",
    [
        "Frau Schmidt (Einkauf)",
        pytest.param("k.schmidt@firma.example", marks=pytest.mark.slow),
        pytest.param("Dr. Schmidt", marks=pytest.mark.slow),
    ],
)
def test_a_blocker_that_names_a_person_is_never_published(tmp_path: Path, blocker: str):
    result = _build(
        tmp_path,
        [
            [
                "M-07",
                "Austrittsprozess automatisieren",
                "Cloud-Lizenzen",
                "blockiert",
                blocker,
                "IT-Service-Management",
                date(2026, 12, 31),
                None,
                None,
            ],
        ],
    )
    slides, notes = _deck(Presentation(next(p for p in result.written if p.suffix == ".pptx")))
    _, body = _slide(slides, "Eine Maßnahme ist offen")
    assert (
        "Blockiert, Blocker nicht veröffentlicht (Personenbezug): „Austrittsprozess automatisieren“"
        in body.splitlines()
    )
    for path in result.written:
        if path.suffix == ".pptx":
            continue
        text = (
            "".join(page.extract_text() for page in PdfReader(str(path)).pages)
            if path.suffix == ".pdf"
            else path.read_text("utf-8")
        )
        assert "schmidt" not in text.casefold(), path.name
    assert "schmidt" not in notes.casefold()
    assert "schmidt" not in json.dumps([s[1] for s in slides]).casefold()
    warning = next(w for w in result.warnings if "Blockiert durch" in w)
    assert "actions.xlsx" in warning and "M-07" in warning and "Schmidt" not in warning


def test_english_register_and_wording(tmp_path: Path):
    ws = _workspace(
        tmp_path,
        [
            [
                "A-01",
                "Automate the leaver process",
                "Cloud seats",
                "blocked",
                "works agreement (works council)",
                "IT service management",
                date(2026, 12, 31),
                None,
                None,
            ],
            [
                "A-02",
                "Review Acrobat demand",
                "Licence risk",
                "blocked",
                "",
                "IT procurement",
                date(2026, 12, 15),
                None,
                None,
            ],
            ["A-03", "Buy Alpha", "Licence risk", "open", "", "SAM team", date(2026, 11, 30), "Alpha", None],
        ],
        language="en",
    )
    slides, _ = _deck(_drafted(ws)[1])
    title, body = _slide(slides, "3 actions are open")
    assert "2 blocked" in title
    assert "Blocked, blocker not stated: “Review Acrobat demand”" in body.splitlines()
    assert "Waiting for works agreement (works council): “Automate the leaver process”" in body.splitlines()


def test_many_blocked_actions_share_one_bullet_naming_each_blocker_once(tmp_path: Path):
    rows: list[list[object]] = [
        [
            f"M-0{i}",
            f"Maßnahme {i}",
            "Lizenzrisiko",
            "blockiert",
            blocker,
            "Lizenzmanagement",
            date(2026, 12, i),
            None,
            None,
        ]
        for i, blocker in enumerate(
            ["Budgetfreigabe 2027 (Finanzen)", "Budgetfreigabe 2027 (Finanzen)", "Entscheidung der IT-Leitung"], 1
        )
    ]
    slides, _ = _deck(_drafted(_workspace(tmp_path, rows))[1])
    _, body = _slide(slides, "3 Maßnahmen sind offen")
    assert (
        "3 Maßnahmen sind blockiert, sie warten auf: Budgetfreigabe 2027 (Finanzen), Entscheidung der IT-Leitung"
        in body.splitlines()
    )


def test_a_register_without_the_column_says_the_blocker_is_not_stated(tmp_path: Path):
    ws = write_workspace(
        tmp_path / "ws",
        MINIMAL_CONFIG,
        {
            "data/lizenzen.csv": LICENCES,
            "data/massnahmen.csv": "Nr.;Maßnahme;Status;Fällig am\n1;Prozess klären;blockiert;15.12.2026\n2;Alpha;offen;30.11.2026\n",
        },
        AUDIENCE,
    )
    slides, _ = _deck(_drafted(ws)[1])
    _, body = _slide(slides, "2 Maßnahmen sind offen")
    assert "Blockiert, Blocker nicht angegeben: „Prozess klären“" in body.splitlines()


@pytest.mark.parametrize("language", ["de", "en"])
def test_init_register_has_the_blocked_by_column_and_says_it_must_not_name_a_person(language: str):
    spec = REGISTERS["actions"][language]
    header = {"de": "Blockiert durch", "en": "Blocked by"}[language]
    wb = load_workbook(io.BytesIO(register_workbook("actions", language)))
    assert header in [c.value for c in wb[spec["sheet"]][1]]
    help_text = " ".join(str(row[0]) for row in wb.worksheets[0].iter_rows(values_only=True) if row[0])
    assert header in help_text
    assert {"de": "nie eine Person (Betriebsrat)", "en": "never a person (works council)"}[language] in help_text


def test_a_row_for_another_column_order_is_refused():
    with pytest.raises(ValueError, match="8 cells"):
        register_workbook("actions", "de", [["M-01", "Titel", "Lizenzrisiko", "offen", "Rolle", None, None, None]])


def test_person_forms():
    texts = [
        "Frau Schmidt",
        "Herrn Meier",
        "Dr. Weber",
        "Mr Smith",
        "a.b@x.example",
        "@jdoe",
        "Budgetfreigabe 2027 (Finanzen)",
        "Frauenförderplan",
        "Betriebsvereinbarung (Betriebsrat)",
        "MS Teams",
        None,
    ]
    assert names_a_person(texts).tolist() == [True] * 6 + [False] * 5


def test_a_blocked_action_overdue_less_long_than_the_oldest_states_no_number_that_is_no_figure(tmp_path: Path):
    ws = _workspace(
        tmp_path,
        [
            [
                "M-01",
                "Alpha nachkaufen",
                "Lizenzrisiko",
                "offen",
                None,
                "Lizenzmanagement",
                date(2026, 9, 30),
                "Alpha",
                None,
            ],
            [
                "M-02",
                "Austrittsprozess automatisieren",
                "Cloud-Lizenzen",
                "blockiert",
                "Budgetfreigabe 2027 (Finanzen)",
                "IT-Service-Management",
                date(2026, 10, 20),
                None,
                None,
            ],
        ],
    )
    slides, _ = _deck(_drafted(ws)[1])
    _, body = _slide(slides, "2 Maßnahmen sind offen")
    lines = body.splitlines()
    assert "Wartet auf Budgetfreigabe 2027 (Finanzen): „Austrittsprozess automatisieren“ – überfällig" in lines
    assert "Am längsten überfällig: „Alpha nachkaufen“ (seit 31 Tagen)" in lines  # open_issues.oldest_overdue_days
