"""Activity as evidence per product (issue 22): each usage report is its own layout and evidence of
one workload; a seat is in use only when a recent signal covers a workload its product holds, and
has no usage data (never "unused") when no export covers it. More seat sources: Slack, Entra's
current download, Atlassian's licensed products."""

from __future__ import annotations

import json
import secrets
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import vendor_fixtures as vf
from conftest import write_workspace

from sambrief.commands.build import BuildRequest, build
from sambrief.errors import InputError
from sambrief.ingest.canonical import SourcePin, load_source
from sambrief.ingest.layouts import layout_from_mapping, registry
from sambrief.ingest.privacy import Pseudonymiser
from sambrief.model.core import Period, SourceInfo, build_model, idle_mask

PSEUDO = Pseudonymiser(secrets.token_bytes(16))
WORKLOAD = {
    "m365_teams_user_activity": "teams",
    "m365_teams_device_usage": "teams",
    "m365_email_activity": "exchange",
    "m365_email_app_usage": "exchange",
    "m365_mailbox_usage": "exchange",
    "m365_onedrive_activity": "onedrive",
    "m365_onedrive_usage_account": "onedrive",
    "m365_sharepoint_activity": "sharepoint",
    "m365_copilot_usage": "copilot",
}
VARIANTS = [(layout, variant) for layout, headers in vf.M365_REPORT_HEADERS.items() for variant in headers]


def read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return load_source(path, SourcePin(), PSEUDO)


@pytest.mark.parametrize(("layout", "variant"), VARIANTS)
def test_each_usage_report_is_its_own_layout_and_evidence_of_one_workload(tmp_path, layout, variant):
    # today every one of these was read as "Microsoft 365 Apps usage" (or as the Active users seat report)
    source = read(tmp_path, f"{layout}-{variant}.csv", vf.m365_report_csv(layout, variant))
    assert source.layout == layout
    frame = source.frame
    assert len(frame) == len(vf.M365_REPORT_ROWS[layout])
    assert set(frame["workload"]) == {WORKLOAD[layout]}
    expected = [pd.Timestamp(d) if d else pd.NaT for _, d in vf.M365_REPORT_ROWS[layout]]
    assert [pd.Timestamp(v) if pd.notna(v) else pd.NaT for v in frame["last_activity"]] == expected
    assert set(frame["report_date"]) == {pd.Timestamp("2026-10-31")}


def test_every_usage_report_layout_says_which_workload_it_evidences():
    for key, layout in registry().items():
        if layout.dataset == "cloud_activity" and key.startswith("m365_") and key != "m365_office_activations":
            assert layout.evidence, key  # activations: the row's Product Type says it


def test_sharepoint_site_usage_is_not_a_onedrive_account(tmp_path):
    path = tmp_path / "sp-sites.csv"
    path.write_bytes(
        (
            "\ufeff"
            + vf.SHAREPOINT_SITE_USAGE_HEADER
            + "\n2026-10-31,x,https://t/sites/a,Owner,False,2026-10-20,1,1,1,1,1,1,"
            "Group,anna.mueller@contoso.example,90\n"
        ).encode("utf-8")
    )
    try:
        source = load_source(path, SourcePin(), PSEUDO)
    except InputError:
        return
    assert source.layout != "m365_onedrive_usage_account"


def test_unknown_workload_in_a_layout_is_refused():
    with pytest.raises(ValueError, match="unknown workload 'telepathy'"):
        layout_from_mapping(
            {"key": "x", "dataset": "cloud_activity", "evidence": ["telepathy"], "columns": {"user_key": ["UPN"]}}
        )


def test_copilot_agents_users_are_evidence_of_copilot_use(tmp_path):
    source = read(tmp_path, "DeclarativeAgents_Users_30.csv", vf.m365_copilot_agents_users_csv())
    assert source.layout == "m365_copilot_agents_users"
    assert set(source.frame["workload"]) == {"copilot"}
    assert list(source.frame["last_activity"]) == [pd.Timestamp("2026-10-28"), pd.Timestamp("2026-08-14")]


@pytest.mark.parametrize("dropped", ["Team Chat Message Count", "Call Count"])
def test_a_teams_report_missing_one_column_is_still_teams_activity_not_seats(tmp_path, dropped):
    head = vf.M365_REPORT_HEADERS["m365_teams_user_activity"]["real"]
    text = vf.m365_report_csv("m365_teams_user_activity", "real").decode("utf-8").lstrip("\ufeff")
    at = head.split(",").index(dropped)
    lines = [",".join(c for i, c in enumerate(line.split(",")) if i != at) for line in text.splitlines()]
    source = read(tmp_path, "teams.csv", ("\n".join(lines) + "\n").encode("utf-8"))
    assert (
        source.layout == "m365_teams_user_activity"
    )  # never the Active users seat report (it has Assigned Products too)


def test_a_usage_report_without_its_identifying_columns_names_them(tmp_path):
    path = tmp_path / "mailbox.csv"
    path.write_text(
        "Report Refresh Date,User Principal Name,Display Name,Last Activity Date,Storage Used (Byte),Report Period\n"
        "2026-10-31,anna.mueller@contoso.example,Anna,2026-10-20,1,90\n",
        encoding="utf-8",
    )
    # which usage report this is cannot be told: the nearest one is named with the columns that would tell it
    with pytest.raises(
        InputError,
        match=r"mailbox.csv: required column missing for layout m365_\w+: one of '[a-z ]+'(, '[a-z ]+')* or ",
    ):
        load_source(path, SourcePin(), PSEUDO)


# --- a seat counts only the activity that is about it ------------------------------------------------
def model_of(tmp_path: Path, files: dict[str, bytes]):
    frames: dict[str, list[pd.DataFrame]] = {}
    sources = []
    for name, data in files.items():
        source = read(tmp_path, name, data)
        frames.setdefault(source.dataset, []).append(source.frame)
        sources.append(SourceInfo(source.dataset, name, source.layout, len(source.frame)))
    return build_model(frames, sources, Period(2026, 10), date(2026, 11, 5))


def seat_states(model) -> dict[str, str]:
    """product -> active / idle / no data for the seats of these fixtures (one per product)."""
    seats = model.frame("cloud_seats")
    idle, _ = idle_mask(seats, model.as_of, lambda _product: 90)
    known = seats["activity_known"].to_numpy(dtype=bool)
    state = np.where(idle.to_numpy(), "idle", np.where(known, "active", "no data"))
    return dict(zip(seats["product"].astype(str), state))


def test_a_teams_chat_does_not_make_an_apps_for_enterprise_seat_active(tmp_path):
    # erik chats in Teams and mails, but nothing says he uses the Office apps: no usage data, not "active"
    model = model_of(
        tmp_path,
        {
            "users.csv": vf.m365_seats_erik_csv(),
            "teams.csv": vf.m365_report_csv("m365_teams_user_activity", "real"),
            "mail.csv": vf.m365_report_csv("m365_email_activity"),
        },
    )
    states = seat_states(model)
    assert states["Microsoft 365 Apps for enterprise"] == "no data"
    assert states["Microsoft 365 E3"] == "active"  # anna's E3 holds Exchange and Teams
    assert states["Microsoft 365 Copilot"] == "no data"  # nothing here is about Copilot
    assert model.seat_signals["Microsoft 365 Apps for enterprise"] == ()
    assert model.seat_signals["Microsoft 365 E3"] == (
        "Microsoft 365 Email activity",
        "Microsoft 365 Teams user activity",
    )


def test_exchange_activity_does_not_keep_a_copilot_seat_in_use(tmp_path):
    # the Active users report: anna's Exchange (2026-10-20) and Teams (2026-10-28) use; the Copilot report:
    # she last used Copilot on 2026-05-20, five months before -> that seat is unused
    model = model_of(
        tmp_path,
        {"active.csv": vf.m365_active_users_csv(), "copilot.csv": vf.m365_report_csv("m365_copilot_usage", "real")},
    )
    seats = model.frame("cloud_seats")
    idle, _ = idle_mask(seats, model.as_of, lambda _product: 90)
    copilot = (seats["product"].astype(str) == "MICROSOFT 365 COPILOT").to_numpy()
    assert copilot.sum() == 1 and idle.to_numpy()[copilot].all()
    assert seats["last_activity"][copilot].iloc[0] == pd.Timestamp("2026-05-20")
    assert model.seat_signals["MICROSOFT 365 COPILOT"] == ("Microsoft 365 Copilot usage",)
    # the Active users report's own dates still count for the E3 seats it lists
    assert "Microsoft 365 Active users report" in model.seat_signals["MICROSOFT 365 E3"]


def test_onedrive_and_sharepoint_activity_count_for_the_suites_that_hold_them(tmp_path):
    model = model_of(
        tmp_path,
        {
            "users.csv": vf.m365_seats_erik_csv(),
            "od.csv": vf.m365_report_csv("m365_onedrive_usage_account", "real"),
            "sp.csv": vf.m365_report_csv("m365_sharepoint_activity"),
        },
    )
    seats = model.frame("cloud_seats")
    e3 = seats[seats["product"].astype(str) == "Microsoft 365 E3"].iloc[0]
    assert e3["last_activity"] == pd.Timestamp("2026-10-07")  # the latest of OneDrive (10-05) and SharePoint (10-07)
    assert model.seat_signals["Microsoft 365 E3"] == (
        "Microsoft 365 OneDrive usage (accounts)",
        "Microsoft 365 SharePoint activity",
    )
    # Apps for enterprise includes OneDrive: erik's OneDrive shows no activity at all -> never used, not "no data"
    apps = seats[seats["product"].astype(str) == "Microsoft 365 Apps for enterprise"].iloc[0]
    assert apps["activity_known"] and pd.isna(apps["last_activity"])


@pytest.mark.slow
def test_manifest_seat_signals_say_per_product_which_sources_counted(tmp_path):
    ws = write_workspace(
        tmp_path / "ws",
        "organisation: Contoso GmbH\ncontact: {team: SAM}\nsources: [data/*]\n",
        {
            "data/users.csv": vf.m365_seats_erik_csv(),
            "data/teams.csv": vf.m365_report_csv("m365_teams_user_activity", "real"),
            "data/copilot.csv": vf.m365_report_csv("m365_copilot_usage", "doc"),
            "data/mailbox.csv": vf.m365_report_csv("m365_mailbox_usage", "spaced"),
        },
    )
    result = build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10"))
    figures = result.briefings[0].figures
    # erik's Apps seat: no data; anna's E3: active (mail, Teams); anna's Copilot: last used in May -> unused
    assert (
        figures["cloud_sprawl.seats_assigned"],
        figures["cloud_sprawl.seats_active"],
        figures["cloud_sprawl.seats_idle"],
        figures["cloud_sprawl.seats_no_activity_data"],
    ) == (3, 1, 1, 1)
    manifest = json.loads((result.out_dir / "manifest.json").read_text("utf-8"))
    assert manifest["seat_signals"] == {
        "Microsoft 365 Apps for enterprise": [],
        "Microsoft 365 Copilot": ["Microsoft 365 Copilot usage"],
        "Microsoft 365 E3": ["Microsoft 365 Mailbox usage", "Microsoft 365 Teams user activity"],
    }


# --- more seat sources ---------------------------------------------------------------------------------
def test_slack_members_billing_active_is_a_seat_deactivated_is_blocked(tmp_path):
    source = read(tmp_path, "slack.csv", vf.slack_members_csv())
    assert source.layout == "slack_members"
    frame = source.frame
    assert list(frame["product"]) == ["Slack"] * 3  # anna, ben, olaf: the members Slack bills
    assert list(frame["account_disabled"]) == [False, False, True]  # olaf is deactivated but still billed
    assert not frame["activity_known"].any()  # no activity column: no usage data, never idle
    assert source.dropped == {"member not billed": 3}


def test_entra_current_download_without_account_enabled_is_read_and_blocks_no_one(tmp_path):
    source = read(tmp_path, "entra.csv", vf.entra_users_current_csv())
    assert source.layout == "entra_download_users"
    assert source.frame["account_disabled"].isna().all()  # unknown, not "enabled"
    assert list(source.frame["guest"]) == [False, False, True]
    model = model_of(tmp_path, {"active.csv": vf.m365_active_users_csv(), "entra.csv": vf.entra_users_current_csv()})
    assert not model.frame("cloud_seats")["account_disabled"].any()  # ben is blocked only in the older download


def test_atlassian_counts_licensed_products_and_blocks_an_inactive_users_seats(tmp_path):
    source = read(tmp_path, "atlassian.csv", vf.atlassian_users_licensed_csv())
    frame = source.frame
    assert set(frame["product"]) == {"Jira", "Confluence"}  # Atlas is free: no seat
    assert source.dropped == {"free product": 2}
    ben = frame[frame["last_activity"] == pd.Timestamp("2026-10-03")]
    assert len(ben) == 1 and ben["account_disabled"].all()  # inactive: blocked, not merely unused
    assert frame["account_disabled"].sum() == 1
