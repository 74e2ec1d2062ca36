"""More cloud seat sources (Entra, Apps usage, activations, Export users variants, Adobe,
Salesforce), one person across exports, and the blocked-account harvest."""

from __future__ import annotations

import json
import secrets
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import vendor_fixtures as vf
from conftest import write_workspace

from sambrief.commands.build import BuildRequest, build, draft
from sambrief.errors import InputError
from sambrief.ingest.canonical import SourcePin, load_source
from sambrief.ingest.privacy import Pseudonymiser
from sambrief.ingest.products import display_product, load_mapping, use_workspace
from sambrief.model.core import derive_license_position
from sambrief.model.seats import person_keys

# The tests here read figures, notices, the pptx and the one-pager, never the deck's PDF.
pytestmark = pytest.mark.usefixtures("no_deck_pdf")

PSEUDO = Pseudonymiser(secrets.token_bytes(16))


def read(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return load_source(path, SourcePin(), PSEUDO)


def dates(series: pd.Series) -> list[str]:
    return ["" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d") for d in series]


# --- each layout, read right -----------------------------------------------------------
def test_apps_usage_is_an_activity_signal(tmp_path):
    source = read(tmp_path, "apps.csv", vf.m365_apps_usage_csv())
    frame = source.frame
    assert source.layout == "m365_apps_usage" and source.dataset == "cloud_activity"
    assert set(frame["product"]) == {"Microsoft 365 Apps"}
    # the latest of Last Activity Date and Last Activation Date
    assert dates(frame["last_activity"]) == ["2026-10-25", "2026-10-12", "2025-01-10", "2026-10-01"]
    assert set(dates(frame["report_date"])) == {"2026-10-31"}
    assert frame["user_key"].iloc[0] == PSEUDO("anna.mueller@contoso.example")


def test_office_activations_per_product_type(tmp_path):
    frame = read(tmp_path, "act.csv", vf.m365_activations_csv()).frame
    assert list(frame["product"]) == ["MICROSOFT 365 APPS FOR ENTERPRISE", "VISIO CLIENT"]
    assert dates(frame["last_activity"]) == ["", "2021-05-20"]  # empty = never activated
    assert display_product("MICROSOFT 365 APPS FOR ENTERPRISE") == "Microsoft 365 Apps for Enterprise"


@pytest.mark.parametrize("make", [vf.entra_users_csv, vf.entra_users_doc_csv], ids=["real-export", "doc-attributes"])
def test_entra_download_both_header_variants(tmp_path, make):
    source = read(tmp_path, "entra.csv", make())
    frame = source.frame
    assert source.layout == "entra_download_users" and source.dataset == "cloud_activity"
    assert list(frame["account_disabled"]) == [False, True, False]  # accountEnabled False = blocked
    assert list(frame["activity_known"]) == [False] * 3
    assert list(frame["department"])[:2] == ["Vertrieb", "Einkauf"]
    # the guest's '#EXT#' UPN is the guest's own address; the mail is an alias of the same person
    assert frame["user_key"].iloc[2] == PSEUDO("dora@partner.example")
    assert frame["user_alias"].iloc[0] == PSEUDO("anna@contoso.example")
    assert "displayName" not in source.mapping and "=1+3" not in frame.to_csv()
    if make is vf.entra_users_csv:
        assert list(frame["guest"]) == [False, False, True]


def test_export_users_alphabetical_blocked_and_deleted(tmp_path):
    source = read(tmp_path, "users.csv", vf.m365_export_users_alphabetical_csv())
    frame = source.frame
    assert source.layout == "m365_export_users"
    assert source.dropped == {"user without licence": 1}
    assert list(frame["product"]) == ["Microsoft 365 E3", "Power BI Pro", "Microsoft 365 E3", "Microsoft 365 E3"]
    assert list(frame["account_disabled"]) == [False, False, True, False]
    assert dates(frame["deleted_date"]) == ["", "", "", "2026-10-20"]


@pytest.mark.parametrize(
    "make", [vf.m365_export_users_signin_csv, vf.m365_export_users_de_csv], ids=["sign-in-blocked", "german"]
)
def test_export_users_newer_and_german_variants(tmp_path, make):
    source = read(tmp_path, "users.csv", make())
    assert source.layout == "m365_export_users"
    assert source.dropped == {"user without licence": 1}  # 'Unlicensed' / 'Nicht lizenziert'
    assert list(source.frame["product"]) == ["Microsoft 365 E3", "Power BI Pro", "Microsoft 365 E3"]
    assert list(source.frame["account_disabled"]) == [False, False, True]  # TRUE / Ja
    assert set(source.frame["activity_known"]) == {False}


def test_adobe_seats_from_product_configurations_without_activity(tmp_path):
    source = read(tmp_path, "adobe.csv", vf.adobe_users_csv())
    frame = source.frame
    assert source.layout == "adobe_admin_console_users"
    assert sorted(frame["product"]) == [
        "Default Acrobat Pro DC configuration",
        "Default Acrobat Pro DC configuration",
        "Default All Apps plan - 100 GB configuration",
    ]
    assert set(frame["activity_known"]) == {False}
    assert source.dropped == {"no product": 1}


@pytest.mark.parametrize(
    "name,make",
    [("sf.csv", vf.salesforce_users_csv), ("sf.xlsx", vf.salesforce_users_report_xlsx)],
    ids=["data-loader", "report"],
)
def test_salesforce_users(tmp_path, name, make):
    source = read(tmp_path, name, make())
    frame = source.frame
    assert source.layout == "salesforce_users"
    assert source.dropped == {"deactivated user": 1, "partner, community, Chatter Free or guest user": 1}
    assert set(frame["product"]) == {"Salesforce"}
    assert dates(frame["last_activity"]) == ["2026-10-29", "2026-10-02", "2026-03-01", ""]
    # the e-mail is the person's key (upper case or not), the username an alias
    assert frame["user_key"].iloc[1] == PSEUDO("ben.schulz@contoso.example")
    assert frame["user_alias"].iloc[0] == PSEUDO("anna.mueller@contoso.example.prod")


def test_salesforce_user_licences_are_a_licence_position(tmp_path):
    source = read(tmp_path, "lic.csv", vf.salesforce_user_license_csv())
    frame = derive_license_position(source.frame)
    assert source.dataset == "license_position" and source.dropped == {"disabled licence type": 1}
    assert dict(zip(frame["product"], frame["surplus"])) == {"Salesforce": 3.0, "Chatter Free": 4998.0}
    assert set(frame["publisher"]) == {"Salesforce"}


# --- one person -------------------------------------------------------------------------
def test_user_keys_are_normalised_before_the_hash():
    assert PSEUDO(" Anna.Mueller@Contoso.Example ") == PSEUDO("anna.mueller@contoso.example")
    assert PSEUDO("first_last_example.com#EXT#@tenant.onmicrosoft.com") == PSEUDO("first_last@example.com")
    assert PSEUDO("5C807787F0A30D1C3CDBB76DC1ED3CAB") != PSEUDO("anna.mueller@contoso.example")


def test_pseudonyms_are_keyed_siphash_and_depend_on_the_workspace_key():
    import numpy as np
    from pandas._libs.hashing import hash_object_array

    from sambrief.ingest.privacy import Pseudonymiser

    # The primitive is standard SipHash-2-4: the reference vector (key 00..0f, message 00..0e).
    key, message = "".join(map(chr, range(16))), "".join(map(chr, range(15)))
    assert int(hash_object_array(np.array([message], dtype=object), key, "utf8")[0]) == 0xA129CA6149BE45E5
    one, other = Pseudonymiser(b"workspace one"), Pseudonymiser(b"workspace two")
    name = "anna.mueller@contoso.example"
    assert one(name) != other(name)  # without the key, a dictionary of names gives nothing
    assert one(name) == one(name.upper()) and len(one(name)) == 17 and one(name).startswith("u")
    assert "anna" not in one(name) and list(one.keys([name, "bob@x.example"])) == [one(name), one("bob@x.example")]
    keys = one.keys([f"user{i}@example.com" for i in range(100_000)])
    assert len(set(keys)) == 100_000  # 64-bit keys: no two people merged


def test_aliases_join_people_across_chains():
    # a-b (Entra: UPN + mail), b-c (Salesforce: mail + username), d alone
    keys = pd.Series(["a", "c", "d"])
    aliases = pd.Series(["b", "b", None])
    assert person_keys(keys, aliases) == {"b": "a", "c": "a"}


CONFIG = "organisation: Contoso GmbH\ncontact: {team: SAM}\nsources: [data/*]\n"
PRICES = "prices: {Microsoft 365 E3: 33.70, Microsoft 365 E5: 54.75, Salesforce: 150}\n"
ALL_SOURCES = {
    "data/m365-active.csv": vf.m365_active_users_csv(),
    "data/m365-apps.csv": vf.m365_apps_usage_csv(),
    "data/entra-users.csv": vf.entra_users_csv(),
    "data/adobe-users.csv": vf.adobe_users_csv(),
    "data/salesforce-users.csv": vf.salesforce_users_csv(),
    "data/salesforce-licences.csv": vf.salesforce_user_license_csv(),
}
# By hand, report date 2026-10-31, 90 days (active from 2026-08-02 on):
#  M365 Active users: anna E3 active, anna Copilot no usage data (no column of the report is
#    about Copilot: her Exchange and Teams use is no evidence for it, issue 22), 5C8 E3 never used
#    there but the Apps usage report shows Office use on 2026-10-12 -> active; A1B E3 idle (May;
#    activation 2025 is older); A1B EMS no usage data (likewise); ben E5 active by date but his
#    Entra account is disabled -> unused.
#  Adobe: anna (joined to anna.mueller by the Entra mail) 2 seats, dora (guest '#EXT#' in Entra)
#    1 seat: no activity data, never idle.
#  Salesforce: anna active, ben blocked in Entra -> unused, frank idle (March), grete never.
#  13 seats; idle 5 (A1B E3, ben x2, frank, grete); never 1 (grete); no activity data 5 (anna
#    Copilot, A1B EMS, 3 Adobe);
#  blocked 2 (ben E5 54.75 + ben Salesforce 150 = 204.75 a month); people 7 (anna, 5C8, A1B,
#  ben, dora, frank, grete), not 8: anna's Adobe mail is the same person.
EXPECTED = {
    "cloud_sprawl.seats_assigned": 13,
    "cloud_sprawl.seats_active": 3,
    "cloud_sprawl.seats_idle": 5,
    "cloud_sprawl.seats_never_used": 1,
    "cloud_sprawl.seats_no_activity_data": 5,
    "cloud_sprawl.users": 7,
    "cloud_sprawl.seats_blocked": 2,
    "cloud_sprawl.blocked_accounts": 1,
    "cloud_sprawl.blocked_cost_month": 204.75,
    "cloud_sprawl.blocked_cost_year": 2457.0,
    "cloud_sprawl.blocked_unpriced": 0,
    "cloud_sprawl.seats_guest": 1,  # dora's Adobe seat: a guest in Entra
    # idle: A1B E3 33.70 + ben E5 54.75 + 3 Salesforce x 150 (EMS has no price)
    "cloud_sprawl.idle_cost_month": 538.45,
    "opportunities.blocked_saving_year": 2457.0,
}
IDENTIFIERS = (
    "anna",
    "ben.schulz",
    "BEN.SCHULZ",
    "frank",
    "grete",
    "dora",
    "partner.example",
    "contoso.example",
    "#EXT#",
    "5C807787F0A30D1C3CDBB76DC1ED3CAB",
    "A1B2C3D4E5F60718293A4B5C6D7E8F90",
    "Müller",
    "Schulz",
    "=1+3",
    "carl",
)


def all_output_text(workspace: Path) -> str:
    """Every file sambrief wrote in the workspace (outputs, manifest, history), not the exports."""
    text = []
    for path in workspace.rglob("*"):
        if "data" in path.relative_to(workspace).parts[:1] or path.name == "sambrief.yaml":
            continue
        if path.suffix in (".pptx", ".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                text += [z.read(n).decode("utf-8", "ignore") for n in z.namelist()]
        elif path.is_file() and path.suffix not in (".pdf", ".png"):
            text.append(path.read_bytes().decode("utf-8", "ignore"))
    return "\n".join(text)


@pytest.mark.slow
def test_workspace_of_five_portals_figures_by_hand(tmp_path):
    ws = write_workspace(tmp_path / "ws", CONFIG + PRICES, ALL_SOURCES)
    result = build(BuildRequest(config=ws / "sambrief.yaml"))
    assert result.period == "2026-10"
    figures = result.briefings[0].figures
    assert {k: figures[k] for k in EXPECTED} == EXPECTED
    manifest = json.loads((result.out_dir / "manifest.json").read_text("utf-8"))
    signals = manifest["seat_signals"]
    assert signals["MICROSOFT 365 E3"] == ["Microsoft 365 Active users report", "Microsoft 365 Apps usage"]
    assert signals["Salesforce"] == ["Salesforce users"]
    assert signals["MICROSOFT 365 COPILOT"] == []  # no export says anything about Copilot use
    assert signals["Default Acrobat Pro DC configuration"] == []
    text = all_output_text(ws)
    assert "Microsoft 365 Apps usage" in text and "CREATE TABLE" in text  # manifest and history were read
    for identifier in IDENTIFIERS:
        assert identifier not in text, identifier
    deck = next(p for p in result.written if p.suffix == ".pptx")
    with zipfile.ZipFile(deck) as z:
        slides = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("ppt/slides/slide")).replace(
            "\xa0", " "
        )
    assert (
        "2 Cloud-Lizenzen liegen auf gesperrten oder gelöschten Konten – 2.457 € im Jahr, als Erstes zurückzuholen"
        in slides
    )
    assert "Kosten: 205 € im Monat, 2.457 € im Jahr" in slides


@pytest.mark.slow
def test_without_the_other_portals_each_export_stands_alone(tmp_path):
    # the same Active users report alone: the 5C8 seat is never used, ben's seat is active
    ws = write_workspace(tmp_path / "ws", CONFIG + PRICES, {"data/m365-active.csv": vf.m365_active_users_csv()})
    figures = build(BuildRequest(config=ws / "sambrief.yaml")).briefings[0].figures
    assert (
        figures["cloud_sprawl.seats_never_used"] == 1
        and figures["cloud_sprawl.seats_idle"] == vf.M365_EXPECTED["seats_idle"]
    )
    # The usage report names deleted accounts but not blocked ones: how many seats are blocked is unknown (absent)
    assert "cloud_sprawl.seats_blocked" not in figures and "cloud_sprawl.blocked_cost_month" not in figures


@pytest.mark.slow
def test_same_assignment_in_two_exports_is_one_seat(tmp_path):
    # Active users lists anna's E3 in capitals, Export users as 'Microsoft 365 E3': one seat, active
    ws = write_workspace(
        tmp_path / "ws",
        CONFIG + PRICES,
        {
            "data/m365-active.csv": vf.m365_active_users_csv(),
            "data/users.csv": vf.m365_export_users_alphabetical_csv(),
        },
    )
    figures = build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10")).briefings[0].figures
    # 6 seats from the report + Anna's Power BI Pro, Clara's and Dirk's E3 (Anna's E3 listed twice)
    assert figures["cloud_sprawl.seats_assigned"] == 9
    assert figures["cloud_sprawl.users"] == 6
    # Clara blocked, Dirk deleted but still licensed: 2 x 33.70
    assert figures["cloud_sprawl.seats_blocked"] == 2
    assert figures["cloud_sprawl.blocked_cost_month"] == pytest.approx(67.40)
    # Anna's Power BI Pro (user list), her Copilot and A1B's EMS seat (no column of the report is about them)
    assert figures["cloud_sprawl.seats_no_activity_data"] == 3
    # E3 in capitals (report) and as written in the user list (Clara, Dirk) is one product
    assert figures["cloud_sprawl.products"] == 5  # E3, E5, Copilot, EMS, Power BI Pro


def test_blocked_cost_unknown_is_said_never_zero(tmp_path):
    audiences = "audiences:\n  management: {title: Management, language: en, themes: [cloud_sprawl, opportunities]}\n"
    # a price for E3 only: ben's blocked E5 seat has no price
    ws = write_workspace(
        tmp_path / "ws",
        CONFIG + "prices: {Microsoft 365 E3: 33.70}\n",
        {"data/m365-active.csv": vf.m365_active_users_csv(), "data/entra.csv": vf.entra_users_csv()},
        audiences,
    )
    result = draft(BuildRequest(config=ws / "sambrief.yaml"))
    figures = result.briefings[0].figures
    assert figures["cloud_sprawl.seats_blocked"] == 1
    assert "cloud_sprawl.blocked_cost_month" not in figures and figures["cloud_sprawl.blocked_unpriced"] == 1
    assert figures["cloud_sprawl.seats_idle"] == 3  # 2 as in the report alone + ben's blocked E5 seat
    assert "opportunities.blocked_saving_year" not in figures and figures["opportunities.blocked_seats"] == 1
    finding = next(f for b in result.briefings for f in b.findings if f.key == "cloud_sprawl.blocked")
    assert finding.headline == "One cloud seat is held by a blocked or deleted account – the first to reclaim"
    assert finding.bullets[:2] == [
        "Held by one account that can no longer sign in",
        "Cost unknown: these seats have no price on record",
    ]
    assert "– Microsoft 365 E5: 1 · price unknown" in finding.notes
    opportunities = next(f for b in result.briefings for f in b.findings if f.key == "opportunities.potential")
    assert "First: one seat on a blocked or deleted account (cost unknown)" in opportunities.bullets


# --- display names ----------------------------------------------------------------------
def test_packaged_snapshot_of_microsofts_sku_names():
    assert display_product("SPE_E3") == "Microsoft 365 E3"
    assert display_product("O365_BUSINESS_PREMIUM") == "Microsoft 365 Business Standard"
    assert (
        display_product("MCOCAP_FACULTY") != "MCOCAP_FACULTY"
    )  # its String_Id has a trailing NBSP in Microsoft's file
    assert display_product("Microsoft_Teams_Enterprise_New") == "Microsoft Teams Enterprise"


def test_newer_copy_in_the_workspace_overrides_the_snapshot(tmp_path):
    folder = tmp_path / "product_names"
    folder.mkdir()
    raw = (
        "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\r\n"
        "Microsoft 365 E3 \u2013 renamed,SPE_E3\t,05e9a617-0261-4cee-bb44-138d3ef5d965,X,1,Y\r\n"
        "Microsoft 365 E3 \u2013 renamed,SPE_E3,05e9a617-0261-4cee-bb44-138d3ef5d965,Z,2,W\r\n"
        "Brand New SKU,NEW_SKU\u00a0,1,X,1,Y"
    )
    (folder / "Product names and service plan identifiers for licensing.csv").write_bytes(raw.encode("cp1252"))
    try:
        use_workspace(tmp_path)
        assert display_product("SPE_E3") == "Microsoft 365 E3 \u2013 renamed"
        assert display_product("NEW_SKU") == "Brand New SKU"
        assert display_product("ENTERPRISEPACK") == "Office 365 E3"  # the rest stays
    finally:
        use_workspace(tmp_path / "elsewhere")
    assert display_product("SPE_E3") == "Microsoft 365 E3"


def test_product_name_table_without_its_columns_is_one_clear_error(tmp_path):
    bad = tmp_path / "names.csv"
    bad.write_text("sku;name\nX;Y\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_mapping([bad])
    assert str(exc.value).startswith(
        f"{bad}: a product-name table needs the columns String_Id and Product_Display_Name"
    )


def test_privacy_annex_follows_the_new_layouts(monkeypatch):
    from dataclasses import replace

    from sambrief.briefing.plan import privacy_annex
    from sambrief.ingest import layouts

    original = layouts.registry()
    entra = original["entra_download_users"]
    extended = replace(entra, columns=entra.columns + (layouts.ColumnRule("department", ("companyname",)),))
    monkeypatch.setattr("sambrief.briefing.plan.registry", lambda: {**original, "entra_download_users": extended})
    annex = {d.dataset: d for d in privacy_annex()}["cloud_activity"]
    department = next(f for f in annex.fields if f.field == "department")
    assert department.treatment == "aggregated" and "companyname" in department.headers
    seats = {d.dataset: d for d in privacy_annex()}["cloud_seats"]
    alias = next(f for f in seats.fields if f.field == "user_alias")
    assert alias.treatment == "pseudonymised" and "username" in alias.headers


def test_activation_counts_for_the_seat_of_the_same_family_only():
    from sambrief.model.core import SourceInfo, empty_frame
    from sambrief.model.seats import combine

    seats = empty_frame("cloud_seats").reindex(range(2))
    seats["user_key"], seats["product"] = ["u1", "u1"], ["VISIOCLIENT", "Power BI Pro"]
    seats["activity_known"] = [False, False]
    activity = empty_frame("cloud_activity").reindex(range(2))
    activity["user_key"], activity["product"] = ["u1", "u1"], ["VISIO CLIENT", "PROJECT CLIENT"]
    activity["last_activity"] = [date(2026, 10, 20), date(2026, 10, 30)]
    parts = {"cloud_seats": [seats], "cloud_activity": [activity]}
    infos = [
        SourceInfo("cloud_seats", "users.csv", "m365_export_users", 2),
        SourceInfo("cloud_activity", "act.csv", "m365_office_activations", 2),
    ]
    combined = combine({"cloud_seats": seats, "cloud_activity": activity}, parts, infos)
    visio, power_bi = combined.seats.iloc[0], combined.seats.iloc[1]
    assert visio["last_activity"] == pd.Timestamp(2026, 10, 20) and visio["activity_known"]
    assert pd.isna(power_bi["last_activity"]) and not power_bi["activity_known"]  # Project use is not Power BI use
    assert combined.signals == {"Power BI Pro": (), "VISIOCLIENT": ("Microsoft 365 Office activations",)}


def test_partly_priced_blocked_seats_say_at_least(tmp_path):
    audiences = "audiences:\n  management: {title: Management, language: en, themes: [cloud_sprawl, opportunities]}\n"
    ws = write_workspace(tmp_path / "ws", CONFIG + "prices: {Salesforce: 150}\n", ALL_SOURCES, audiences)
    result = draft(BuildRequest(config=ws / "sambrief.yaml"))
    figures = result.briefings[0].figures
    # ben's Salesforce seat is priced, his E5 seat is not
    assert figures["cloud_sprawl.blocked_cost_month"] == 150 and figures["cloud_sprawl.blocked_unpriced"] == 1
    findings = {f.key: f for f in result.briefings[0].findings}
    assert findings["cloud_sprawl.blocked"].headline == (
        "2 cloud seats are held by blocked or deleted accounts – at least €1,800 a year, the first to reclaim"
    )
    assert findings["cloud_sprawl.blocked"].bullets[1:] == [
        "Cost: €150 a month, €1,800 a year",
        "No price is on record for 1 of these seats; the cost covers only the others",
    ]
    assert (
        "First: 2 seats on blocked or deleted accounts (at least €1,800 a year)"
        in findings["opportunities.potential"].bullets
    )


def test_update_tool_keeps_microsofts_columns_one_row_per_sku():
    import importlib.util

    from conftest import REPO

    spec = importlib.util.spec_from_file_location("update_product_names", REPO / "tools" / "update_product_names.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    raw = (
        "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\r\n"
        "Office 365 E3,ENTERPRISEPACK,6fd2c87f,EXCHANGE_S_ENTERPRISE,efb87545,Exchange Online (Plan 2)\r\n"
        'Office 365 E3,ENTERPRISEPACK,6fd2c87f,"Virtualization \tRights \tfor \tWindows",x,Rights \u2013 VDA\r\n'
        "Microsoft Teams Shared Devices for Faculty,MCOCAP_FACULTY\u00a0,1,A,2,B"
    ).encode("cp1252")
    text = tool.snapshot(raw)
    assert text.splitlines() == [
        "Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names",
        "Office 365 E3,ENTERPRISEPACK,6fd2c87f,EXCHANGE_S_ENTERPRISE,efb87545,Exchange Online (Plan 2)",
        "Microsoft Teams Shared Devices for Faculty,MCOCAP_FACULTY,1,A,2,B",
    ]


def test_readme_layout_table_lists_every_layout_with_its_status():
    import re

    from conftest import REPO

    from sambrief.ingest.layouts import registry

    readme = (REPO / "README.md").read_text("utf-8")
    table = readme.split("Packaged layouts")[1].split("Adding a vendor")[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    named: dict[str, str] = {}
    for row in rows:
        first = row.split("|")[1]
        keys = re.findall(r"`(\w+)`", first)
        full = [keys[0]] + [keys[0] + k if k.startswith("_") and not keys[0].endswith(k) else k for k in keys[1:]]
        # 'generic_x_de` / `_en`' -> generic_x_de, generic_x_en
        full = [re.sub(r"_(de|en)_(de|en)$", r"_\2", k) for k in full]
        for key in full:
            named[key] = row
    assert set(registry()) <= set(named), set(registry()) - set(named)
    for key in registry():
        if not key.startswith(("generic_", "register_")):
            assert "FOUND" in named[key] or "INFERRED" in named[key], key


def test_the_share_of_unused_seats_names_its_base_when_some_seats_have_no_usage_data(tmp_path):
    """Adobe seats carry no activity, nor do the report's Copilot and EMS seats: 6 of 13 seats are
    not '46 %'; the headline says of which 8."""
    audiences = "audiences:\n  management: {title: Management, language: de, themes: [cloud_sprawl]}\n"
    ws = write_workspace(
        tmp_path / "ws",
        CONFIG + "prices: {Microsoft 365 E3: 33.70}\n",
        {
            "data/m365-active.csv": vf.m365_active_users_csv(),
            "data/entra.csv": vf.entra_users_csv(),
            "data/adobe.csv": vf.adobe_users_csv(),
            "data/sf.csv": vf.salesforce_users_csv(),
        },
        audiences,
    )
    result = draft(BuildRequest(config=ws / "sambrief.yaml"))
    briefing = result.briefings[0]
    figures = briefing.figures
    assert (
        figures["cloud_sprawl.seats_assigned"],
        figures["cloud_sprawl.seats_no_activity_data"],
        figures["cloud_sprawl.seats_with_activity_data"],
        figures["cloud_sprawl.seats_idle"],
    ) == (13, 5, 8, 6)
    finding = next(f for f in briefing.findings if f.key == "cloud_sprawl.idle")
    # some unused seats have no price: the cost is a lower bound
    assert (
        finding.headline
        == "6 von 8 Cloud-Lizenzen mit Nutzungsdaten (75\u00a0%) werden nicht genutzt – das kostet mindestens 809\u00a0€ im Jahr"
    )
    assert finding.bullets[1] == "5 Lizenzen ohne Nutzungsdaten – nicht als ungenutzt gezählt"


def test_a_partly_priced_saving_is_a_lower_bound_in_the_opportunities_too(tmp_path):
    audiences = "audiences:\n  management: {title: Management, language: de, themes: [cloud_sprawl, opportunities]}\n"
    ws = write_workspace(
        tmp_path / "ws",
        CONFIG + "prices: {Microsoft 365 E3: 33.70}\n",
        {
            "data/m365-active.csv": vf.m365_active_users_csv(),
            "data/adobe.csv": vf.adobe_users_csv(),
            "data/sf.csv": vf.salesforce_users_csv(),
            "data/flexera.csv": vf.flexera_compliance_csv(),
        },
        audiences,
    )
    briefing = draft(BuildRequest(config=ws / "sambrief.yaml")).briefings[0]
    assert any(
        p.startswith("Chancen: ") and "mindestens 809\u00a0€ im Jahr aus ungenutzten Cloud-Lizenzen" in p
        for p in briefing.key_points
    ), briefing.key_points


def test_names_in_capitals_are_title_cased_keeping_acronyms():
    assert display_product("ACROBAT PRO DC") == "Acrobat Pro DC"
    assert display_product("PRO TOOLS STUDIO") == "Pro Tools Studio"
    assert display_product("SAP GUI") == "SAP GUI"
    assert display_product("CREATIVE CLOUD ALL APPS AND SERVICES") == "Creative Cloud All Apps and Services"


@pytest.mark.parametrize("dtype", [object, "category", "str"])
def test_display_names_of_a_whole_column_are_those_of_each_name(dtype):
    """The notes list every product of a licence position: the column version names each row
    as with_maker does, whatever the column type (a missing publisher names no maker)."""
    from sambrief.ingest.products import display_names, product_names, with_maker

    products = [
        "ENTERPRISEPACK",
        "Acrobat Pro",
        "SAP GUI",
        " Visio  Plan 2",
        "sap gui",
        "MICROSOFT 365 E3",
        "Größe Lizenz",
        "Acrobat Pro",
        "ACROBAT PRO DC",
        "Tab\tname",
    ]
    publishers = ["Microsoft", "Adobe", "SAP", None, "sap", "MICROSOFT", "Ä GmbH", "ADOBE SYSTEMS", "", "X"]
    column, makers = pd.Series(products).astype(dtype), pd.Series(publishers, dtype=object).astype(dtype)
    assert product_names(makers, column)[1].tolist() == [with_maker(p, n) for p, n in zip(publishers, products)]
    assert display_names(column).tolist() == [display_product(n) for n in products]


def test_the_model_of_the_large_exports_is_typed(tmp_path):
    """Person keys and products as categoricals, dates as datetime64, and no text
    column that writes a missing cell both as None and as NaN: whole-column work for the themes."""
    from sambrief.commands.stages import canonical_model, read_sources
    from sambrief.config.workspace import load_settings

    ws = write_workspace(tmp_path / "ws", CONFIG + PRICES, {**ALL_SOURCES, "data/ritm.csv": vf.servicenow_ritm_csv()})
    sources, _ = read_sources(load_settings(ws / "sambrief.yaml"), lambda _: None)
    model = canonical_model(sources, None, date(2026, 11, 15))
    seats, requests = model.frame("cloud_seats"), model.frame("requests")
    assert len(seats) and len(requests)
    assert seats["user_key"].dtype == "category" and seats["product"].dtype == "category"
    for frame, columns in (
        (seats, ("assigned_date", "last_activity", "report_date", "deleted_date")),
        (requests, ("requested_date", "approval_date", "closed_date")),
    ):
        assert all(frame[c].dtype.kind == "M" for c in columns)
    for name, frame in model.datasets.items():
        for column in frame.columns:
            values = frame[column]
            if values.dtype == object:
                missing = values[values.isna()]
                assert missing.map(lambda v: v is None).all() or not missing.map(lambda v: v is None).any(), (
                    name,
                    column,
                )
