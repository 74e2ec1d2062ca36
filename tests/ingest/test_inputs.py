"""Bad and awkward exports: each gets one clear line naming the file, exit 1, nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, write_workspace
from openpyxl import Workbook
from typer.testing import CliRunner

from sambrief.cli.app import app

runner = CliRunner()


def build_ws(tmp_path: Path, files: dict) -> tuple[Path, object]:
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, files)
    return ws, runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml")])


def assert_one_line_error(result, ws: Path, *fragments: str) -> None:
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("Fehler: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.stderr
    assert not (ws / "out").exists()


def test_empty_file(tmp_path):
    ws, result = build_ws(tmp_path, {"data/leer.csv": ""})
    assert_one_line_error(result, ws, "leer.csv: die Datei ist leer")


def test_header_only(tmp_path):
    ws, result = build_ws(tmp_path, {"data/l.csv": "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf\n"})
    assert_one_line_error(result, ws, "l.csv: hat eine Kopfzeile, aber keine Datenzeilen")


def test_pdf_named_xlsx(tmp_path):
    ws, result = build_ws(tmp_path, {"data/bilanz.xlsx": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"})
    assert_one_line_error(result, ws, "bilanz.xlsx: diese Datei ist ein PDF, heißt aber .xlsx")


def test_truncated_workbook(tmp_path):
    wb = Workbook()
    wb.active.append(["Hersteller", "Produkt", "Lizenzbestand", "Lizenzbedarf"])
    buf = io.BytesIO()
    wb.save(buf)
    ws, result = build_ws(tmp_path, {"data/cut.xlsx": buf.getvalue()[:900]})
    assert_one_line_error(result, ws, "cut.xlsx:", "export")


def test_password_protected_workbook(tmp_path):
    # An encrypted OOXML file is an OLE compound document with an EncryptedPackage stream.
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    ws, result = build_ws(tmp_path, {"data/geheim.xlsx": fake})
    assert_one_line_error(result, ws, "geheim.xlsx: die Arbeitsmappe ist kennwortgeschützt")


def test_no_matching_layout(tmp_path):
    ws, result = build_ws(tmp_path, {"data/x.csv": "Foo;Bar;Baz\n1;2;3\n"})
    assert_one_line_error(
        result, ws, "x.csv: kein bekanntes Layout passt zu seiner Kopfzeile", "columns:", "license_position: publisher"
    )


def test_required_column_missing(tmp_path):
    ws, result = build_ws(tmp_path, {"data/l.csv": "Hersteller;Lizenzbestand;Lizenzbedarf\nA;1;2\n"})
    assert_one_line_error(
        result, ws, "l.csv: Pflichtspalte für Layout generic_license_position_de fehlt: product ('produkt'"
    )


def test_neither_of_two_alternative_columns(tmp_path):
    # A licence balance needs the entitlements or the balance: with neither, the error names
    # both alternatives instead of "no known layout matches".
    ws, result = build_ws(tmp_path, {"data/l.csv": "Hersteller;Produkt;Lizenzbedarf;Einzelpreis\nA;P;2;10\n"})
    assert_one_line_error(
        result,
        ws,
        "l.csv: Pflichtspalte für Layout generic_license_position_de fehlt: eine der Spalten entitlements ('lizenzbestand', "
        "'lizenzen' oder 'erworbene lizenzen') oder balance ('über-/unterdeckung', 'lizenzbilanz' oder 'bilanz')",
        "die Spalte im Export ergänzen oder mit `columns:` in sambrief.yaml zuordnen",
    )
    assert "kein bekanntes Layout" not in result.stderr


def test_numbers_that_do_not_parse_name_rows(tmp_path):
    rows = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf\n" + "".join(
        f"A;P{i};{'x' if i % 2 else i};1\n" for i in range(10)
    )
    ws, result = build_ws(tmp_path, {"data/l.csv": rows})
    assert_one_line_error(
        result,
        ws,
        "l.csv: Spalte 'Lizenzbestand': 5 Werte sind keine Zahlen (Zeile 3: 'x', Zeile 5: 'x', Zeile 7: 'x' und 2 weitere); "
        "die Zellen im Export korrigieren und erneut ausführen",
    )


def test_dates_that_do_not_parse(tmp_path):
    ws, result = build_ws(tmp_path, {"data/s.csv": "Benutzer;Produkt;Letzte Aktivität\nu1;A;gestern\n"})
    assert_one_line_error(result, ws, "Spalte 'Letzte Aktivität': 1 Wert ist kein Datum (Zeile 2: 'gestern')")


@pytest.mark.slow
def test_title_block_and_totals_row_are_skipped(tmp_path):
    text = (
        "Lizenzbilanz Muster GmbH;;;;\nStand: 31.10.2026;;;;\n;;;;\n"
        "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\n"
        "A;Alpha;10;12;100\nB;Beta;1;1;5\n;;;;\nSumme;;11;13;\n"
    )
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": text})
    result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    import json

    figures = json.loads((ws / "out" / "2026-10" / "manifest.json").read_text())["audiences"]["management"]["figures"]
    assert figures["risk.products_total"] == 2
    assert figures["risk.exposure_total"] == 200


@pytest.mark.slow
def test_control_characters_and_markup_are_cleaned(tmp_path):
    text = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\nEvil\x1b\x07 Corp;<b>Alpha</b>\x00;1;3;10\n"
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": text})
    result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    deck = ws / "out" / "2026-10" / "management" / "sambrief-management-2026-10.pptx"
    with zipfile.ZipFile(deck) as z:
        xml = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))
    assert "Evil Corp" in xml
    assert "\x1b" not in xml and "_x001B_" not in xml
    assert "<b>Alpha" not in xml  # markup from data is text, escaped in the XML


@pytest.mark.slow
def test_formulas_from_exports_never_reach_a_workbook(tmp_path):
    text = 'Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis\n=HYPERLINK("http://evil.example");=1+2;1;3;10\nhttp://evil.example;B;1;2;5\n'
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": text})
    result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    deck = ws / "out" / "2026-10" / "management" / "sambrief-management-2026-10.pptx"
    with zipfile.ZipFile(deck) as z:
        books = [z.read(n) for n in z.namelist() if n.endswith(".xlsx")]
    assert books
    for book in books:
        with zipfile.ZipFile(io.BytesIO(book)) as inner:
            sheets = "".join(inner.read(n).decode() for n in inner.namelist() if n.startswith("xl/worksheets/"))
            assert "<f>" not in sheets and "hyperlink" not in sheets.lower()


@pytest.mark.slow
def test_cp1252_german_excel_csv(tmp_path):
    text = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis (EUR)\nMüller Soft;Größe 1;1.000;1.200;12,50\n"
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": text.encode("cp1252")})
    result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    import json

    figures = json.loads((ws / "out" / "2026-10" / "manifest.json").read_text())["audiences"]["management"]["figures"]
    assert figures["risk.licenses_short"] == 200
    assert figures["risk.exposure_total"] == 2500


@pytest.mark.slow
def test_columns_mapping_reads_an_unknown_layout(tmp_path):
    config = MINIMAL_CONFIG.replace(
        "  - data/*.csv\n  - data/*.xlsx\n",
        "  - path: data/own.csv\n    dataset: license_position\n"
        "    columns: {Vendor name: publisher, Software: product, Owned: entitlements, Needed: required, Price: unit_price}\n",
    )
    text = "Vendor name|Software|Owned|Needed|Price\nACME|Tool|5|8|(1,000.50)\n".replace("(1,000.50)", "1,000.50")
    ws = write_workspace(tmp_path / "ws", config, {"data/own.csv": text})
    result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    import json

    f = json.loads((ws / "out" / "2026-10" / "manifest.json").read_text())["audiences"]["management"]["figures"]
    assert f["risk.exposure_total"] == pytest.approx(3001.5)


@pytest.mark.slow
def test_tab_separated_utf16_excel_text(tmp_path):
    text = "Hersteller\tProdukt\tLizenzbestand\tLizenzbedarf\tEinzelpreis\r\nA\tAlpha\t10\t12\t100,5\r\n"
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/l.csv": text.encode("utf-16")})
    result = runner.invoke(app, ["build", "--config", str(ws / "sambrief.yaml"), "--period", "2026-10"])
    assert result.exit_code == 0, result.stderr
    import json

    f = json.loads((ws / "out" / "2026-10" / "manifest.json").read_text())["audiences"]["management"]["figures"]
    assert f["risk.exposure_total"] == 201.0


def test_inspect_reports_bad_file_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outside any workspace inspect speaks English
    (tmp_path / "leer.csv").write_text("")
    result = runner.invoke(app, ["inspect", str(tmp_path / "leer.csv")])
    assert result.exit_code == 1
    assert "problem: " in result.stdout and "the file is empty" in result.stdout
