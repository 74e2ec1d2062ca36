"""Every department group shown anywhere (chart, the chart's workbook, notes, one-pager,
intranet page, manifest, history) has at least `privacy.min_group_size` people; the buckets
"ohne Abteilungsangabe" and "weitere Abteilungen (zusammengefasst)" follow the same rule and
are never ranked."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import MINIMAL_CONFIG, write_workspace
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from sambrief.commands.build import BuildRequest, build
from sambrief.publish.history import History

MIN = 5
MERGED, NO_DEPT = "weitere Abteilungen (zusammengefasst)", "ohne Abteilungsangabe"
AUDIENCES = """\
audiences:
  itsm:
    title: {de: Freigaben}
    themes: [cloud_departments]
    formats: [pptx, onepager]
"""


def seats_csv(sizes: list[int], without_department: int) -> str:
    """One seat per person (so a group's seat count is its number of people); every third idle."""
    lines = ["Benutzer;Produkt;Zugewiesen am;Letzte Aktivität;Abteilung;Stichtag"]
    person = 0
    groups = [(f"Abt{chr(65 + i)}x", n) for i, n in enumerate(sizes)] + [("", without_department)]
    for name, n in groups:
        for _ in range(n):
            person += 1
            last = "" if person % 3 == 0 else "20.10.2026"
            lines.append(f"p{person}@firma.example;Microsoft 365 E3;01.01.2025;{last};{name};31.10.2026")
    return "\n".join(lines) + "\n"


def outputs_text(period: Path) -> dict[str, str]:
    texts = {}
    for path in period.rglob("*"):
        if path.suffix in (".html", ".json"):
            texts[str(path)] = path.read_text("utf-8")
    return texts


def chart_and_notes(deck: Path) -> tuple[list[tuple[str, float]], list[str], list[str], str]:
    """Categories and values of the department chart, its embedded workbook's labels, and the notes."""
    prs = Presentation(str(deck))
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                plot = shape.chart.plots[0]
                pairs = list(zip(plot.categories, plot.series[0].values))
                book = openpyxl.load_workbook(io.BytesIO(shape.chart.part.chart_workbook.xlsx_part.blob))
                labels = [str(c.value) for c in book.active["A"][1:] if c.value is not None]
                body = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
                return pairs, labels, body, slide.notes_slide.notes_text_frame.text
    return [], [], [], ""


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=5),
    without_department=st.sampled_from([0, 1, 3, 6]),
)
@pytest.mark.slow
@example(sizes=[1, 5], without_department=6)  # the only big department hides the small one: nothing shown
@example(sizes=[2, 3, 6, 7], without_department=3)
@example(sizes=[1, 6], without_department=6)  # a tie: people without a department join the bucket first
def test_every_group_shown_has_at_least_min_group_size_people(tmp_path_factory, sizes, without_department):
    ws = write_workspace(
        tmp_path_factory.mktemp("ws"),
        MINIMAL_CONFIG + f"privacy: {{min_group_size: {MIN}}}\n",
        {"data/seats.csv": seats_csv(sizes, without_department)},
        audiences=AUDIENCES,
    )
    build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", today=date(2026, 11, 3), force=True))
    period = ws / "out" / "2026-10"
    people = {f"Abt{chr(65 + i)}x": n for i, n in enumerate(sizes)} | {NO_DEPT: without_department}
    small = {name for name, n in people.items() if n < MIN and name != NO_DEPT}

    pairs, workbook_labels, body, notes = chart_and_notes(period / "itsm" / "sambrief-itsm-2026-10.pptx")
    history = History(ws / ".sambrief" / "history.sqlite").table_rows("breakdowns")
    everything = {**outputs_text(period), "body": "\n".join(body), "notes": notes, "history": repr(history)}
    for where, text in everything.items():  # a small department is named nowhere
        assert not [name for name in small if name in text], where
    shown = [c for c, _ in pairs]
    assert workbook_labels == shown
    assert {row[3] for row in history if row[2] == "cloud_departments.idle"} == set(shown)
    counts = {m[1]: int(m[3]) for m in re.finditer(r"– (.+?): (\d+) / (\d+)", notes)}  # group: idle / seats(= people)
    assert set(shown) <= set(counts)
    # The rule, worked out by hand: groups under the minimum go to one bucket; while that bucket
    # is non-empty and too small, the smallest other group (people without a department
    # included) joins it. Every group listed then has enough people, and the list adds up to
    # everyone: no subtraction of two published numbers leaves a group under the minimum.
    groups = {name: n for name, n in people.items() if n}
    bucket = {name for name, n in groups.items() if n < MIN}
    # Equal sizes: the plan moves people without a department first, then departments by name
    # (disclosure.plan sorts by size and group key; that key of "no department" sorts first).
    rest = sorted(
        ((n, name) for name, n in groups.items() if n >= MIN),
        key=lambda item: (item[0], "" if item[1] == NO_DEPT else item[1].casefold()),
    )
    while bucket and sum(groups[g] for g in bucket) < MIN and rest:
        bucket.add(rest.pop(0)[1])
    named = sorted(name for _, name in rest if name != NO_DEPT)
    if not named:  # no department can be named: the theme shows nothing at all
        assert counts == {} and shown == []
        return
    if not shown:  # one group in all: a big figure instead of a one-bar chart
        assert len(named) == 1 and not bucket and set(groups) == {named[0]}
        return
    for group, seats in counts.items():
        assert seats >= MIN, (group, seats)
    assert sum(counts.values()) == sum(groups.values())
    assert sorted(g for g in counts if g in people and g != NO_DEPT) == named
    assert (NO_DEPT in counts) == (NO_DEPT in groups and NO_DEPT not in bucket)
    lines = [line for text in body for line in text.splitlines()]
    ranked = [line for line in lines if "Am besten genutzt" in line or "den höchsten Anteil" in line]
    assert not [line for line in ranked if MERGED in line or NO_DEPT in line]


@pytest.mark.usefixtures("no_deck_pdf")  # reads the deck's chart and notes
def test_one_small_department_is_never_a_bucket_of_its_own(tmp_path: Path):
    """The report's case: exactly one department under the minimum. It must not become a
    one-department "other" bar; the smallest big department joins it."""
    ws = write_workspace(
        tmp_path / "ws",
        MINIMAL_CONFIG + f"privacy: {{min_group_size: {MIN}}}\n",
        {"data/seats.csv": seats_csv([8, 6, 1], 0)},
        audiences=AUDIENCES.replace("formats: [pptx, onepager]", "formats: [pptx]"),  # the deck is what it reads
    )
    build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", today=date(2026, 11, 3)))
    pairs, labels, body, notes = chart_and_notes(ws / "out" / "2026-10" / "itsm" / "sambrief-itsm-2026-10.pptx")
    assert [c for c, _ in pairs] == ["AbtAx", MERGED]
    assert f"– {MERGED}: 3 / 7" in notes  # AbtB (6) and AbtC (1): 7 people, 3 of them idle (persons 9, 12, 15)
    assert "AbtCx" not in notes and "AbtBx" not in notes
