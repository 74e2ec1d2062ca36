"""Every vendor layout detected with no configuration, read with its documented quirks."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pandas as pd
import pytest
import vendor_fixtures as vf
from conftest import write_workspace
from typer.testing import CliRunner

from sambrief.cli.app import app
from sambrief.commands.build import BuildRequest, build
from sambrief.ingest.canonical import SourcePin, load_source
from sambrief.ingest.layouts import registry
from sambrief.ingest.privacy import Pseudonymiser
from sambrief.model.core import derive_license_position

runner = CliRunner()
PSEUDO = Pseudonymiser(secrets.token_bytes(16))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("layout", sorted(vf.LAYOUT_FIXTURES))
def test_layout_detected_without_configuration(tmp_path, layout):
    name, make = vf.LAYOUT_FIXTURES[layout]
    path = write(tmp_path, name, make())
    result = runner.invoke(app, ["inspect", "--json", str(path)])
    assert result.exit_code == 0, result.stdout + result.stderr
    [entry] = json.loads(result.stdout)
    assert entry["layout"] == layout
    assert entry["path"] == str(path)
    assert entry["rows"] > 0
    assert entry["dataset"] == registry()[layout].dataset


def test_every_packaged_layout_has_a_fixture_or_is_generic():
    untested = {k for k in registry() if k not in vf.LAYOUT_FIXTURES and not k.startswith(("generic_", "register_"))}
    assert untested == set()


def test_every_packaged_layout_has_its_title_in_german_and_english():
    """`inspect` names the layout in the workspace's language: each layout's YAML gives both."""
    from importlib import resources

    from sambrief.packaged import load_packaged

    folder = resources.files("sambrief") / "layouts"
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml"):
            title = load_packaged(entry.read_text(encoding="utf-8"))["title"]
            assert isinstance(title, dict) and set(title) == {"en", "de"}, entry.name
    active = registry()["m365_active_users"].title
    assert (str(active), active.in_language("de")) == (
        "Microsoft 365 Active users report",
        "Microsoft 365: Bericht Aktive Benutzer",
    )


def shortfalls(path: Path) -> dict[str, float]:
    frame = derive_license_position(load_source(path, SourcePin(), PSEUDO).frame)
    short = frame[frame["shortfall"] > 0]
    return dict(zip(short["product"], short["shortfall"])), float(frame["exposure"].fillna(0).sum())


@pytest.mark.parametrize(
    "layout",
    [
        "flexera_compliance",
        "flexera_license_list",
        "snow_compliance_summary",
        "servicenow_license_position_fields",
        "servicenow_license_position",
        "matrix42_compliance_report",
        "smcteam_compliance_report",
    ],
)
def test_same_position_same_shortfalls_in_every_licence_layout(tmp_path, layout):
    name, make = vf.LAYOUT_FIXTURES[layout]
    found, exposure = shortfalls(write(tmp_path, name, make()))
    assert found == vf.EXPECTED_SHORTFALLS
    if layout not in ("flexera_license_list", "smcteam_compliance_report"):  # these carry no prices
        assert exposure == pytest.approx(vf.EXPECTED_EXPOSURE)


def test_snow_english_csv_cost_is_total_not_unit_price(tmp_path):
    found, exposure = shortfalls(write(tmp_path, "snow.csv", vf.snow_compliance_csv_en()))
    assert found == vf.EXPECTED_SHORTFALLS
    assert exposure == pytest.approx(vf.EXPECTED_EXPOSURE)


def test_flexera_unlicensed_installs_count_as_shortfall_without_price(tmp_path):
    path = write(tmp_path, "flexera.csv", vf.flexera_compliance_csv(unlicensed=True))
    frame = derive_license_position(load_source(path, SourcePin(), PSEUDO).frame)
    photoshop = frame[frame["product"] == "Photoshop"].iloc[0]
    assert photoshop["shortfall"] == 37
    assert not photoshop["price_known"]


def test_matrix42_title_block_and_totals(tmp_path):
    path = write(tmp_path, "m42.xlsx", vf.matrix42_report_xlsx())
    source = load_source(path, SourcePin(), PSEUDO)
    assert source.sheet == "Compliance" and source.header_row == 5
    assert source.dropped == {"totals row": 1}
    assert len(source.frame) == 3


def test_m365_active_users_quirks(tmp_path):
    path = write(tmp_path, "m365.csv", vf.m365_active_users_csv())
    source = load_source(path, SourcePin(), PSEUDO)
    frame = source.frame
    assert source.dropped == {"deleted user": 1}
    assert sorted(frame["product"].unique()) == [
        "Enterprise Mobility + Security E3",
        "MICROSOFT 365 COPILOT",
        "MICROSOFT 365 E3",
        "MICROSOFT 365 E5",
    ]
    assert frame["user_key"].nunique() == vf.M365_EXPECTED["users"]
    assert not any("@" in k or k == "5C807787F0A30D1C3CDBB76DC1ED3CAB" for k in frame["user_key"])
    # The latest activity date of a workload the seat's product holds counts (E3: Exchange, Teams, ...).
    anna_e3 = frame[(frame["product"] == "MICROSOFT 365 E3") & frame["last_activity"].notna()].iloc[0]
    assert anna_e3["last_activity"] == pd.Timestamp("2026-10-28")
    # No column of the report is about Copilot or EMS: those seats have no usage data from it,
    # however recent the person's Exchange or Teams activity (issue 22).
    for product in ("MICROSOFT 365 COPILOT", "Enterprise Mobility + Security E3"):
        seats = frame[frame["product"] == product]
        assert seats["last_activity"].isna().all() and not seats["activity_known"].any()
    assert frame[frame["product"] == "MICROSOFT 365 E3"]["activity_known"].all()
    assert "Display Name" not in source.mapping


def test_m365_export_users_has_no_activity_data(tmp_path):
    path = write(tmp_path, "users.csv", vf.m365_export_users_csv())
    source = load_source(path, SourcePin(), PSEUDO)
    assert source.dropped == {"user without licence": 1}
    assert list(source.frame["product"]) == ["Microsoft 365 E3", "Power BI Pro", "Microsoft 365 E3"]
    assert set(source.frame["activity_known"]) == {False}
    assert list(source.frame["account_disabled"]) == [False, False, True]


@pytest.mark.slow
def test_cloud_build_reports_seats_without_activity_not_as_idle(tmp_path):
    config = "organisation: X\ncontact: {team: SAM}\nsources: [data/*]\n"
    ws = write_workspace(tmp_path / "ws", config, {"data/users.csv": vf.m365_export_users_csv()})
    result = build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10"))
    f = result.briefings[0].figures
    assert f["cloud_sprawl.seats_assigned"] == 3
    # No activity column: use is unknown for every seat ("ohne Nutzungsdaten"), never "unused";
    # Clara's blocked seat is stated as blocked.
    assert f["cloud_sprawl.seats_no_activity_data"] == 3 and "cloud_sprawl.seats_idle" not in f
    assert f["cloud_sprawl.seats_blocked"] == 1


def test_google_and_atlassian(tmp_path):
    google = load_source(write(tmp_path, "g.csv", vf.google_users_csv()), SourcePin(), PSEUDO).frame
    assert set(google["product"]) == {"Google Workspace"}
    assert google["last_activity"].isna().sum() == 1  # Never logged in
    assert list(google["account_disabled"]) == [False, False, True, False]
    atl = load_source(write(tmp_path, "a.csv", vf.atlassian_users_csv()), SourcePin(), PSEUDO).frame
    # Anna: Jira + Confluence (never), Ben: Jira, Clara: Confluence -> four seats.
    assert sorted(atl["product"]) == ["Confluence", "Confluence", "Jira Software", "Jira Software"]
    assert atl["last_activity"].isna().sum() == 1


def test_servicenow_requests_drop_person_names(tmp_path):
    for name, make in (("ritm.csv", vf.servicenow_ritm_csv), ("ritm.xlsx", vf.servicenow_ritm_xlsx)):
        source = load_source(write(tmp_path, name, make()), SourcePin(), PSEUDO)
        text = source.frame.to_csv()
        assert "Müller" not in text and "Schäfer" not in text
        assert source.frame.iloc[0]["request_id"] == "RITM0010231"
        assert source.frame.iloc[0]["closed_date"] == pd.Timestamp("2024-03-07")


def test_calamine_and_openpyxl_read_the_same_frame(tmp_path):
    path = write(tmp_path, "m42.xlsx", vf.matrix42_report_xlsx())
    frames = [
        pd.read_excel(path, sheet_name=None, header=None, engine=e, dtype=object) for e in ("calamine", "openpyxl")
    ]
    assert frames[0].keys() == frames[1].keys()
    for sheet in frames[0]:
        a, b = (
            f[sheet].map(
                lambda v: None if v is None or v != v else (int(v) if isinstance(v, float) and v.is_integer() else v)
            )
            for f in frames
        )
        assert a.values.tolist() == b.values.tolist()


def test_ambiguous_layout_names_candidates_and_pin(tmp_path, monkeypatch):
    from dataclasses import replace

    from sambrief.errors import InputError
    from sambrief.ingest import layouts

    snow = layouts.registry()["snow_compliance_summary"]
    swapped = tuple(
        replace(r, field={"product": "publisher", "publisher": "product"}.get(r.field, r.field)) for r in snow.columns
    )
    fake = {**layouts.registry(), "snow_twisted": replace(snow, key="snow_twisted", columns=swapped)}
    monkeypatch.setattr("sambrief.ingest.detect.registry", lambda: fake)
    path = write(tmp_path, "snow.csv", vf.snow_compliance_csv_en())
    with pytest.raises(InputError) as exc:
        load_source(path, SourcePin(), PSEUDO)
    assert "fits several layouts equally well (snow_compliance_summary, snow_twisted)" in str(exc.value)
    assert "pin one with `layout: snow_compliance_summary`" in str(exc.value)
    assert load_source(path, SourcePin(layout="snow_twisted"), PSEUDO).layout == "snow_twisted"


@pytest.mark.slow
def test_whole_build_from_flexera_m365_servicenow(tmp_path):
    config = (
        "organisation: Contoso GmbH\ncontact: {team: SAM}\nsources: [data/*]\n"
        "prices: {Microsoft 365 E3: 33.70, Microsoft 365 E5: 54.75, Microsoft 365 Copilot: 28.10}\n"
    )
    ws = write_workspace(
        tmp_path / "ws",
        config,
        {
            "data/flexera.csv": vf.flexera_compliance_csv(),
            "data/m365.csv": vf.m365_active_users_csv(),
            "data/ritm.csv": vf.servicenow_ritm_csv(),
        },
    )
    result = build(BuildRequest(config=ws / "sambrief.yaml"))
    assert result.period == "2026-10"
    f = result.briefings[0].figures
    assert f["risk.exposure_total"] == pytest.approx(vf.EXPECTED_EXPOSURE)
    assert f["cloud_sprawl.seats_assigned"] == vf.M365_EXPECTED["seats_assigned"]
    assert f["cloud_sprawl.seats_idle"] == vf.M365_EXPECTED["seats_idle"]
    # idle: 2 x E3 (33.70) priced, EMS unpriced -> 67.40 a month
    assert f["cloud_sprawl.idle_cost_month"] == pytest.approx(67.40)
    import zipfile

    deck = next(p for p in result.written if p.suffix == ".pptx")
    with zipfile.ZipFile(deck) as z:
        text = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    text += (result.out_dir / "manifest.json").read_text("utf-8")
    for identifier in (
        "anna.mueller",
        "ben.schulz",
        "5C807787F0A30D1C3CDBB76DC1ED3CAB",
        "Anna Müller",
        "Jörg Schäfer",
        "contoso.example",
    ):
        assert identifier not in text
