"""A missing column makes a figure unknown, never 0 (issue 22, items 1 and 2).

The drop-one-column matrix: for every layout's fixture (tests/vendor_fixtures.py) and for the
example workspace, each non-required column is dropped in turn, and groups of related columns
together (every column of a field, both dates of a request, all price columns). The build then
completes or refuses with one line naming the file and the column; a figure that rests on the
column is absent; every other figure is unchanged; no figure becomes 0 because a column is
missing. A sample runs in the fast tier, the whole matrix in the slow tier.

Figures are computed through the library (read sources, build the model, compose every
audience) without rendering: the numbers are what is checked here; the rendered decks are
checked by test_example and test_statements.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import vendor_fixtures as vf
from conftest import copy_example, write_workspace
from openpyxl import load_workbook

from sambrief.briefing.compose import SharedThemes, compose
from sambrief.commands.stages import canonical_model, read_sources
from sambrief.config.workspace import load_settings
from sambrief.errors import ConfigError, InputError
from sambrief.ingest.canonical import LoadedSource, SourcePin, load_source
from sambrief.ingest.datasets import DATASETS
from sambrief.ingest.privacy import Pseudonymiser
from sambrief.model.core import Period
from sambrief.text import clean_text

FIXTURE_CONFIG = """\
organisation: Test AG
language: de
contact: {team: Lizenzmanagement, email: lm@test.example}
sources:
  - data/*
prices:
  Microsoft 365 E3: 33.70
  Microsoft 365 E5: 54.75
  Google Workspace: 12.00
"""
TODAY = date(2026, 11, 15)

# Figures that count what is unknown (products without a price, seats without usage data): they
# rest on the column by saying how much lacks it, so they may change when it is dropped.
ABOUT_UNKNOWN = {
    "risk.products_price_unknown",
    "open_issues.exposure_unknown",
    "cloud_sprawl.products_price_unknown",
    "opportunities.products_price_unknown",
    "cloud_sprawl.seats_no_activity_data",
    "cloud_sprawl.seats_with_activity_data",
    "cloud_sprawl.blocked_unpriced",
}
# Columns that decide what the other columns mean, so that figures change value (not to 0 and
# not to a guess) when they are missing; each with the figures it may change and why.
DECIDES: dict[tuple[str, str], tuple[str, ...]] = {
    # the report date says how recent "recent" is (without it: the period's end)
    ("cloud_seats", "report_date"): (
        "cloud_sprawl.",
        "cloud_departments.",
        "opportunities.idle",
        "opportunities.blocked",
    ),
    ("cloud_activity", "report_date"): ("cloud_sprawl.", "cloud_departments.", "opportunities.idle"),
    # an activity row without a product is an account signal for every seat of the person
    ("cloud_activity", "product"): ("cloud_sprawl.", "cloud_departments.", "opportunities.idle"),
    # a blocked or deleted account's seat is unused whatever its activity; without the column the
    # seats count by their activity alone (and the blocked figures are absent)
    ("cloud_seats", "account_disabled"): ("cloud_sprawl.", "cloud_departments.", "opportunities.idle"),
    ("cloud_seats", "deleted_date"): ("cloud_sprawl.", "cloud_departments.", "opportunities.idle"),
    ("cloud_activity", "account_disabled"): ("cloud_sprawl.", "cloud_departments.", "opportunities.idle"),
    # the register's audiences column decides which rows an audience sees
    ("successes", "audiences"): ("successes.",),
    ("actions", "audiences"): ("open_issues.",),
    # a contract's state says whether it is still in force (expired, cancelled and draft ones do
    # not end); without the column every listed contract with an end date counts, as the
    # calendar's notes say
    ("contracts", "state"): ("renewals.",),
    # without a contract's annual value its total value is the amount (the series, the notes and
    # the definition say "Gesamtwert")
    ("contracts", "annual_value"): ("renewals.",),
    # ServiceNow request classification (state, stage, approval; issue 22 item 4) is the snow
    # branch's work: until it lands, the procurement counts follow the columns there are.
    ("requests", "state"): ("procurement.",),
    ("requests", "approval_date"): ("procurement.",),
    ("requests", "closed_date"): ("procurement.",),
}
# One of several columns of a field gone (the Active users report's activity date of one
# workload): the row's value is taken from the others, so the figures resting on it may change.
PARTIAL: dict[tuple[str, str], tuple[str, ...]] = {
    ("cloud_seats", "last_activity"): ("cloud_sprawl.", "cloud_departments.", "opportunities.idle"),
    ("cloud_activity", "last_activity"): ("cloud_sprawl.", "cloud_departments.", "opportunities.idle"),
}
# Of those, the ones whose figures may still fall to 0 until the work named lands (the snow
# branch classifies requests by state, stage and approval: issue 22 item 4).
PENDING_ELSEWHERE = {("requests", "state"), ("requests", "approval_date"), ("requests", "closed_date")}
# Fields dropped together as one group besides "every column of one field".
RELATED = (
    ("license_position", ("unit_price", "total_cost", "exposure")),
    ("requests", ("approval_date", "closed_date")),
)


@dataclass(frozen=True)
class Drop:
    file: str  # path inside the workspace
    headers: tuple[str, ...]  # the header cells to drop
    fields: tuple[str, ...]  # the canonical fields they carry
    dataset: str
    partial: bool = False  # some, not all, of the field's columns: the field stays, with less evidence per row

    @property
    def id(self) -> str:
        return f"{Path(self.file).name}-{'+'.join(self.fields)}"


def figures_of(ws: Path, period: Period | None) -> dict[str, dict[str, Any]]:
    """Every audience's figures, as a build states them (no rendering)."""
    settings = load_settings(ws / "sambrief.yaml")
    sources, _ = read_sources(settings, lambda _: None, period=period)
    model = canonical_model(sources, period, TODAY)
    shared = SharedThemes()
    return {
        key: compose(model, settings, audience, shared=shared).figures for key, audience in settings.audiences.items()
    }


def loaded(ws: Path) -> list[LoadedSource]:
    settings = load_settings(ws / "sambrief.yaml")
    return read_sources(settings, lambda _: None)[0]


def drops_of(ws: Path, sources: list[LoadedSource]) -> list[Drop]:
    """Each non-required column alone, every column of a field together, and the related groups."""
    out: list[Drop] = []
    for source in sources:
        dataset = DATASETS[source.dataset]
        required = {f.name for f in dataset.fields if f.required}
        by_field: dict[str, list[str]] = {}
        for header, field_name in source.mapping.items():
            if field_name not in required and field_name in dataset.field_names:
                by_field.setdefault(field_name, []).append(header)
        rel = str(source.path.relative_to(ws))
        for field_name, headers in by_field.items():
            out += [Drop(rel, (h,), (field_name,), source.dataset, partial=len(headers) > 1) for h in headers]
            if len(headers) > 1:
                out.append(Drop(rel, tuple(headers), (field_name,), source.dataset))
        for name, group in RELATED:
            present = [f for f in group if f in by_field]
            if name == source.dataset and len(present) > 1:
                out.append(Drop(rel, tuple(h for f in present for h in by_field[f]), tuple(present), source.dataset))
    return out


def drop_columns(path: Path, source: LoadedSource, headers: tuple[str, ...]) -> None:
    """Remove the columns with these header cells from the export, keeping its format."""
    wanted = set(headers)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        wb = load_workbook(path)
        ws = wb[source.sheet] if source.sheet else wb.active
        row = [clean_text(c.value) if c.value is not None else "" for c in ws[source.header_row]]
        for index in sorted((i + 1 for i, h in enumerate(row) if h in wanted), reverse=True):
            ws.delete_cols(index)
        wb.save(path)
        return
    encoding = source.encoding or "utf-8"
    text = path.read_bytes().decode(encoding)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter or ","))
    header = [clean_text(c) for c in rows[source.header_row - 1]]
    keep = [i for i, h in enumerate(header) if h not in wanted]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=source.delimiter or ",", lineterminator="\r\n" if "\r\n" in text else "\n")
    for row in rows:
        writer.writerow([row[i] for i in keep if i < len(row)])
    path.write_bytes(out.getvalue().encode(encoding))


def check_drop(
    ws: Path, drop: Drop, before: dict[str, dict[str, Any]], period: Period | None, source: LoadedSource
) -> None:
    drop_columns(ws / drop.file, source, drop.headers)
    try:
        after = figures_of(ws, period)
    except (InputError, ConfigError) as exc:
        message = str(exc)
        assert "\n" not in message.strip(), message
        assert Path(drop.file).name in message, message
        names = {*drop.headers, *drop.fields}
        # The dropped column by name; or, where the file no longer fits its layout, the columns
        # it lacks for the nearest one, or the layouts to pin (unknown-file handling: issue 22 item 7).
        named = (
            any(n in message for n in names)
            or "required column missing" in message
            or "fits several layouts" in message
        )
        assert named, f"{drop.id}: the refusal names no column: {message}"
        return
    may_change = tuple(p for f in drop.fields for p in DECIDES.get((drop.dataset, f), ()))
    if drop.partial:  # one of several columns of a field (one workload's activity date): less evidence, not none
        may_change += tuple(p for f in drop.fields for p in PARTIAL.get((drop.dataset, f), ()))
    for audience, figures in before.items():
        now = after[audience]
        for key, value in figures.items():
            if key in ABOUT_UNKNOWN or key.startswith(may_change) or key not in now:
                continue  # absent: unknown, as it should be where the figure rests on the column
            assert now[key] == value, (
                f"{drop.id}: {audience} {key} changed from {value} to {now[key]} instead of being absent"
            )
        for key, value in now.items():
            if key in ABOUT_UNKNOWN:
                continue
            pending = key.startswith(may_change) and any((drop.dataset, f) in PENDING_ELSEWHERE for f in drop.fields)
            became_zero = value == 0 and figures.get(key) != 0 and not pending
            assert not became_zero, (
                f"{drop.id}: {audience} {key} is 0 only because {drop.headers} is missing (was {figures.get(key)})"
            )
            assert key in figures or key.startswith(may_change), f"{drop.id}: {audience} {key} = {value} appeared"


def run_matrix(make: Any, tmp_path: Path, pick: Any = None) -> int:
    """Build the workspace, then each drop on a fresh copy; returns how many drops ran."""
    base = make(tmp_path / "base")
    sources = loaded(base)
    period = canonical_model(
        sources, None, TODAY
    ).period  # the same period for every drop (a report date may be dropped)
    before = figures_of(base, period)
    by_file = {str(s.path.relative_to(base)): s for s in sources}
    drops = [d for d in drops_of(base, sources) if pick is None or pick(d)]
    for i, drop in enumerate(drops):
        ws = tmp_path / f"drop{i}"
        shutil.copytree(base, ws)
        check_drop(ws, drop, before, period, by_file[drop.file])
        shutil.rmtree(ws)
    return len(drops)


def fixture_workspace(layout: str):  # noqa: ANN201
    name, make = vf.LAYOUT_FIXTURES[layout]

    def build_ws(root: Path) -> Path:
        return write_workspace(root, FIXTURE_CONFIG, {f"data/{name}": make()})

    return build_ws


def example_workspace_maker(root: Path) -> Path:
    return copy_example(root)


# --- the fast sample ---------------------------------------------------------------------


# One layout in the fast tier; the other is in the slow tier's whole matrix below, with every layout.
@pytest.mark.parametrize(
    "layout", [pytest.param("google_workspace_users", marks=pytest.mark.slow), "servicenow_requested_items_fields"]
)
def test_fixture_columns_dropped_sample(layout, tmp_path):
    assert run_matrix(fixture_workspace(layout), tmp_path) > 0


def _example_with(tmp_path: Path, file: str, headers: tuple[str, ...]) -> Path:
    ws = copy_example(tmp_path / "ws")
    # Where the header is, and the file's encoding and delimiter: that file alone (the example pins none).
    source = load_source(ws / file, SourcePin(), Pseudonymiser(b"k" * 16))
    drop_columns(ws / file, source, headers)
    return ws


def test_without_activity_no_seat_is_unused_and_the_slide_says_so(tmp_path):
    ws = _example_with(tmp_path, "examples/data/2026-10/cloud_lizenzen.csv", ("Letzte Aktivität",))
    settings = load_settings(ws / "sambrief.yaml")
    briefing = compose(
        canonical_model(read_sources(settings, lambda _: None)[0], None, TODAY),
        settings,
        settings.audiences["management"],
    )
    figures = briefing.figures
    assert figures["cloud_sprawl.seats_assigned"] == 2020 and figures["cloud_sprawl.seats_no_activity_data"] == 2020
    for key in (
        "cloud_sprawl.seats_idle",
        "cloud_sprawl.seats_never_used",
        "cloud_sprawl.idle_cost_year",
        "opportunities.idle_saving_year",
    ):
        assert key not in figures, key
    cloud = next(f for f in briefing.findings if f.key == "cloud_sprawl.idle")
    assert cloud.headline == "2.020 Cloud-Lizenzen sind zugewiesen – ob sie genutzt werden, zeigen die Daten nicht"
    slide = " ".join([cloud.headline, *cloud.bullets, *briefing.key_points])
    assert "nicht genutzt" not in slide and "nie genutzt" not in slide and "ungenutzt" not in slide


def test_without_prices_the_gap_is_unknown_not_zero(tmp_path):
    ws = _example_with(tmp_path, "examples/data/2026-10/lizenzbilanz.csv", ("Einzelpreis (EUR)",))
    figures = figures_of(ws, None)["management"]
    assert figures["risk.products_short"] == 16 and figures["risk.products_price_unknown"] == 16
    for key in (
        "risk.exposure_total",
        "risk.surplus_value",
        "risk.top_publishers_share",
        "opportunities.surplus_value",
    ):
        assert key not in figures, key


def test_request_export_without_approval_date_builds(tmp_path):
    """The crash of issue 22: closed_at but no approval date stopped every build (KeyError)."""
    ws = _example_with(tmp_path, "examples/data/2026-10/servicenow_sc_req_item.csv", ("approval_set",))
    settings = load_settings(ws / "sambrief.yaml")
    model = canonical_model(read_sources(settings, lambda _: None)[0], None, TODAY)
    briefings = {
        key: compose(model, settings, audience) for key, audience in settings.audiences.items()
    }  # every audience builds
    figures = briefings["business"].figures
    assert figures["lifecycle.median_days"] > 0
    assert "lifecycle.approval_median_days" not in figures and "lifecycle.fulfilment_median_days" not in figures
    steps = next(f for f in briefings["business"].findings if f.key == "lifecycle.explained").process or ()
    assert [s.duration for s in steps if s.label == "Freigabe"] == [""]


def test_licence_list_with_only_the_balance_is_refused(tmp_path):
    ws = write_workspace(
        tmp_path / "ws",
        FIXTURE_CONFIG,
        {"data/bilanz.csv": "Hersteller;Produkt;Über-/Unterdeckung\nAdobe;Acrobat Pro;-3\nMicrosoft;Visio;5\n"},
    )
    with pytest.raises(InputError) as caught:
        figures_of(ws, Period(2026, 10))
    message = str(caught.value)
    assert "\n" not in message and "bilanz.csv" in message
    assert "entitlements" in message and "required" in message


def test_registers_without_optional_columns_leave_their_figures_absent(tmp_path):
    ws = write_workspace(
        tmp_path / "ws",
        FIXTURE_CONFIG,
        {
            "data/erfolge.csv": "Datum;Erfolg;Kategorie\n15.10.2026;Vertrag neu verhandelt;Einsparung\n",
            "data/massnahmen.csv": "Nr.;Maßnahme;Status\n1;Alpha nachkaufen;offen\n2;Prozess klären;in Arbeit\n",
            "data/budget.csv": "Kostenstelle;Budget;Ist\nIT;100000;40000\n",
        },
    )
    figures = {k: v for f in figures_of(ws, Period(2026, 10)).values() for k, v in f.items()}
    assert figures["successes.items_ytd"] == 1 and "successes.savings_ytd" not in figures
    assert (
        figures["open_issues.open"] == 2
        and "open_issues.overdue" not in figures
        and "open_issues.due_soon" not in figures
    )
    assert (
        figures["budget.actual"] == 40000
        and "budget.committed" not in figures
        and "budget.consumed_share" not in figures
    )


def test_check_says_which_columns_are_missing_and_how_to_price(tmp_path):
    from sambrief.commands.check import check_workspace

    ws = _example_with(tmp_path, "examples/data/2026-10/lizenzbilanz.csv", ("Einzelpreis (EUR)",))
    messages = [str(m) for m in check_workspace(ws / "sambrief.yaml").messages]
    assert any(m.startswith("lizenzbilanz.csv: no price column") for m in messages), messages


# --- the whole matrix (slow tier) --------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(vf.LAYOUT_FIXTURES))
def test_fixture_columns_dropped_matrix(layout, tmp_path):
    run_matrix(fixture_workspace(layout), tmp_path)


@pytest.mark.slow
def test_example_columns_dropped_matrix(tmp_path):
    assert run_matrix(example_workspace_maker, tmp_path) > 20
