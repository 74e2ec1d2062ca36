"""`sambrief init`: a new workspace with commented config and the register workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sambrief.errors import SambriefError
from sambrief.ingest.privacy import create_key

# Register workbooks: headers, drop-down lists and instructions per language.
REGISTERS: dict[str, dict[str, Any]] = {
    "successes": {
        "de": {
            "file": "successes.xlsx",
            "sheet": "Erfolge",
            "headers": ["Datum", "Erfolg", "Kategorie", "Betrag (EUR)", "Zielgruppen", "Notiz"],
            "lists": {"Kategorie": "category"},
            "widths": [12, 60, 16, 14, 22, 50],
            "columns": [
                "Datum, an dem das Ergebnis erreicht wurde (TT.MM.JJJJ).",
                "Was erreicht wurde, in einem Satz; erscheint so auf der Folie.",
                "Art des Erfolgs: aus der Liste wählen.",
                "Eingesparter oder vermiedener Betrag in Euro; leer, wenn es keinen gibt.",
                "Leer = alle Zielgruppen, sonst z. B. management, itsm (durch Komma getrennt).",
                "Hintergrund für die Sprechernotizen; erscheint nicht auf der Folie.",
            ],
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
            "lists": {"Category": "category"},
            "widths": [12, 60, 16, 14, 22, 50],
            "columns": [
                "Date the result was achieved (YYYY-MM-DD).",
                "What was achieved, in one sentence; shown on the slide as written.",
                "Kind of success: choose from the list.",
                "Amount saved or avoided, in EUR; empty where there is none.",
                "Empty = all audiences, else e.g. management, itsm (comma-separated).",
                "Background for the speaker notes; never shown on the slide.",
            ],
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
            "headers": ["Nr.", "Maßnahme", "Thema", "Status", "Blockiert durch", "Verantwortliche Rolle", "Fällig am", "Produkt",
                        "Zielgruppen"],
            "lists": {"Status": "status", "Thema": "theme"},
            "widths": [8, 60, 22, 12, 36, 26, 12, 30, 22],
            "columns": [
                "Eigene Nummer der Maßnahme, z. B. M-01.",
                "Was zu tun ist, in einem Satz; erscheint so auf der Folie.",
                "Thema des Briefings, zu dem die Maßnahme gehört: aus der Liste wählen.",
                "Stand der Maßnahme: aus der Liste wählen.",
                "Nur bei Status blockiert: worauf die Maßnahme wartet, als Entscheidung oder Organisationseinheit "
                "(z. B. „Budgetfreigabe 2027 (Finanzen)“), nie ein Personenname; erscheint auf der Folie.",
                "Verantwortliche Rolle, nie ein Personenname.",
                "Fälligkeitsdatum (TT.MM.JJJJ); überfällige Maßnahmen werden hervorgehoben.",
                "Produktname wie in der Lizenzbilanz, wenn die Maßnahme eine Unterdeckung behebt.",
                "Leer = alle Zielgruppen, sonst z. B. management, itsm (durch Komma getrennt).",
            ],
            "help": [
                "Maßnahmenregister (offene Punkte) des Lizenzmanagements",
                "Eine Zeile je Maßnahme; Status aus der Liste; Fälligkeit als Datum.",
                "Verantwortliche Rolle: eine Rolle (z. B. Lizenzmanagement, IT-Einkauf), nie ein Personenname.",
                "Blockiert durch: Die Briefings nennen blockierte Maßnahmen mit dem, was sie aufhält – damit die "
                "Geschäftsführung sieht, was sie freigeben kann. Eine Entscheidung oder Organisationseinheit eintragen "
                "(z. B. „Betriebsvereinbarung (Betriebsrat)“, „Budgetfreigabe 2027 (Finanzen)“), nie eine Person "
                "(Betriebsrat): Ein Eintrag, der eine Person zu nennen scheint (Anrede, E-Mail-Adresse), wird nicht "
                "veröffentlicht und als Warnung gemeldet.",
                "Produkt: wenn die Maßnahme eine Unterdeckung behebt, den Produktnamen wie in der Lizenzbilanz.",
                "Die Datei liegt in data/ und wird bei jedem `sambrief build` gelesen.",
            ],
        },
        "en": {
            "file": "actions.xlsx",
            "sheet": "Actions",
            "headers": ["ID", "Action", "Theme", "Status", "Blocked by", "Owner role", "Due date", "Product", "Audiences"],
            "lists": {"Status": "status", "Theme": "theme"},
            "widths": [8, 60, 22, 12, 36, 26, 12, 30, 22],
            "columns": [
                "Your reference for the action, e.g. A-01.",
                "What needs doing, in one sentence; shown on the slide as written.",
                "Briefing theme the action belongs to: choose from the list.",
                "State of the action: choose from the list.",
                "Only when blocked: what the action waits for, as a decision or an organisational unit "
                "(e.g. “budget approval 2027 (Finance)”), never a person's name; shown on the slide.",
                "Role responsible, never a person's name.",
                "Due date (YYYY-MM-DD); overdue actions are highlighted.",
                "Product name as in the licence position, when the action closes a licence gap.",
                "Empty = all audiences, else e.g. management, itsm (comma-separated).",
            ],
            "help": [
                "Actions register (open issues) of the SAM team",
                "One row per action; status from the list; due date as a date.",
                "Owner role: a role (e.g. SAM team, IT procurement), never a person's name.",
                "Blocked by: the briefings name blocked actions with what holds them up, so that the management sees "
                "what it can unblock. Enter a decision or an organisational unit (e.g. “works agreement (works "
                "council)”, “budget approval 2027 (Finance)”), never a person (works council): an entry that seems to "
                "name a person (a salutation, an e-mail address) is not published and reported as a warning.",
                "Product: when the action closes a licence gap, the product name as in the licence position.",
                "The file lives in data/ and is read by every `sambrief build`.",
            ],
        },
    },
}


LIST_ROWS = 50  # room on the lists sheet for a company's own entries
INPUT_ROWS = 500  # rows prepared with drop-downs, checks and number formats
TABLE_NAMES = {"successes": {"de": "Erfolge", "en": "Successes"}, "actions": {"de": "Massnahmen", "en": "Actions"},
               "budget": {"de": "Budget", "en": "Budget"}}
MESSAGES = {
    "de": {"list_title": "Wert aus der Liste", "list": "Bitte einen Wert aus der Liste wählen: {values}",
           "date_title": "Datum", "date": "Bitte ein Datum eingeben, z. B. 31.10.2026.",
           "amount_title": "Betrag", "amount": "Bitte einen Betrag als Zahl eingeben, z. B. 1234,50.",
           "columns": "Die Spalten", "column": "Spalte", "meaning": "Bedeutung"},
    "en": {"list_title": "Value from the list", "list": "Please choose a value from the list: {values}",
           "date_title": "Date", "date": "Please enter a date, e.g. 2026-10-31.",
           "amount_title": "Amount", "amount": "Please enter an amount as a number, e.g. 1234.50.",
           "columns": "The columns", "column": "Column", "meaning": "Meaning"},
}
DATE_HEADERS = ("Datum", "Date", "Fällig am", "Due date")


def list_labels(spec_list: str | list[str], language: str) -> list[str]:
    """The drop-down values: the localised labels of a canonical choice, or a plain list."""
    from sambrief.ingest.datasets import CHOICE_LABELS

    if isinstance(spec_list, str):
        return [labels[language] for labels in CHOICE_LABELS[spec_list].values()]
    return list(spec_list)


def register_workbook(kind: str, language: str, rows: list[list[Any]] | None = None) -> bytes:
    """The register as an .xlsx people can fill in: an Excel table with filter and frozen
    header, drop-downs that refuse other values, date and amount formats and checks, and an
    instruction sheet that explains each column."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableStyleInfo
    from openpyxl.worksheet.worksheet import Worksheet

    spec = REGISTERS[kind][language]
    text = MESSAGES[language]
    headers = spec["headers"]
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet
    ws.title = spec["sheet"]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F5A8C")
    for i, width in enumerate(spec["widths"], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    for row in rows or []:
        if len(row) != len(headers):  # a caller's row written for another column order would shift every cell
            raise ValueError(f"{kind} register row has {len(row)} cells, the {language} register {len(headers)}: {row!r}")
        ws.append(row)
    last_row = max(INPUT_ROWS, len(rows or []) + 1)

    def column_range(header: str) -> tuple[str, str]:
        letter = get_column_letter(headers.index(header) + 1)
        return letter, f"{letter}2:{letter}{last_row}"

    def check(validation: DataValidation, title: str, message: str, where: str) -> None:
        validation.showErrorMessage = True  # refuse anything else, with a message saying what fits
        validation.errorStyle = "stop"
        validation.errorTitle, validation.error = title, message
        validation.showInputMessage = True
        validation.promptTitle, validation.prompt = title, message[:255]
        ws.add_data_validation(validation)
        validation.add(where)

    lists = wb.create_sheet("Listen" if language == "de" else "Lists")
    for col, (header, spec_list) in enumerate(spec["lists"].items(), start=1):
        values = list_labels(spec_list, language)
        letter = get_column_letter(col)
        lists[f"{letter}1"] = header
        lists[f"{letter}1"].font = Font(bold=True)
        lists.column_dimensions[letter].width = 26
        for number, value in enumerate(values, start=2):
            lists[f"{letter}{number}"] = value
        validation = DataValidation(type="list", formula1=f"='{lists.title}'!${letter}$2:${letter}${LIST_ROWS + 1}",
                                    allow_blank=True)
        check(validation, text["list_title"], text["list"].format(values=", ".join(values)), column_range(header)[1])

    date_format = "DD.MM.YYYY" if language == "de" else "YYYY-MM-DD"
    for header in headers:
        letter, where = column_range(header)
        if header in DATE_HEADERS:
            number_format = date_format
            check(DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True),
                  text["date_title"], text["date"], where)
        elif "(EUR)" in header:
            number_format = "#,##0.00"
            check(DataValidation(type="decimal", operator="between", formula1="-1000000000", formula2="1000000000",
                                 allow_blank=True), text["amount_title"], text["amount"], where)
        else:
            continue
        for (cell,) in ws.iter_rows(min_row=2, max_row=last_row, min_col=headers.index(header) + 1,
                                    max_col=headers.index(header) + 1):
            cell.number_format = number_format

    table = Table(displayName=TABLE_NAMES[kind][language],
                  ref=f"A1:{get_column_letter(len(headers))}{max(2, len(rows or []) + 1)}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)

    info = wb.create_sheet("Anleitung" if language == "de" else "Instructions", 0)
    for line in spec["help"]:
        info.append([line])
    info["A1"].font = Font(bold=True, size=14)
    info.append([])
    info.append([text["columns"]])
    info.cell(info.max_row, 1).font = Font(bold=True, size=12)
    info.append([text["column"], text["meaning"]])
    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
    for header, meaning in zip(headers, spec["columns"]):
        info.append([header, meaning])
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 100
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
        "columns": [
            "Kostenstelle oder Budgetbereich.",
            "Budgetkategorie: aus der Liste wählen (eigene Kategorien im Blatt „Listen“ ergänzen).",
            "Jahresbudget in Euro.",
            "Bisher gebuchte Kosten in Euro.",
            "Bestellt oder beauftragt, aber noch nicht berechnet, in Euro.",
        ],
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
        "columns": [
            "Cost centre or budget area.",
            "Budget category: choose from the list (further categories can be added on the Lists sheet).",
            "Budget for the year, in EUR.",
            "Booked so far, in EUR.",
            "Ordered or contracted but not yet invoiced, in EUR.",
        ],
        "help": [
            "Software budget per cost centre and category",
            "Budget: for the year; Actual: booked so far; Committed: ordered but not yet invoiced.",
            "sambrief shows consumption, areas over budget and a linear forecast to year end.",
            "The file lives in data/ and is read by every `sambrief build`.",
        ],
    },
}

def _init_text(name: str, language: str) -> str:
    """A file `init` writes, as shipped in defaults/init/ (`<name>.<language>.yaml`): commented text kept as text."""
    from importlib import resources

    return (resources.files("sambrief") / "defaults" / "init" / f"{name}.{language}.yaml").read_text("utf-8")


def audiences_template(language: str) -> str:
    """The packaged default audiences, in the workspace's language, with a comment on each key."""
    from importlib import resources

    text = (resources.files("sambrief") / "defaults" / "audiences.yaml").read_text("utf-8")
    body = text.split("\n", 1)[1].replace("    language: de\n", f"    language: {language}\n")
    if language == "de":
        body = body.replace("# Known themes:", "# Bekannte Themen:", 1)
    return _init_text("audiences-head", language) + body


def scaffold(directory: Path, language: str = "de", organisation: str | None = None) -> list[Path]:
    config = directory / "sambrief.yaml"
    if config.exists():
        raise SambriefError(f"{config} already exists; choose an empty folder for the new workspace")
    organisation = organisation or ("Muster AG (Platzhalter)" if language == "de" else "Example Ltd (placeholder)")
    files: dict[Path, bytes] = {
        config: _init_text("sambrief", language).replace("{organisation}", _yaml_text(organisation)).encode("utf-8"),
        directory / "audiences.yaml": audiences_template(language).encode("utf-8"),
        directory / "data" / "successes.xlsx": register_workbook("successes", language),
        directory / "data" / "actions.xlsx": register_workbook("actions", language),
        directory / "data" / "budget.xlsx": register_workbook("budget", language),
        directory / "news.yaml": _init_text("news", language).encode("utf-8"),
        directory / "intranet.yaml": _init_text("intranet", language).encode("utf-8"),
        directory / "concept.yaml": _init_text("concept", language).encode("utf-8"),
        # outputs are rebuilt, and .sambrief/ holds the pseudonym key: neither belongs in git
        directory / ".gitignore": b"out/\n.sambrief/\n",
    }
    (directory / "templates").mkdir(parents=True, exist_ok=True)
    created = []
    from sambrief.publish.output import write_atomic

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
