"""`sambrief init`: a new workspace with commented config and the register workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sambrief.errors import SambriefError
from sambrief.privacy import create_key

# Register workbooks: headers, drop-down lists and instructions per language.
REGISTERS: dict[str, dict[str, Any]] = {
    "successes": {
        "de": {
            "file": "successes.xlsx",
            "sheet": "Erfolge",
            "headers": ["Datum", "Erfolg", "Kategorie", "Betrag (EUR)", "Zielgruppen", "Notiz"],
            "lists": {"Kategorie": ["Einsparung", "Rückgewinnung", "Audit", "Prozess", "Sonstiges"]},
            "widths": [12, 60, 16, 14, 22, 50],
            "help": [
                "Erfolgsregister des Lizenzmanagements",
                "Eine Zeile je Ergebnis: Datum, was erreicht wurde (ein Satz), Kategorie aus der Liste, eingesparter Betrag.",
                "Zielgruppen: leer = alle, sonst z. B. management, itsm, business, it (durch Komma getrennt).",
                "Keine Personennamen eintragen: Die Briefings müssen ohne Personenbezug auskommen (Betriebsrat).",
                "Die Datei liegt in data/ und wird bei jedem `sambrief build` gelesen.",
            ],
        },
        "en": {
            "file": "successes.xlsx",
            "sheet": "Successes",
            "headers": ["Date", "Success", "Category", "Amount (EUR)", "Audiences", "Note"],
            "lists": {"Category": ["savings", "harvest", "audit", "process", "other"]},
            "widths": [12, 60, 16, 14, 22, 50],
            "help": [
                "Successes register of the SAM team",
                "One row per result: date, what was achieved (one sentence), category from the list, amount saved.",
                "Audiences: empty = all, else e.g. management, itsm, business, it (comma-separated).",
                "Never enter a person's name: briefings must not identify anyone (works council).",
                "The file lives in data/ and is read by every `sambrief build`.",
            ],
        },
    },
    "actions": {
        "de": {
            "file": "actions.xlsx",
            "sheet": "Maßnahmen",
            "headers": ["Nr.", "Maßnahme", "Thema", "Status", "Verantwortliche Rolle", "Fällig am", "Produkt", "Zielgruppen"],
            "lists": {
                "Status": ["offen", "in Arbeit", "blockiert", "erledigt"],
                "Thema": ["risk", "cloud_sprawl", "successes", "open_issues"],
            },
            "widths": [8, 60, 14, 12, 26, 12, 30, 22],
            "help": [
                "Maßnahmenregister (offene Punkte) des Lizenzmanagements",
                "Eine Zeile je Maßnahme; Status aus der Liste; Fälligkeit als Datum.",
                "Verantwortliche Rolle: eine Rolle (z. B. Lizenzmanagement, IT-Einkauf), nie ein Personenname.",
                "Produkt: wenn die Maßnahme eine Unterdeckung behebt, den Produktnamen wie in der Lizenzbilanz.",
                "Die Datei liegt in data/ und wird bei jedem `sambrief build` gelesen.",
            ],
        },
        "en": {
            "file": "actions.xlsx",
            "sheet": "Actions",
            "headers": ["ID", "Action", "Theme", "Status", "Owner role", "Due date", "Product", "Audiences"],
            "lists": {
                "Status": ["open", "in progress", "blocked", "done"],
                "Theme": ["risk", "cloud_sprawl", "successes", "open_issues"],
            },
            "widths": [8, 60, 14, 12, 26, 12, 30, 22],
            "help": [
                "Actions register (open issues) of the SAM team",
                "One row per action; status from the list; due date as a date.",
                "Owner role: a role (e.g. SAM team, IT procurement), never a person's name.",
                "Product: when the action closes a licence gap, the product name as in the licence position.",
                "The file lives in data/ and is read by every `sambrief build`.",
            ],
        },
    },
}


def register_workbook(kind: str, language: str, rows: list[list[Any]] | None = None) -> bytes:
    """The register as an .xlsx: header row, drop-down lists, an instruction sheet."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    spec = REGISTERS[kind][language]
    wb = Workbook()
    ws = wb.active
    ws.title = spec["sheet"]
    ws.append(spec["headers"])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F5A8C")
    for i, width in enumerate(spec["widths"]):
        ws.column_dimensions[chr(65 + i)].width = width
    ws.freeze_panes = "A2"
    lists = wb.create_sheet("Listen" if language == "de" else "Lists")
    for col, (header, values) in enumerate(spec["lists"].items()):
        letter = chr(65 + col)
        lists[f"{letter}1"] = header
        for row, value in enumerate(values, start=2):
            lists[f"{letter}{row}"] = value
        target = chr(65 + spec["headers"].index(header))
        validation = DataValidation(
            type="list", formula1=f"='{lists.title}'!${letter}$2:${letter}${len(values) + 1}", allow_blank=True
        )
        validation.error = ", ".join(values)
        ws.add_data_validation(validation)
        validation.add(f"{target}2:{target}1000")
    date_cols = [i for i, h in enumerate(spec["headers"]) if h in ("Datum", "Date", "Fällig am", "Due date")]
    for row in rows or []:
        ws.append(row)
    for col in date_cols:
        for cell in ws[chr(65 + col)][1:]:
            cell.number_format = "DD.MM.YYYY" if language == "de" else "YYYY-MM-DD"
    info = wb.create_sheet("Anleitung" if language == "de" else "Instructions", 0)
    for line in spec["help"]:
        info.append([line])
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 110
    wb.active = 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


REGISTERS["budget"] = {
    "de": {
        "file": "budget.xlsx",
        "sheet": "Budget",
        "headers": ["Kostenstelle", "Kategorie", "Budget (EUR)", "Ist (EUR)", "Obligo (EUR)"],
        "lists": {"Kategorie": ["Lizenzen", "Abonnements", "Wartung", "Dienstleistung"]},
        "widths": [28, 18, 16, 16, 16],
        "help": [
            "Software-Budget je Kostenstelle und Kategorie",
            "Budget: Jahresbudget; Ist: bisher gebucht; Obligo: bestellt, aber noch nicht berechnet.",
            "sambrief zeigt die Ausschöpfung, Bereiche über Budget und eine lineare Hochrechnung zum Jahresende.",
            "Die Datei liegt in data/ und wird bei jedem `sambrief build` gelesen.",
        ],
    },
    "en": {
        "file": "budget.xlsx",
        "sheet": "Budget",
        "headers": ["Cost centre", "Category", "Budget (EUR)", "Actual (EUR)", "Committed (EUR)"],
        "lists": {"Category": ["licences", "subscriptions", "maintenance", "services"]},
        "widths": [28, 18, 16, 16, 16],
        "help": [
            "Software budget per cost centre and category",
            "Budget: for the year; Actual: booked so far; Committed: ordered but not yet invoiced.",
            "sambrief shows consumption, areas over budget and a linear forecast to year end.",
            "The file lives in data/ and is read by every `sambrief build`.",
        ],
    },
}

CONFIG_TEMPLATE = {
    "de": """\
# sambrief-Arbeitsbereich. Relative Pfade gelten ab dieser Datei.
organisation: {organisation}
currency: EUR            # ISO-Code der Währung
language: de             # de oder en: Sprache der Briefings
contact:                 # erscheint auf der Schlussfolie: ein Team, keine Person
  team: Lizenzmanagement
  email: lizenzmanagement@example.com

# Exporte: Pfade oder Muster. sambrief erkennt Datensatz und Layout an den Spalten.
# Je Eintrag lassen sich dataset, layout, sheet und columns (Quellspalte: Feld) festlegen.
sources:
  - data/*.csv
  - data/*.xlsx

thresholds:
  inactive_days: 90      # Cloud-Lizenz gilt als ungenutzt nach so vielen Tagen ohne Aktivität
  # products:
  #   Microsoft 365 E5: {{inactive_days: 60}}

# Monatspreis je Cloud-Lizenz, für die Kosten ungenutzter Lizenzen
prices: {{}}
#  Microsoft 365 E3: 33.70

output: out              # Ausgabeordner: out/JJJJ-MM/<zielgruppe>/...
templates: templates     # eigene Vorlagen (deck.pptx) haben Vorrang vor den mitgelieferten
""",
    "en": """\
# sambrief workspace. Relative paths resolve against this file.
organisation: {organisation}
currency: EUR            # ISO currency code
language: en             # de or en: language of the briefings
contact:                 # shown on the closing slide: a team, not a person
  team: Software Asset Management
  email: sam@example.com

# Exports: paths or globs. sambrief detects dataset and layout from the columns.
# Each entry may pin dataset, layout, sheet and columns (source column: field).
sources:
  - data/*.csv
  - data/*.xlsx

thresholds:
  inactive_days: 90      # a cloud seat counts as unused after this many days without activity
  # products:
  #   Microsoft 365 E5: {{inactive_days: 60}}

# Monthly price of one seat per cloud product, for the cost of unused seats
prices: {{}}
#  Microsoft 365 E3: 33.70

output: out              # output folder: out/YYYY-MM/<audience>/...
templates: templates     # your own templates (deck.pptx) win over the packaged ones
""",
}

def audiences_template(language: str) -> str:
    """The packaged default audiences, in the workspace's language, with a comment on each key."""
    from importlib import resources

    text = (resources.files("sambrief") / "defaults" / "audiences.yaml").read_text("utf-8")
    head = (
        "# Zielgruppen: je Zielgruppe Titel, Sprache, Einleitung, Themen in Reihenfolge, Folienzahl\n"
        "# (inkl. Titel, Kernaussagen, Bilanz, Schluss), Länge der Top-Listen; optional\n"
        "# filter: {department: Vertrieb} für ein Abteilungs-Briefing.\n"
        if language == "de"
        else "# Audiences: per audience title, language, intro, ordered themes, slide limit (including\n"
        "# title, key points, balance, closing), top-list length; optionally\n"
        "# filter: {department: Sales} for a departmental briefing.\n"
    )
    body = text.split("\n", 1)[1].replace("    language: de\n", f"    language: {language}\n")
    return head + body


NEWS_TEMPLATE = {
    "de": """\
# News-Flash: aktuelle Meldungen für die Briefings (und die Intranetseite).
# date: ab wann; valid_until: bis wann (leer = unbegrenzt); audiences: leer = alle.
items: []
#  - date: 2026-10-01
#    title: Neuer Antragsweg für Software
#    text: Software-Anträge laufen ab sofort über den Servicekatalog.
#    audiences: [business, itsm]
#    valid_until: 2026-12-31
""",
    "en": """\
# News flash: current items for the briefings (and the intranet page).
# date: from when; valid_until: until when (empty = no end); audiences: empty = all.
items: []
#  - date: 2026-10-01
#    title: New way to request software
#    text: Software requests now go through the service catalogue.
#    audiences: [business, itsm]
#    valid_until: 2026-12-31
""",
}


INTRANET_TEMPLATE = {
    "de": """\
# Feste Informationsblöcke der SAM-Intranetseite (ab und zu bitte aktualisieren).
# Text: Absätze durch Leerzeilen getrennt, Listen mit "- ", **fett**, [Links](https://...).
blocks:
  - title: Was das Lizenzmanagement tut
    text: |
      Das Lizenzmanagement sorgt dafür, dass wir Software rechtssicher und wirtschaftlich nutzen.
  - title: Aufgaben und Ziele
    text: |
      - Lizenzbilanz aktuell halten
      - Cloud-Lizenzen nach Nutzung zuweisen
      - Software-Anträge zügig bearbeiten
  - title: Organisation und Prozesse
    text: |
      Software wird über den Servicekatalog beantragt und von Führungskraft und Budgetverantwortlichen freigegeben.
  - title: Regeln und Verfahren
    text: |
      - Software nur aus dem Servicekatalog installieren
      - Nicht mehr benötigte Lizenzen zurückgeben
""",
    "en": """\
# Standing blocks of the SAM intranet page (update now and then).
# Text: paragraphs separated by blank lines, "- " list items, **bold**, [links](https://...).
blocks:
  - title: What software asset management does
    text: |
      Software asset management makes sure we use software lawfully and economically.
  - title: Tasks and goals
    text: |
      - Keep the licence position up to date
      - Assign cloud seats by use
      - Handle software requests quickly
  - title: Organisation and processes
    text: |
      Software is requested in the service catalogue and approved by the manager and the budget owner.
  - title: Rules and procedures
    text: |
      - Install software only from the service catalogue
      - Hand back licences you no longer need
""",
}


CONCEPT_TEMPLATE = {
    "de": """\
# Freitext des Konzepts für internes Marketing (`sambrief plan`): Ziele und Unterstützer.
goals:
  de:
    - Die Geschäftsführung kennt jeden Monat Risiko, Ergebnisse und Chancen des Lizenzmanagements
    - Die Fachbereiche verstehen, warum ein Software-Antrag so lange dauert, wie er dauert
supporters:
  communications: {de: Unternehmenskommunikation, en: Corporate communications}
  works_council: {de: Betriebsrat, en: Works council}
schedule_day: 3   # Tag im Monat, an dem die Briefings erscheinen
""",
    "en": """\
# Free text of the internal-marketing concept (`sambrief plan`): goals and supporters.
goals:
  en:
    - The management knows risk, results and opportunities of SAM every month
    - The business understands why a software request takes as long as it does
supporters:
  communications: {de: Unternehmenskommunikation, en: Corporate communications}
  works_council: {de: Betriebsrat, en: Works council}
schedule_day: 3   # day of the month the briefings come out
""",
}


def scaffold(directory: Path, language: str = "de", organisation: str | None = None) -> list[Path]:
    config = directory / "sambrief.yaml"
    if config.exists():
        raise SambriefError(f"{config} already exists; choose an empty folder for the new workspace")
    organisation = organisation or ("Muster GmbH" if language == "de" else "Example Ltd")
    files: dict[Path, bytes] = {
        config: CONFIG_TEMPLATE[language].format(organisation=_yaml_text(organisation)).encode("utf-8"),
        directory / "audiences.yaml": audiences_template(language).encode("utf-8"),
        directory / "data" / "successes.xlsx": register_workbook("successes", language),
        directory / "data" / "actions.xlsx": register_workbook("actions", language),
        directory / "data" / "budget.xlsx": register_workbook("budget", language),
        directory / "news.yaml": NEWS_TEMPLATE[language].encode("utf-8"),
        directory / "intranet.yaml": INTRANET_TEMPLATE[language].encode("utf-8"),
        directory / "concept.yaml": CONCEPT_TEMPLATE[language].encode("utf-8"),
    }
    (directory / "templates").mkdir(parents=True, exist_ok=True)
    created = []
    from sambrief.output import write_atomic

    try:
        for path, data in files.items():
            write_atomic(path, data)
            created.append(path)
        created.append(create_key(directory))
    except BaseException:
        for path in created:  # all or nothing: a rerun must not find a half workspace ("already exists")
            path.unlink(missing_ok=True)
        raise
    return created


def _yaml_text(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
