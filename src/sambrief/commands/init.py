"""`sambrief init`: a new workspace with its commented configuration, audiences, news, intranet
and concept files (as shipped in defaults/init/) and the register workbooks (their texts in
defaults/init/registers.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sambrief.errors import SambriefError
from sambrief.i18n.notices import Notice
from sambrief.ingest.privacy import create_key
from sambrief.packaged import load_packaged

# Register workbooks: headers, drop-down lists and instructions per language (data: defaults/init/registers.yaml).
_REGISTER_DATA: dict[str, Any] = load_packaged(
    (resources.files("sambrief") / "defaults" / "init" / "registers.yaml").read_text("utf-8")
)
REGISTERS: dict[str, dict[str, Any]] = _REGISTER_DATA["registers"]

LIST_ROWS = 50  # room on the lists sheet for a company's own entries
INPUT_ROWS = 500  # rows prepared with drop-downs, checks and number formats
TABLE_NAMES: dict[str, dict[str, str]] = _REGISTER_DATA["table_names"]
MESSAGES: dict[str, dict[str, str]] = _REGISTER_DATA["workbook_texts"]
DATE_HEADERS = ("Datum", "Date", "Fällig am", "Due date", "Vertragsbeginn", "Vertragsende", "Start date", "End date")


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
    return _workbook(kind, language, rows) if rows else _empty_register(kind, language)


@cache
def _empty_register(kind: str, language: str) -> bytes:
    """The empty register `init` writes is the same for every workspace of a language (openpyxl
    takes tens of milliseconds to write one; a process that initialises several makes each once)."""
    return _workbook(kind, language, None)


def _workbook(kind: str, language: str, rows: list[list[Any]] | None) -> bytes:
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
            raise ValueError(
                f"{kind} register row has {len(row)} cells, the {language} register {len(headers)}: {row!r}"
            )
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
        validation = DataValidation(
            type="list", formula1=f"='{lists.title}'!${letter}$2:${letter}${LIST_ROWS + 1}", allow_blank=True
        )
        check(validation, text["list_title"], text["list"].format(values=", ".join(values)), column_range(header)[1])

    date_format = "DD.MM.YYYY" if language == "de" else "YYYY-MM-DD"
    for header in headers:
        letter, where = column_range(header)
        if header in DATE_HEADERS:
            number_format = date_format
            check(
                DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True),
                text["date_title"],
                text["date"],
                where,
            )
        elif "(EUR)" in header:
            number_format = "#,##0.00"
            check(
                DataValidation(
                    type="decimal", operator="between", formula1="-1000000000", formula2="1000000000", allow_blank=True
                ),
                text["amount_title"],
                text["amount"],
                where,
            )
        else:
            continue
        for (cell,) in ws.iter_rows(
            min_row=2, max_row=last_row, min_col=headers.index(header) + 1, max_col=headers.index(header) + 1
        ):
            cell.number_format = number_format

    table = Table(
        displayName=TABLE_NAMES[kind][language],
        ref=f"A1:{get_column_letter(len(headers))}{max(2, len(rows or []) + 1)}",
    )
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
        raise SambriefError(Notice("init_exists", path=str(config)))
    organisation = organisation or ("Muster AG (Platzhalter)" if language == "de" else "Example Ltd (placeholder)")
    files: dict[Path, bytes] = {
        config: _init_text("sambrief", language).replace("{organisation}", _yaml_text(organisation)).encode("utf-8"),
        directory / "audiences.yaml": audiences_template(language).encode("utf-8"),
        directory / "data" / "successes.xlsx": register_workbook("successes", language),
        directory / "data" / "actions.xlsx": register_workbook("actions", language),
        directory / "data" / "budget.xlsx": register_workbook("budget", language),
        directory / "data" / "contracts.xlsx": register_workbook("contracts", language),
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


@dataclass(frozen=True)
class InitRequest:
    directory: Path
    language: str = "de"
    organisation: str | None = None  # None: a sample name in the workspace language


@dataclass(frozen=True)
class InitResult:
    created: list[Path]  # every file written, in the order written
    workspace: Path
    data: Path  # where the exports go next


def init_workspace(request: InitRequest) -> InitResult:
    """Write the workspace; refuses a folder that already holds a sambrief.yaml."""
    created = scaffold(request.directory, request.language, request.organisation or None)
    return InitResult(created, request.directory, request.directory / "data")
