"""Contracts exports and the contracts register read into the `contracts` dataset: the same
contracts from every layout, person columns never read, German CSV conventions."""

from __future__ import annotations

import secrets

import pandas as pd
import pytest
import vendor_fixtures as vf

from sambrief.ingest.canonical import SourcePin, load_source
from sambrief.ingest.privacy import Pseudonymiser

PSEUDO = Pseudonymiser(secrets.token_bytes(16))
FILES = {
    "servicenow_contracts": ("ast_contract.xlsx", vf.servicenow_contracts_xlsx),
    "servicenow_contracts_fields": ("ast_contract.csv", vf.servicenow_contracts_csv),
    "servicenow_contracts_fields ": ("ast_contract_de.csv", lambda: vf.servicenow_contracts_csv(german=True)),
    "register_contracts": ("vertraege.xlsx", vf.contracts_register_xlsx),
    "register_contracts ": ("contracts.xlsx", lambda: vf.contracts_register_xlsx("en")),
}


@pytest.mark.parametrize("case", sorted(FILES))
def test_every_contracts_layout_reads_the_same_contracts(tmp_path, case):
    name, make = FILES[case]
    path = tmp_path / name
    path.write_bytes(make())
    source = load_source(path, SourcePin(), PSEUDO)
    assert (source.dataset, source.layout) == ("contracts", case.strip())
    frame = source.frame
    assert frame["end_date"].tolist()[:3] == [
        pd.Timestamp(2026, 12, 31).date(),
        pd.Timestamp(2027, 1, 31).date(),
        pd.Timestamp(2027, 6, 30).date(),
    ]
    assert pd.isna(frame["end_date"].iloc[5])
    assert frame["annual_value"].tolist()[:3] == [120000.0, 300000.0, 50000.0]  # '120.000,00' in the German CSV
    assert frame["vendor"].tolist()[0] == "Adobe"
    # Contract administrator, Approver, Ansprechpartner: never read
    assert "Müller" not in frame.to_csv() and "Schäfer" not in frame.to_csv()


def test_the_register_reads_a_notice_period_in_days(tmp_path):
    path = tmp_path / "vertraege.xlsx"
    path.write_bytes(vf.contracts_register_xlsx())
    assert load_source(path, SourcePin(), PSEUDO).frame["notice_days"].tolist()[0] == 90


def test_servicenow_s_current_form_labels_read_as_the_contract_list(tmp_path):
    """The labels ServiceNowDocs lists for a contract (t_CreateAContract.md: Contract number, Name,
    Start date, End date, ..., Total cost), with the person fields a list view may add."""
    from datetime import datetime

    header = [
        "Contract number",
        "Name",
        "Vendor",
        "Contract model",
        "Start date",
        "End date",
        "State",
        "Substate",
        "Contract administrator",
        "Approver",
        "Business owner",
        "Payment amount",
        "Total cost",
        "Cost center",
    ]
    row = [
        "CNTR0001001",
        "Adobe ETLA",
        "Adobe",
        "Software License",
        datetime(2024, 1, 1),
        datetime(2026, 12, 31),
        "Active",
        "",
        "Anna Müller",
        "Jörg Schäfer",
        "Eva Beispiel",
        60000.0,
        360000.0,
        "IT",
    ]
    path = tmp_path / "contracts.xlsx"
    path.write_bytes(vf.xlsx([header, row]))
    source = load_source(path, SourcePin(), PSEUDO)
    assert source.layout == "servicenow_contracts"
    first = source.frame.iloc[0]
    assert (first["contract"], first["title"], first["total_value"]) == ("CNTR0001001", "Adobe ETLA", 360000.0)
    assert pd.isna(first["annual_value"])  # 'Payment amount' is what was paid to date: no contract value
    assert not {"Anna Müller", "Jörg Schäfer", "Eva Beispiel"} & set(source.frame.astype(str).to_numpy().ravel())
