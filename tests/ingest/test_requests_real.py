"""Real ServiceNow request exports: what became of each request (state, stage and approval
together), dates as Excel re-saves them, and the period the data shows (issue 22, items 4, 5, 9)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import vendor_fixtures as vf
from conftest import REPO, write_workspace

from sambrief.commands.build import BuildRequest, draft
from sambrief.errors import InputError

CONFIG = """\
organisation: Test AG
language: de
contact: {team: Lizenzmanagement, email: lm@test.example}
sources:
  - data/*.csv
  - data/*.xlsx
"""
# These tests read figures, findings and notices: each workspace is drafted (read, modelled and
# composed as a build does, nothing rendered).
AUDIENCES = """audiences:
  itsm: {language: de, themes: [procurement], max_slides: 10, formats: [pptx]}
  business: {language: de, themes: [lifecycle], max_slides: 10, formats: [pptx]}
"""
TODAY = date(2026, 6, 12)  # the export was taken on 2026-06-10 (its newest update)


def run(tmp_path: Path, files: dict[str, str | bytes], **kwargs):
    ws = write_workspace(tmp_path / "ws", CONFIG, files, AUDIENCES)
    result = draft(BuildRequest(config=ws / "sambrief.yaml", today=TODAY, **kwargs))
    return {b.output_key: b.figures for b in result.briefings}, result


def procurement(figures: dict) -> dict:
    return {k.split(".", 1)[1]: v for k, v in figures["itsm"].items() if k.startswith("procurement.")}


def test_a_real_export_counts_what_state_stage_and_approval_say(tmp_path):
    # 85 approved requests in fulfilment, 3 waiting: without approval_set every open one was "waiting" (88).
    figures, _ = run(tmp_path, {"data/sc_req_item.csv": vf.servicenow_ritm_real_csv()}, period="2026-06")
    got = procurement(figures)
    assert {k: got.get(k) for k in vf.SN_RITM_EXPECTED} == vf.SN_RITM_EXPECTED
    # The lead time counts the requests closed complete (14), not the cancelled and rejected ones.
    assert figures["business"]["lifecycle.requests_closed"] == 14


def test_an_export_resaved_by_excel_with_us_dates_reads_the_same(tmp_path):
    # `6/5/26 16:45`: closed_at alone (every day and month 12 or less) reads both ways; the
    # file's sys_created_on (`5/20/26`) proves month-first, as Excel writes in a US locale.
    data = vf.servicenow_ritm_real_csv(us_dates=True)
    assert b"5/20/26 9:15" in data and b"6/5/26 16:45" in data
    figures, _ = run(tmp_path, {"data/sc_req_item.csv": data}, period="2026-06")
    got = procurement(figures)
    assert {k: got.get(k) for k in vf.SN_RITM_EXPECTED} == vf.SN_RITM_EXPECTED


def test_a_requests_only_workspace_builds_the_month_its_data_shows(tmp_path):
    # No report date, no {period} folder: the newest request event (2026-06-10) decides, not
    # the month before the build date.
    figures, result = run(tmp_path, {"data/sc_req_item.csv": vf.servicenow_ritm_real_csv()})
    assert result.period == "2026-06"
    assert procurement(figures)["pending"] == 3


def test_without_closed_at_a_closed_request_is_dated_by_its_last_update(tmp_path):
    figures, _ = run(
        tmp_path, {"data/sc_req_item.csv": vf.servicenow_ritm_real_csv(drop=("closed_at",))}, period="2026-06"
    )
    got = procurement(figures)
    assert got["throughput"] == 14
    assert got["closed_undated"] == 0
    assert figures["business"]["lifecycle.requests_closed"] == 14


def test_without_any_close_date_throughput_is_unknown_not_zero(tmp_path):
    data = vf.servicenow_ritm_real_csv(drop=("closed_at", "sys_updated_on"))
    figures, result = run(tmp_path, {"data/sc_req_item.csv": data}, period="2026-06")
    got = procurement(figures)
    assert "throughput" not in got  # 14 say Closed Complete: unknown how many in June, never 0
    assert got["closed_undated"] == 17
    assert got["pending"] == 3 and got["in_fulfilment"] == 85
    assert any("ohne Abschlussdatum" in str(w) for w in result.warnings)
    finding = next(f for b in result.briefings for f in b.findings if f.key == "procurement.pending")
    assert "noch kein Antrag abgeschlossen" not in finding.key_point
    assert "unbekannt" in finding.key_point
    assert "lifecycle.median_days" not in figures["business"]


def test_without_approval_set_approved_requests_are_not_waiting(tmp_path):
    # The example's October export with approval_set left out: 18 wait, 17 are approved and in fulfilment.
    rows = list(
        csv.reader(io.StringIO((REPO / "examples/data/2026-10/servicenow_sc_req_item.csv").read_text("cp1252")))
    )
    keep = [i for i, h in enumerate(rows[0]) if h != "approval_set"]
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows([[r[i] for i in keep] for r in rows])
    figures, _ = run(tmp_path, {"data/sc_req_item.csv": out.getvalue().encode("cp1252")}, period="2026-10")
    got = procurement(figures)
    assert (got["pending"], got["in_fulfilment"]) == (18, 17)


def test_german_values_and_labels(tmp_path):
    rows = [
        "Nummer;Element;Geöffnet;Geschlossen;Status;Phase;Genehmigung",
        "RITM1;Visio;02.06.2026;05.06.2026;Geschlossen abgeschlossen;Abgeschlossen;Genehmigt",
        "RITM2;Visio;03.06.2026;;Offen;Warten auf Genehmigung;Angefordert",
        "RITM3;Visio;03.06.2026;;In Bearbeitung;Erfüllung;Genehmigt",
        "RITM4;Visio;03.06.2026;04.06.2026;Geschlossen unvollständig;Anfrage storniert;Abgelehnt",
        "RITM5;Visio;04.06.2026;08.06.2026;Geschlossen abgeschlossen;Anfrage storniert;Genehmigt",
    ]
    figures, _ = run(tmp_path, {"data/ritm.csv": "\n".join(rows) + "\n"}, period="2026-06")
    got = procurement(figures)
    # RITM5: state Closed Complete but stage Request Cancelled: cancelled, never provisioned.
    assert {k: got[k] for k in ("pending", "in_fulfilment", "throughput", "closed_incomplete", "rejected")} == {
        "pending": 1,
        "in_fulfilment": 1,
        "throughput": 1,
        "closed_incomplete": 1,
        "rejected": 1,
    }


def test_open_requests_without_any_approval_information_are_not_counted_as_waiting(tmp_path):
    rows = [
        "Antrag;Software;Beantragt am;Bereitgestellt am;Status",
        "R1;Visio;02.06.2026;05.06.2026;Geschlossen",
        "R2;Visio;03.06.2026;;Offen",
        "R3;Visio;04.06.2026;;In Arbeit",
    ]
    figures, result = run(tmp_path, {"data/requests.csv": "\n".join(rows) + "\n"}, period="2026-06")
    got = procurement(figures)
    assert "pending" not in got and "in_fulfilment" not in got  # unknown, not 0 and not 2
    assert got["throughput"] == 1
    finding = next(f for b in result.briefings for f in b.findings if f.key == "procurement.pending")
    assert finding.headline.startswith("2 Software-Anträge sind offen")


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            ("6/5/26 16:45", "6/8/26 9:05"),
            "column 'closed_at': dates such as '6/5/26 16:45' read both day-first and month-first",
        ),
        (
            ("13/5/26 16:45", "6/15/26 9:05"),
            "column 'closed_at': mixes day-first and month-first dates ('13/5/26 16:45' and '6/15/26 9:05')",
        ),
    ],
)
def test_a_date_column_that_reads_both_ways_is_one_clear_line(tmp_path, cells, expected):
    rows = ["number,cat_item,sys_created_on,closed_at,state"] + [
        f"RITM{i},Visio,2026-06-01 9:00,{c},Closed Complete" for i, c in enumerate(cells)
    ]
    ws = write_workspace(tmp_path / "ws", CONFIG, {"data/ritm.csv": "\n".join(rows) + "\n"}, AUDIENCES)
    with pytest.raises(InputError) as error:
        draft(BuildRequest(config=ws / "sambrief.yaml", today=TODAY))
    message = str(error.value)
    assert "ritm.csv" in message and expected in message
    assert "\n" not in message


def test_a_workflows_own_state_is_named_and_the_request_counted_by_its_dates(tmp_path):
    rows = [
        "number,cat_item,opened_at,approval_set,closed_at,state",
        "RITM1,Visio,2026-06-01 9:00,2026-06-02 9:00,,Pending-Client",
        "RITM2,Visio,2026-06-01 9:00,,,Open",
        "RITM3,Visio,2026-06-01 9:00,2026-06-02 9:00,2026-06-04 9:00,Closed Complete",
    ]
    figures, result = run(tmp_path, {"data/ritm.csv": "\n".join(rows) + "\n"}, period="2026-06")
    got = procurement(figures)
    assert (got["pending"], got["in_fulfilment"], got["throughput"]) == (1, 1, 1)
    assert any("'Pending-Client'" in str(w) and "state" in str(w) for w in result.warnings)


@pytest.mark.parametrize(
    "column", ["state", "stage", "approval", "request.requested_for", "due_date", "short_description"]
)
def test_the_real_export_with_one_column_dropped_says_what_it_still_can(tmp_path, column):
    # state, stage and approval each repeat what the other two say about waiting, fulfilment and
    # closing; only approval says a request was rejected: without it, that one was cancelled.
    figures, _ = run(tmp_path, {"data/sc_req_item.csv": vf.servicenow_ritm_real_csv(drop=(column,))}, period="2026-06")
    got = procurement(figures)
    expected = {**vf.SN_RITM_EXPECTED, **({"closed_incomplete": 3, "rejected": 0} if column == "approval" else {})}
    assert {k: got.get(k) for k in vf.SN_RITM_EXPECTED} == expected


def test_the_real_export_without_its_request_date_is_refused_in_one_line(tmp_path):
    ws = write_workspace(
        tmp_path / "ws",
        CONFIG,
        {"data/sc_req_item.csv": vf.servicenow_ritm_real_csv(drop=("sys_created_on",))},
        AUDIENCES,
    )
    with pytest.raises(InputError) as error:
        draft(BuildRequest(config=ws / "sambrief.yaml", today=TODAY))
    message = str(error.value)
    assert (
        "sc_req_item.csv" in message and "requested_date" in message and "opened_at" in message and "\n" not in message
    )


def test_german_excel_resaved_dates_with_two_digit_years(tmp_path):
    rows = [
        "Antrag;Software;Beantragt am;Genehmigt am;Bereitgestellt am;Status",
        "R1;Visio;01.06.26 09:15;02.06.26 10:00;05.06.26 16:45;Geschlossen",
        "R2;Visio;03.06.26 08:00;;;Offen",
    ]
    figures, _ = run(tmp_path, {"data/requests.csv": "\n".join(rows) + "\n"}, period="2026-06")
    got = procurement(figures)
    assert (got["pending"], got["throughput"]) == (1, 1)
    assert figures["business"]["lifecycle.median_days"] == 4
