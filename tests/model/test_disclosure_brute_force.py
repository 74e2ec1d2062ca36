"""The brute-force disclosure test (issue 24): the example with a one-person department
(Vorstand), a two-person department (Revision) and one person without a department, built
for October with and without departmental briefings. Every number the period publishes is
collected (manifest figures, the history, details.csv, deck texts and notes, chart values,
one-pagers, the intranet page; each list's column sums too), and every subtraction of two of
them is tried: none may equal a small group's figure.

Which numbers are "the same number" is decided by building the period four times, with the
small groups' seats and requests different in each variant and everything else equal: a
difference that equals a small group's figure in every variant describes that group (the rest
of the difference is zero); a coincidence would have to repeat with other values.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections import defaultdict
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest
from conftest import copy_example
from pptx import Presentation

from sambrief.commands.build import BuildRequest, build

ACTIVE, SEAT_HEADER = "20.10.2026", "Benutzer;Produkt;Zugewiesen am;Letzte Aktivität;Abteilung;Stichtag"
MIN = 5

# The small groups in two variants: per person the seats (product, active?) and the requests waiting.
VARIANTS = {
    "A": {
        "": {"n1": [("Microsoft 365 E3", False), ("Visio Plan 2", False)]},
        "Vorstand": {"v1": [("Microsoft 365 E5", False), ("Power BI Pro", True)]},
        "Revision": {"r1": [("Microsoft 365 E3", True), ("Visio Plan 2", False)], "r2": [("Microsoft 365 E3", True)]},
    },
    "B": {
        "": {
            "n1": [
                ("Microsoft 365 E3", False),
                ("Visio Plan 2", False),
                ("Power BI Pro", False),
                ("Miro Business", True),
            ]
        },
        "Vorstand": {"v1": [("Microsoft 365 E5", False), ("Power BI Pro", False), ("Visio Plan 2", False)]},
        "Revision": {
            "r1": [("Microsoft 365 E3", False), ("Visio Plan 2", False)],
            "r2": [("Microsoft 365 E3", False), ("Power BI Pro", False), ("Miro Business", True)],
        },
    },
    "C": {
        "": {
            "n1": [
                ("Microsoft 365 E3", False),
                ("Visio Plan 2", True),
                ("Power BI Pro", True),
                ("Miro Business", True),
                ("Adobe Acrobat Pro (Cloud)", True),
            ]
        },
        "Vorstand": {
            "v1": [
                ("Microsoft 365 E5", True),
                ("Power BI Pro", True),
                ("Visio Plan 2", False),
                ("Adobe Acrobat Pro (Cloud)", False),
                ("Miro Business", False),
            ]
        },
        "Revision": {
            "r1": [
                ("Microsoft 365 E3", False),
                ("Visio Plan 2", False),
                ("Power BI Pro", False),
                ("Miro Business", False),
            ],
            "r2": [("Microsoft 365 E3", False), ("Adobe Acrobat Pro (Cloud)", False)],
        },
    },
    "D": {
        "": {
            "n1": [
                ("Microsoft 365 E3", False),
                ("Microsoft 365 E5", True),
                ("Visio Plan 2", True),
                ("Power BI Pro", True),
                ("Miro Business", False),
                ("Adobe Acrobat Pro (Cloud)", True),
            ]
        },
        "Vorstand": {"v1": [("Microsoft 365 E5", False)]},
        "Revision": {
            "r1": [
                ("Microsoft 365 E3", False),
                ("Microsoft 365 E5", False),
                ("Visio Plan 2", False),
                ("Power BI Pro", False),
                ("Miro Business", False),
                ("Adobe Acrobat Pro (Cloud)", False),
            ],
            "r2": [("Microsoft 365 E3", True)],
        },
    },
}
REQUESTS = {  # department -> (requester, opened) of the requests waiting for approval
    "A": {
        "": [("n1", "2026-09-12")],
        "Vorstand": [("v1", "2026-09-10")],
        "Revision": [("r1", "2026-10-01"), ("r2", "2026-10-02")],
    },
    "B": {
        "": [("n1", "2026-09-12"), ("n1", "2026-10-21")],
        "Vorstand": [("v1", "2026-09-10"), ("v1", "2026-10-20")],
        "Revision": [("r1", "2026-10-01"), ("r2", "2026-10-02"), ("r2", "2026-10-03")],
    },
    "C": {
        "": [("n1", "2026-09-12"), ("n1", "2026-10-05"), ("n1", "2026-10-25")],
        "Vorstand": [("v1", "2026-09-10"), ("v1", "2026-09-30"), ("v1", "2026-10-08"), ("v1", "2026-10-28")],
        "Revision": [("r1", "2026-10-01"), ("r2", "2026-10-02")],
    },
    "D": {
        "": [("n1", f"2026-10-{d:02d}") for d in (2, 6, 9, 13, 22)],
        "Vorstand": [("v1", "2026-08-20")],
        "Revision": [("r1", "2026-09-01"), ("r1", "2026-10-11"), ("r2", "2026-10-12"), ("r2", "2026-10-30")],
    },
}


# The big departments change too (new people, a different number per department and variant),
# so that a number that stays the same in every variant (a year in a product name, a count of
# requests) can never pass for the figure of a department, or of everyone but the small groups.
BIG = {"A": 0, "B": 3, "C": 7, "D": 12}
DEPARTMENTS = (
    "Einkauf",
    "Entwicklung",
    "Finanzen",
    "IT",
    "Logistik",
    "Marketing",
    "Personal",
    "Produktion",
    "Qualität",
    "Vertrieb",
)


def newcomers(variant: str) -> list[tuple[str, str]]:
    """(person, department) of the big departments' new people: each with an unused E3 and Visio
    seat and a request waiting."""
    return [(f"x{j}n{i}", dept) for j, dept in enumerate(DEPARTMENTS) for i in range((BIG[variant] * (j + 2)) % 9)]


def small_group_figures(variant: str) -> dict[str, dict[str, int]]:
    """Per group of small groups (every union under the minimum): seats, unused seats, requests waiting."""
    people = {"": 1, "Vorstand": 1, "Revision": 2}
    out = {}
    names = list(people)
    for r in range(1, len(names) + 1):
        for combo in combinations(names, r):
            if sum(people[g] for g in combo) >= MIN:
                continue
            seats = [s for g in combo for person in VARIANTS[variant][g].values() for s in person]
            out["+".join(g or "ohne Abteilung" for g in combo)] = {
                "seats": len(seats),
                "unused": sum(not active for _, active in seats),
                "waiting": sum(len(REQUESTS[variant][g]) for g in combo),
            }
    return out


def workspace(root: Path, variant: str) -> Path:
    ws = copy_example(root)
    month = ws / "examples" / "data" / "2026-10"
    seats = month / "cloud_lizenzen.csv"
    lines = [
        f"{person}@muster-gmbh.example;{product};01.01.2025;{ACTIVE if active else ''};{dept};31.10.2026"
        for dept, people in VARIANTS[variant].items()
        for person, held in people.items()
        for product, active in held
    ]
    lines += [
        f"{person}@muster-gmbh.example;{product};01.01.2025;;{dept};31.10.2026"
        for person, dept in newcomers(variant)
        for product in ("Microsoft 365 E3", "Visio Plan 2")
    ]
    seats.write_text(seats.read_text("utf-8-sig").rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8-sig")
    requests = month / "servicenow_sc_req_item.csv"
    rows = [
        f'"RITM99{i:04d}","REQ99{i:04d}","Tableau Creator","{person} Muster","{dept}","{opened} 09:00:00","Requested","",'
        f'"Waiting for Approval","Open",""'
        for i, (dept, person, opened) in enumerate(
            [(d, p, o) for d, items in REQUESTS[variant].items() for p, o in items]
            + [(dept, person, "2026-10-15") for person, dept in newcomers(variant)]
        )
    ]
    text = requests.read_bytes().decode("cp1252").rstrip("\n")
    requests.write_bytes((text + "\n" + "\n".join(rows) + "\n").encode("cp1252"))
    return ws


_NUMBER = re.compile(r"(?<![\w.,])-?\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d])|(?<![\w.,])-?\d+(?:,\d+)?(?![\d])")


def numbers_in(text: str) -> list[float]:
    """The counts and amounts of a text; shares ('23 %') are ratios, never a group's count or sum."""
    return [
        float(m.group().replace(".", "").replace(",", "."))
        for m in _NUMBER.finditer(text)
        if not text[m.end() :].lstrip(" \xa0").startswith("%")
    ]


def skeleton(text: str) -> str:
    return _NUMBER.sub("#", text)


class Published:
    """Every number of the period, each under a key that names where it stands."""

    def __init__(self) -> None:
        self.values: dict[tuple, float] = {}
        self._seen: defaultdict[tuple, int] = defaultdict(int)

    def line(self, where: str, text: str) -> None:
        shape = (where, skeleton(text))
        self._seen[shape] += 1
        for i, value in enumerate(numbers_in(text)):
            self.values[(*shape, self._seen[shape], i)] = value

    def lists(self, where: str, items: list[str]) -> None:
        """A list's column sums: what the list states about everyone on it."""
        shapes = {len(numbers_in(item)) for item in items}
        if len(items) > 1 and len(shapes) == 1:
            columns = zip(*(numbers_in(item) for item in items))
            for i, column in enumerate(columns):
                self.values[(where, "sum", len(items), i)] = sum(column)


def collect(period: Path, history: Path) -> dict[tuple, float]:
    found = Published()
    manifest = json.loads((period / "manifest.json").read_text("utf-8"))
    for audience, entry in manifest["audiences"].items():
        for key, value in entry["figures"].items():
            if isinstance(value, (int, float)):
                found.values[("manifest", audience, key)] = float(value)
    with sqlite3.connect(history) as con:
        for audience, key, value in con.execute("SELECT audience, key, value FROM figures WHERE period = '2026-10'"):
            if value is not None:
                found.values[("history", audience, key)] = value
        for audience, chart, category, value in con.execute(
            "SELECT audience, chart, category, value FROM breakdowns WHERE period = '2026-10'"
        ):
            found.values[("history", audience, chart, category)] = value
    for path in sorted(period.rglob("details.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))
        per_list: defaultdict[tuple, list[str]] = defaultdict(list)
        for row in rows[1:]:
            found.line(f"{path.parent.name}/details.csv", ";".join(row))
            per_list[(skeleton(row[0]), skeleton(row[1]))].append(row[2])
        for name, items in per_list.items():
            found.lists(f"{path.parent.name}/details.csv/{name}", items)
    for path in sorted(period.rglob("*.pptx")):
        for n, slide in enumerate(Presentation(str(path)).slides):
            where = f"{path.parent.name}/slide{n}"
            for shape in slide.shapes:
                if shape.has_text_frame:
                    for paragraph in shape.text_frame.text.splitlines():
                        found.line(where, paragraph)
                if shape.has_chart:
                    plot = shape.chart.plots[0]
                    for category, value in zip(plot.categories, plot.series[0].values):
                        found.values[(where, "chart", str(category))] = float(value)
            notes = slide.notes_slide.notes_text_frame.text.splitlines() if slide.has_notes_slide else []
            for line in notes:
                found.line(f"{where}/notes", line)
            items = [line for line in notes if line.startswith("– ")]
            found.lists(f"{where}/notes", items)
    for path in sorted(period.rglob("*.html")):
        text = re.sub(r"<[^>]+>", "\n", path.read_text("utf-8"))
        for line in filter(None, (x.strip() for x in text.splitlines())):
            found.line(f"{path.parent.name}/{path.name}", line)
    return found.values


def build_period(ws: Path, departments: list[str]) -> tuple[Path, list[str]]:
    refused = []
    for department in [None, *departments]:
        try:
            build(
                BuildRequest(
                    config=ws / "sambrief.yaml", period="2026-10", today=date(2026, 11, 3), department=department
                )
            )
        except Exception as exc:  # a refusal is allowed: it writes nothing
            refused.append(f"{department}: {exc}")
    return ws / "out" / "2026-10", refused


def revealed(built: dict[str, dict[tuple, float]]) -> list[str]:
    """Every published number, and every difference of two, that equals a small group's figure
    in every variant."""
    variants = sorted(built)
    keys = sorted(set.intersection(*(set(v) for v in built.values())), key=repr)
    figures = {v: small_group_figures(v) for v in variants}
    by_values: dict[tuple[float, ...], list[tuple[str, str]]] = defaultdict(list)
    for name, measures in figures[variants[0]].items():
        for measure in measures:
            target = tuple(figures[v][name][measure] for v in variants)
            assert len(set(target)) > 1, (
                name,
                measure,
            )  # a figure the same in every variant could not be told from a constant
            by_values[target].append((name, measure))
    values = [(k, tuple(built[v][k] for v in variants)) for k in keys]
    found = [f"{target}: {k}" for k, vs in values for target in by_values.get(vs, [])]
    # every pair (x, y) with x - y equal to a target in every variant: y is looked up by x - target
    at: dict[tuple[float, ...], list[tuple]] = defaultdict(list)
    for k, vs in values:
        at[vs].append(k)
    for k, vs in values:
        for target, names in by_values.items():
            for other in at.get(tuple(a - b for a, b in zip(vs, target)), []):
                found.extend(f"{name}: {k} - {other}" for name in names)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("departments", [[], ["Logistik", "Vorstand", "Revision"]], ids=["company", "with-departments"])
def test_no_two_published_numbers_reveal_a_small_group(tmp_path, departments):
    built = {}
    for variant in VARIANTS:
        ws = workspace(tmp_path / variant, variant)
        period, refused = build_period(ws, departments)
        assert not refused, refused
        built[variant] = collect(period, ws / ".sambrief" / "history.sqlite")
    assert len(built["A"]) > 500  # the period's numbers were found (a sanity check of the collector)
    leaks = revealed(built)
    assert not leaks, "\n".join(leaks[:20])
