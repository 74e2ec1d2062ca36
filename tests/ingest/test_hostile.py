"""Hostile and broken exports: each is refused with one exact line naming file, column and row
(or sheet and limit), exit 1, nothing written, and never an `unexpected ...` error."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from conftest import MINIMAL_CONFIG
from openpyxl import Workbook
from test_inputs import assert_one_line_error, build_ws

LICENCE_HEADER = "Hersteller;Produkt;Lizenzbestand;Lizenzbedarf\n"


def error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines[0] if lines else ""


def workbook(rows: list[list], sheet: str = "Lizenzen") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    return wb


def xlsx_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_ROWS = [["Hersteller", "Produkt", "Lizenzbestand", "Lizenzbedarf"], ["Adobe", "Acrobat", 10, 12]]


def test_cell_at_xfd1048576_is_refused_before_reading(tmp_path):
    wb = workbook(GOOD_ROWS)
    wb.active["XFD1048576"] = "x"
    ws, result = build_ws(tmp_path, {"data/bilanz.xlsx": xlsx_bytes(wb)})
    path = ws / "data" / "bilanz.xlsx"
    assert_one_line_error(result, ws)
    assert error_line(result) == (
        f"Fehler: {path}: Blatt 'Lizenzen' hat 16.384 Spalten, mehr als die Grenze `limits: {{columns: 1000}}` erlaubt; "
        "den Export prüfen oder die Grenze in sambrief.yaml erhöhen"
    )


def test_declared_dimension_alone_is_refused(tmp_path):
    data = xlsx_bytes(workbook(GOOD_ROWS))
    ws, result = build_ws(
        tmp_path,
        {
            "data/bilanz.xlsx": _rewrite_part(
                data,
                "xl/worksheets/sheet1.xml",
                lambda xml: xml.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:D9000000"/>'),
            )
        },
    )
    assert_one_line_error(result, ws)
    assert error_line(result).endswith(
        "bilanz.xlsx: Blatt 'Lizenzen' hat 9.000.000 Zeilen, mehr als die Grenze `limits: {rows: 5000000}` erlaubt; "
        "den Export prüfen oder die Grenze in sambrief.yaml erhöhen"
    )


def test_a_far_cell_deep_in_a_long_sheet_is_found(tmp_path):
    # Past the first 4 MB of XML (the guard reads the sheet in chunks) and after ordinary rows.
    padding = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"x" * (4 * 1024 * 1024 - 3) + b"</t></is></c></row>"
    data = _rewrite_part(
        xlsx_bytes(workbook(GOOD_ROWS)),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>", padding + b'<row r="7000000"><c r="AB7000000"><v>1</v></c></row></sheetData>'
        ),
    )
    ws, result = build_ws(tmp_path, {"data/bilanz.xlsx": data})
    assert_one_line_error(result, ws)
    assert error_line(result).endswith(
        "bilanz.xlsx: Blatt 'Lizenzen' hat 7.000.000 Zeilen, mehr als die Grenze `limits: {rows: 5000000}` erlaubt; "
        "den Export prüfen oder die Grenze in sambrief.yaml erhöhen"
    )


def _rewrite_part(data: bytes, part: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item)
            dst.writestr(item, change(content) if item.filename == part else content)
    return out.getvalue()


@pytest.mark.slow
def test_sheet_inflating_to_1_gb_of_xml_is_refused_unread(tmp_path):
    # Built streamed: 1 GiB of XML never exists in memory, only its few-MB deflated form on disk.
    template = xlsx_bytes(workbook(GOOD_ROWS))
    target = tmp_path / "ws" / "data" / "bomb.xlsx"
    target.parent.mkdir(parents=True)
    with (
        zipfile.ZipFile(io.BytesIO(template)) as src,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item))
                continue
            info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                )
                padding = b" " * (1 << 20)
                for _ in range(1024):
                    sheet.write(padding)
                sheet.write(b"</sheetData></worksheet>")
    ws, result = build_ws(tmp_path, {})
    assert_one_line_error(result, ws)
    assert error_line(result) == (
        f"Fehler: {target}: Blatt 'Lizenzen' entpackt sich zu 1.024 MB XML, mehr als die Grenze `limits: {{sheet_xml_mb: 768}}` erlaubt; "
        "den Export prüfen oder die Grenze in sambrief.yaml erhöhen"
    )


@pytest.mark.slow
def test_a_sheet_pin_reads_only_that_sheet(tmp_path):
    wb = workbook(GOOD_ROWS)
    other = wb.create_sheet("Rohdaten")
    other["XFD1048576"] = "x"  # would be refused if it were read
    config = MINIMAL_CONFIG.replace("  - data/*.xlsx\n", "  - {path: data/bilanz.xlsx, sheet: Lizenzen}\n")
    from conftest import write_workspace
    from typer.testing import CliRunner

    from sambrief.cli.app import app

    ws = write_workspace(tmp_path / "ws", config, {"data/bilanz.xlsx": xlsx_bytes(wb)})
    result = CliRunner().invoke(app, ["build", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads(next((ws / "out").glob("*/manifest.json")).read_text())
    assert [(s["file"], s["rows"]) for s in manifest["sources"]] == [("bilanz.xlsx", 1)]


@pytest.mark.parametrize(
    "cell, expected",
    [
        (
            "1000000000000000000000000000000",
            "Spalte 'Lizenzbestand': 1 Wert ist eine Zahl jenseits jeder Lizenzzahl und jedes Betrags (mehr als 10^12) "
            "(Zeile 3: '100000000000000000000000000000')",
        ),
        ("1.2.3", "Spalte 'Lizenzbestand': 1 Wert ist keine Zahl (Zeile 3: '1.2.3')"),
        ("1,2,3", "Spalte 'Lizenzbestand': 1 Wert ist keine Zahl (Zeile 3: '1,2,3')"),
        ("5%", "Spalte 'Lizenzbestand': 1 Wert ist keine Zahl (Zeile 3: '5%')"),
        ("1.234,5.6", "Spalte 'Lizenzbestand': 1 Wert ist keine Zahl (Zeile 3: '1.234,5.6')"),
    ],
)
def test_numbers_that_are_no_count(tmp_path, cell, expected):
    ws, result = build_ws(tmp_path, {"data/l.csv": LICENCE_HEADER + f"A;P1;12;10\nA;P2;{cell};1\n"})
    assert_one_line_error(result, ws)
    assert (
        error_line(result)
        == f"Fehler: {ws / 'data' / 'l.csv'}: {expected}; die Zellen im Export korrigieren und erneut ausführen"
    )


SEATS_HEADER = "Benutzer;Produkt;Zugewiesen am;Letzte Aktivität;Abteilung;Stichtag\n"


@pytest.mark.parametrize("day", ["0001-01-01", "01.01.1899", "31.12.9999"])
def test_dates_out_of_range(tmp_path, day):
    rows = (
        SEATS_HEADER
        + "a@x.example;Produkt A;01.01.2026;15.10.2026;IT;31.10.2026\n"
        + f"b@x.example;Produkt A;01.01.2026;{day};IT;31.10.2026\n"
    )
    ws, result = build_ws(tmp_path, {"data/seats.csv": rows})
    assert_one_line_error(result, ws)
    assert error_line(result) == (
        f"Fehler: {ws / 'data' / 'seats.csv'}: Spalte 'Letzte Aktivität': 1 Wert ist ein Datum vor 1990 oder nach 2100 "
        f"(Zeile 3: '{day}'); die Zellen im Export korrigieren und erneut ausführen"
    )


def test_utf16_with_an_odd_byte_count(tmp_path):
    text = "Hersteller\tProdukt\tLizenzbestand\tLizenzbedarf\r\nAdobe\tAcrobat\t10\t12\r\n"
    data = b"\xff\xfe" + text.encode("utf-16-le") + b"\x41"
    ws, result = build_ws(tmp_path, {"data/l.csv": data})
    assert_one_line_error(result, ws)
    assert error_line(result) == (
        f"Fehler: {ws / 'data' / 'l.csv'}: Zeile 3, Spalte 1 ('Hersteller'): Bytes, die kein gültiges UTF-16 sind "
        "(die Datei endet mitten in einem Zeichen); den Export erneut als UTF-8 speichern"
    )


def test_broken_utf8_after_a_bom(tmp_path):
    data = (
        "\ufeffHersteller;Produkt;Lizenzbestand;Lizenzbedarf\nAdobe;Acro".encode("utf-8") + b"\xff\xfe" + b"bat;10;12\n"
    )
    ws, result = build_ws(tmp_path, {"data/l.csv": data})
    assert_one_line_error(result, ws)
    assert error_line(result) == (
        f"Fehler: {ws / 'data' / 'l.csv'}: Zeile 2, Spalte 2 ('Produkt'): Bytes, die kein gültiges UTF-8 sind "
        "(invalid start byte); den Export erneut als UTF-8 speichern"
    )


@pytest.mark.slow
def test_limits_setting_lowers_and_raises_the_guards(tmp_path):
    rows = LICENCE_HEADER + "".join(f"A;P{i};12;10\n" for i in range(5))
    strict = MINIMAL_CONFIG + "limits: {rows: 3}\n"
    from conftest import write_workspace
    from typer.testing import CliRunner

    from sambrief.cli.app import app

    ws = write_workspace(tmp_path / "ws", strict, {"data/l.csv": rows})
    result = CliRunner().invoke(app, ["build", "--config", str(ws / "sambrief.yaml")])
    assert_one_line_error(result, ws)
    assert error_line(result) == (
        f"Fehler: {ws / 'data' / 'l.csv'}: die Tabelle hat 6 Zeilen, mehr als die Grenze `limits: {{rows: 3}}` erlaubt; "
        "den Export prüfen oder die Grenze in sambrief.yaml erhöhen"
    )
    (ws / "sambrief.yaml").write_text(MINIMAL_CONFIG + "limits: {rows: 100, file_mb: 1}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 0, result.stderr


def test_unknown_limit_is_a_config_error(tmp_path):
    from conftest import write_workspace
    from typer.testing import CliRunner

    from sambrief.cli.app import app

    ws = write_workspace(
        tmp_path / "ws", MINIMAL_CONFIG + "limits: {rowz: 3}\n", {"data/l.csv": LICENCE_HEADER + "A;P;1;1\n"}
    )
    result = CliRunner().invoke(app, ["build", "--config", str(ws / "sambrief.yaml")])
    assert result.exit_code == 1
    assert "sambrief.yaml:10: limits.rowz: unbekannter Schlüssel (gemeint ist wohl 'rows')" in result.stderr


def test_guard_is_exact_where_a_lowered_limit_is_passed():
    # Without a <dimension>, only the cell references say how far the sheet reaches; the guard
    # reads them exactly once a reference could pass the (here lowered) limits.
    import re

    from sambrief.ingest.limits import Limits, _declared_and_actual_extent

    def extent(limits: Limits) -> tuple[int, int]:
        data = _rewrite_part(
            xlsx_bytes(workbook(GOOD_ROWS + [["x"] * 3] * 9)),
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml).replace(
                b"</sheetData>", b'<row r="14"><c r="AB14"><v>1</v></c></row></sheetData>'
            ),
        )
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _declared_and_actual_extent(archive, "xl/worksheets/sheet1.xml", limits)

    assert extent(Limits(rows=10, columns=20)) == (14, 28)
    rows, columns = extent(Limits())  # far below the defaults: nothing to read exactly
    assert rows <= 14 and columns <= 28
