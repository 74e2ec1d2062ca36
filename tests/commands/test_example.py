"""End to end: the example workspace's management deck, reopened and checked as a sponsor would."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from openpyxl import load_workbook
from pptx import Presentation

GOLDEN = REPO / "tests" / "golden" / "example-management-digest.json"


def hand_figures(data: Path) -> dict[str, float]:
    """The manifest's key figures, computed straight from the example files with csv/openpyxl."""
    out: dict[str, float] = {}
    with open(data / "2026-10" / "lizenzbilanz.csv", encoding="cp1252", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    num = lambda s: float(s.replace(".", "").replace(",", ".")) if s else None  # noqa: E731
    exposure = short = 0.0
    for r in rows:
        gap = num(r["Lizenzbedarf"]) - num(r["Lizenzbestand"])
        if gap > 0:
            short += gap
            price = num(r["Einzelpreis (EUR)"])
            exposure += gap * price if price else 0
    out["risk.exposure_total"], out["risk.licenses_short"] = round(exposure, 2), short

    with open(data / "2026-10" / "cloud_lizenzen.csv", encoding="utf-8-sig", newline="") as fh:
        seats = list(csv.DictReader(fh, delimiter=";"))
    # Prices and idle thresholds as the example's configuration states them (read, not copied).
    config = yaml.safe_load((data.parents[1] / "sambrief.yaml").read_text("utf-8"))
    prices, thresholds = config["prices"], config["thresholds"]
    assert prices and all(price > 0 for price in prices.values())
    idle = 0
    cost = 0.0
    for s in seats:
        report = date(*reversed([int(x) for x in s["Stichtag"].split(".")]))
        days = thresholds.get("products", {}).get(s["Produkt"], {}).get("inactive_days", thresholds["inactive_days"])
        last = s["Letzte Aktivität"]
        if not last or date(*reversed([int(x) for x in last.split(".")])) < report - timedelta(days=days):
            idle += 1
            cost += prices[s["Produkt"]]
    out["cloud_sprawl.seats_assigned"], out["cloud_sprawl.seats_idle"] = len(seats), idle
    out["cloud_sprawl.idle_cost_year"] = round(cost * 12, 2)

    ws = load_workbook(data / "successes.xlsx")["Erfolge"]
    period = ytd = 0.0
    for d, _title, _cat, amount, audiences, _note in ws.iter_rows(min_row=2, values_only=True):
        if audiences and "management" not in audiences:
            continue
        if d.year == 2026 and d.month <= 10:
            ytd += amount or 0
            if d.month == 10:
                period += amount or 0
    out["successes.savings_period"], out["successes.savings_ytd"] = period, ytd

    ws = load_workbook(data / "actions.xlsx")["Maßnahmen"]
    open_, overdue = 0, 0
    for _id, title, _th, status, _blocked_by, _role, due, _p, _aud in ws.iter_rows(min_row=2, values_only=True):
        if title and status != "erledigt":  # (the register's prepared input rows are empty)
            open_ += 1
            overdue += bool(due and due.date() < date(2026, 10, 31))
    out["open_issues.open"], out["open_issues.overdue"] = open_, overdue
    return out


@pytest.fixture(scope="module")
def example_build(example_build_management):
    result = example_build_management
    deck_path = result.out_dir / "management" / "sambrief-management-2026-10.pptx"
    return result, deck_path, json.loads((result.out_dir / "manifest.json").read_text("utf-8"))


def test_manifest_figures_equal_hand_computed(example_build):
    _, _, manifest = example_build
    figures = manifest["audiences"]["management"]["figures"]
    for key, expected in hand_figures(REPO / "examples" / "data").items():
        assert figures[key] == pytest.approx(expected), key


def test_deck_structure(example_build):
    result, deck_path, _ = example_build
    prs = Presentation(deck_path)
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == "Lizenzmanagement – Lagebild für die Geschäftsführung"
    assert titles[1] == "Das Wichtigste in Kürze"
    assert titles[-2].startswith("Bilanz")
    assert titles[-1] == "Fragen und Anregungen"
    assert len(prs.slides) <= 11
    themes = [f.theme for f in result.briefings[0].findings]
    assert themes == ["risk", "cloud_sprawl", "successes", "opportunities", "open_issues", "renewals"]


def test_titles_carry_the_figures(example_build):
    _, deck_path, manifest = example_build
    f = manifest["audiences"]["management"]["figures"]
    titles = [s.shapes.title.text for s in Presentation(deck_path).slides]
    assert titles[2] == "Für 16 von 40 Produkten fehlen Lizenzen – Nachlizenzierung würde 620.833\u00a0€ kosten"
    assert f"{f['cloud_sprawl.seats_idle']} von 2.020 Cloud-Lizenzen" in titles[3]
    assert "122.103\u00a0€ im Jahr" in titles[3]
    assert "234.276\u00a0€ eingespart" in titles[4]
    # a one-off value and a yearly amount, each with its unit, never added up
    assert (
        titles[5]
        == "Überdeckungen im Wert von 66.622\u00a0€ lassen sich wiederverwenden – dazu kommt die Rückgabe ungenutzter Cloud-Lizenzen"
    )
    # blocked actions (what a sponsor can unblock) take the place of those in progress
    assert titles[6].startswith(
        f"{f['open_issues.open']} Maßnahmen sind offen, {f['open_issues.overdue']} überfällig, "
        f"{f['open_issues.blocked']} blockiert"
    )


def test_charts_are_native_with_expected_data(example_build):
    _, deck_path, _ = example_build
    slides = list(Presentation(deck_path).slides)
    charts = [sh.chart for s in slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 6
    risk = charts[0]
    assert list(risk.plots[0].categories) == ["Microsoft", "Oracle", "SAP", "Adobe", "IBM", "Sonstige"]
    assert list(risk.plots[0].series[0].values)[:2] == [332503.5, 190000.0]
    assert risk.plots[0].vary_by_categories is False
    savings = charts[2]
    assert list(savings.plots[0].categories)[-1] == "Okt."
    assert list(savings.plots[0].series[0].values)[-1] == 14800.0
    # The renewal calendar: November 2026 to October 2027 (lizenzbilanz.csv's Vertragsende);
    # Photoshop Elements 25 x 99, Citrix DaaS 600 x 190, SQL Server Standard 96 x 3,586 in the
    # 90 days, Inventor (ended in July) and MQ (November 2027) outside the twelve months.
    renewals = charts[5]
    assert list(renewals.plots[0].categories) == [
        "Nov. 26",
        "Dez.",
        "Jan. 27",
        "Feb.",
        "März",
        "Apr.",
        "Mai",
        "Juni",
        "Juli",
        "Aug.",
        "Sept.",
        "Okt.",
    ]
    assert list(renewals.plots[0].series[0].values)[:3] == [2475.0, 114000.0, 344256.0]
    assert (
        list(renewals.plots[0].series[0].values)[-1] == 1800 * 180.0
    )  # Java SE, ending on the twelfth month's last day


def test_the_renewal_calendar_states_the_contract_ends_once(example_build):
    result, deck_path, manifest = example_build
    f = manifest["audiences"]["management"]["figures"]
    assert f["renewals.ending_90d"] == f["opportunities.renewals_90d"] == 3
    assert f["renewals.value_90d"] == f["opportunities.renewals_value"] == 2475 + 114000 + 344256
    assert f["renewals.ending_12m"] == 13 and f["renewals.prepared"] == 2  # Acrobat Pro 2020 (M-04), vSphere (M-09)
    titles = [s.shapes.title.text for s in Presentation(deck_path).slides]
    assert "In den nächsten 90 Tagen enden 3 Verträge über 460.731\u00a0€" in titles
    bullets = [b for f in result.briefings[0].findings for b in f.bullets]
    assert (
        sum("enden in den nächsten 90 Tagen" in b for b in bullets) == 0
    )  # the opportunities slide leaves it to the calendar


def test_notes_exist_and_no_big_tables(example_build):
    _, deck_path, _ = example_build
    prs = Presentation(deck_path)
    for slide in prs.slides:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
        for shape in slide.shapes:
            if shape.has_table:
                assert len(shape.table.rows) <= 5


def test_text_stays_on_the_slide(example_build):
    _, deck_path, _ = example_build
    prs = Presentation(deck_path)
    for i, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (i, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (i, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (i, shape.name)


def test_document_properties_are_sambriefs(example_build):
    _, deck_path, _ = example_build
    props = Presentation(deck_path).core_properties
    assert props.author == "Lizenzmanagement der Muster GmbH"
    assert props.subject == "2026-10"
    assert props.comments == ""
    assert "Oktober 2026" in props.title


def test_no_input_identifier_in_any_output(example_build):
    result, deck_path, _ = example_build
    with open(REPO / "examples" / "data" / "2026-10" / "cloud_lizenzen.csv", encoding="utf-8-sig") as fh:
        users = {row[0] for row in csv.reader(fh, delimiter=";")} - {"Benutzer"}
    blobs = [(result.out_dir / "manifest.json").read_text("utf-8")]
    with zipfile.ZipFile(deck_path) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    blobs += [inner.read(n).decode("utf-8", "ignore") for n in inner.namelist()]
            else:
                blobs.append(data.decode("utf-8", "ignore"))
    text = "\n".join(blobs).casefold()
    assert "@muster-gmbh.example" in "\n".join(users)
    leaked = [u for u in users if u.casefold() in text or u.split("@")[0].casefold() in text]
    assert leaked == []


def digest(deck: Path) -> dict:
    """Slide texts, chart data and notes as JSON: what a sponsor sees, without zip noise."""
    prs = Presentation(deck)
    slides = []
    for slide in prs.slides:
        entry: dict = {"layout": slide.slide_layout.name, "texts": [], "charts": []}
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                entry["texts"].append(shape.text_frame.text)
            if shape.has_chart:
                plot = shape.chart.plots[0]
                entry["charts"].append(
                    {
                        "type": str(shape.chart.chart_type),
                        "categories": list(plot.categories),
                        "values": list(plot.series[0].values),
                    }
                )
        entry["notes"] = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append(entry)
    return {"slide_size": [prs.slide_width, prs.slide_height], "slides": slides}


def test_digest_matches_golden(example_build, update_golden):
    """Refresh with: pytest tests/commands/test_example.py --update-golden"""
    _, deck_path, _ = example_build
    current = digest(deck_path)
    if update_golden:
        GOLDEN.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not GOLDEN.exists():
        pytest.fail(
            f"{GOLDEN.relative_to(REPO)} is missing; create it with: .venv/bin/python -m pytest tests/commands/test_example.py --update-golden"
        )
    assert current == json.loads(GOLDEN.read_text("utf-8"))


def test_summary_table_lists_the_slides_and_the_registry_figures(example_build):
    from sambrief.briefing.figures import summary_figures
    from sambrief.commands.build import summary_table
    from sambrief.i18n.catalog import Formatter

    result, _, manifest = example_build
    table = summary_table(result, "de")
    assert table.figure_columns == [f.summary_in("de") for f in summary_figures()]
    ((key, slide_count, values),) = table.rows
    assert key == "management" and slide_count == len(manifest["audiences"]["management"]["slides"])
    figures, fmt = manifest["audiences"]["management"]["figures"], Formatter("de", "EUR")
    assert values == [f.format(figures[f.key], fmt, unit=False) if f.key in figures else "–" for f in summary_figures()]


@pytest.mark.parametrize("width", [80, 200])
def test_build_summary_is_readable_at_80_columns(example_build, width):
    """At 80 columns the summary stacks figure and value instead of cutting them ("Zielg…", "921…")."""
    import io

    from rich.console import Console as RichConsole

    from sambrief.cli.build import summary
    from sambrief.cli.console import Console

    result, _, _ = example_build
    console = Console(lang="de")
    console.out = RichConsole(file=io.StringIO(), width=width, force_terminal=True, color_system=None, highlight=False)
    console.fancy = True
    summary(console, result)
    text = console.out.file.getvalue()
    assert "…" not in text
    assert all(len(line) <= width for line in text.splitlines())
    assert "Zielgruppe" in text or "management" in text
    assert "620.833\u00a0€" in text and "Risiko" in text  # the exposure, whole, with its label
