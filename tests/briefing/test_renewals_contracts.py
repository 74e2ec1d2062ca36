"""The renewal calendar from a contracts export or register (dataset `contracts`): its end dates
and its own value drive the numbers; the licence position's end dates are the fallback, never
added on top. Arithmetic in vendor_fixtures (CONTRACTS)."""

from __future__ import annotations

import pytest
import vendor_fixtures as vf
from briefing.test_renewals import LICENCES, _briefing, _build, _draft, _finding

from sambrief.i18n.levels import split

# The licence position of test_renewals has its own end dates (2 contracts in 90 days, 130 €):
# with a contracts export they are not counted as well.
NO_LP_DATES = "\n".join(line.rsplit(";", 1)[0] for line in LICENCES.splitlines()) + "\n"


def _management(tmp_path, licences: str, files: dict[str, bytes | str]):
    """The management briefing (the one most tests here read) as `build --audience management` composes it."""
    return _draft(tmp_path, licences, files, audience="management")


def _figures(result, key: str = "management") -> dict:
    return {
        k.removeprefix("renewals."): v for k, v in _briefing(result, key).figures.items() if k.startswith("renewals.")
    }


CONTRACT_FILES = {
    "servicenow_xlsx": ("data/ast_contract.xlsx", vf.servicenow_contracts_xlsx),
    "servicenow_csv": ("data/ast_contract.csv", vf.servicenow_contracts_csv),
    "servicenow_csv_german": ("data/ast_contract.csv", lambda: vf.servicenow_contracts_csv(german=True)),
    "register_de": ("data/vertraege.xlsx", vf.contracts_register_xlsx),
    "register_en": ("data/contracts.xlsx", lambda: vf.contracts_register_xlsx("en")),
}


@pytest.mark.parametrize("variant", sorted(CONTRACT_FILES))
def test_a_contracts_export_drives_the_calendar_and_replaces_the_licence_end_dates(tmp_path, variant):
    name, make = CONTRACT_FILES[variant]
    result = _management(tmp_path, LICENCES, {name: make()})
    figures = _figures(result)
    for key, expected in vf.EXPECTED_CONTRACTS.items():
        assert figures[key] == expected, key
    # the register states every annual value: nothing unknown
    assert figures["unpriced_12m"] == 0
    finding = _finding(result)
    assert finding.headline == "In den nächsten 90 Tagen endet ein Vertrag über 120.000\u00a0€"
    assert finding.chart.values == (0, 120000, 300000, 0, 0, 0, 0, 50000, 0, 0, 0, 0)
    assert finding.chart.series_name == "Jahreswert der endenden Verträge"
    notes = "\n".join(finding.notes)
    assert "Adobe ETLA" in notes and "31.12.2026 · 120.000\u00a0€" in notes
    assert "die Vertragsenden der Lizenzbilanz sind nicht zusätzlich gezählt" in notes
    assert "Nicht gezählt: 3 Verträge" in notes  # expired, cancelled, draft
    assert "SAP Analytics Cloud" in notes.split("bereits beendet")[1]
    assert "Gamma" not in notes  # the licence position's contracts are not listed


# A build of every output for each export is a slow-tier check; the fast tier builds one.
@pytest.mark.parametrize(
    "variant",
    [v if v == "servicenow_xlsx" else pytest.param(v, marks=pytest.mark.slow) for v in sorted(CONTRACT_FILES)],
)
@pytest.mark.usefixtures("no_deck_pdf")  # reads the manifest, the one-pagers and details.csv, never the deck's PDF
def test_no_person_of_a_contracts_export_reaches_any_output(tmp_path, variant):
    name, make = CONTRACT_FILES[variant]
    result = _build(tmp_path, LICENCES, {name: make()})
    assert _figures(result)["ending_90d"] == vf.EXPECTED_CONTRACTS["ending_90d"]  # the export was read
    # person columns are never read: no name reaches any output
    for path in result.written:
        if path.suffix in (".json", ".html", ".csv"):
            text = path.read_text("utf-8")
            assert "Müller" not in text and "Schäfer" not in text, path


def test_the_english_deck_says_annual_value(tmp_path):
    finding = _finding(_draft(tmp_path, NO_LP_DATES, {"data/ast_contract.xlsx": vf.servicenow_contracts_xlsx()}), "it")
    assert finding.headline == "One contract worth €120,000 ends in the next 90 days"
    assert finding.bullets[-1] == "No end date is known for one more contract (annual value €80,000)"


def test_without_a_yearly_cost_the_total_cost_is_the_value_and_said_so(tmp_path):
    result = _management(
        tmp_path, NO_LP_DATES, {"data/ast_contract.xlsx": vf.servicenow_contracts_xlsx(drop="Yearly cost")}
    )
    figures = _figures(result)
    assert figures["ending_12m"] == 3
    # total cost: Adobe 360,000, Microsoft 900,000, Oracle 150,000; ServiceNow's total is unknown
    assert figures["value_90d"] == 360000 and figures["value_12m"] == 1410000
    assert "undated_value" not in figures  # its only undated contract has no total: unknown, never 0
    finding = _finding(result)
    assert finding.chart.series_name == "Gesamtwert der endenden Verträge"
    assert "je Monat mit ihrem Gesamtwert" in finding.notes[0]


def test_without_any_value_column_every_amount_is_unknown_never_0(tmp_path):
    data = vf.contracts_register_xlsx(drop="Jahreswert (EUR)")  # the register has no total value column either
    result = _management(tmp_path, NO_LP_DATES, {"data/vertraege.xlsx": data})
    figures = _figures(result)
    assert figures["ending_90d"] == 1 and figures["ending_12m"] == 3 and figures["undated"] == 1
    assert not {"value_90d", "value_12m", "undated_value", "unpriced_12m"} & set(figures)
    finding = _finding(result)
    assert finding.headline == "In den nächsten 90 Tagen endet ein Vertrag, sein Wert ist unbekannt"
    assert finding.chart.value_format == "count"


def test_without_an_end_date_column_the_licence_position_is_the_fallback(tmp_path):
    result = _management(tmp_path, LICENCES, {"data/ast_contract.xlsx": vf.servicenow_contracts_xlsx(drop="Ends")})
    figures = _figures(result)
    assert figures["ending_90d"] == 2 and figures["value_90d"] == 130  # test_renewals' numbers
    infos, _ = split(result.warnings, result.briefings)
    assert any("die Vertragsliste nennt kein Vertragsende" in str(i) for i in infos)


def test_without_any_end_date_the_slide_and_its_figures_are_absent(tmp_path):
    result = _management(tmp_path, NO_LP_DATES, {"data/ast_contract.xlsx": vf.servicenow_contracts_xlsx(drop="Ends")})
    assert _finding(result) is None
    assert _figures(result) == {}


# The columns that decide the figures (state, the two values) in the fast tier; each other column
# dropped asserts the same as the first of them and runs in the slow tier.
DECIDING = ("state", "yearly_cost", "total_cost")


@pytest.mark.parametrize(
    "drop",
    [
        h if h in DECIDING else pytest.param(h, marks=pytest.mark.slow)
        for h in vf.SN_CONTRACT_FIELDS
        if h not in ("number", "ends")
    ],
)
def test_each_other_column_dropped_keeps_the_dates(tmp_path, drop):
    result = _management(tmp_path, NO_LP_DATES, {"data/ast_contract.csv": vf.servicenow_contracts_csv(drop=drop)})
    figures = _figures(result)
    stated = any("nennt keinen Vertragsstatus" in note for note in _finding(result).notes)
    if drop == "state":  # without states every contract is in force: Citrix, Veeam, Atlassian count too
        assert figures["ending_90d"] == 3 and figures["ending_12m"] == 6
        assert stated  # and the notes say why
    else:
        assert figures["ending_90d"] == 1 and figures["ending_12m"] == 3
        assert not stated
    if drop == "yearly_cost":
        assert figures["value_12m"] == 1410000
    elif drop != "state":
        assert figures["value_12m"] == 470000


def test_the_same_contracts_file_twice_counts_once(tmp_path):
    data = vf.servicenow_contracts_csv()
    result = _management(tmp_path, NO_LP_DATES, {"data/ast_contract.csv": data, "data/ast_contract (1).csv": data})
    figures = _figures(result)
    for key, expected in vf.EXPECTED_CONTRACTS.items():
        assert figures[key] == expected, key


def test_the_register_s_notice_period_gives_the_last_day_to_give_notice(tmp_path):
    finding = _finding(_management(tmp_path, NO_LP_DATES, {"data/vertraege.xlsx": vf.contracts_register_xlsx()}))
    # Adobe ends 31.12.2026 with 90 days' notice: notice by 02.10.2026
    assert "– Adobe ETLA (CNTR0001001): 31.12.2026 · 120.000\u00a0€ · kündbar bis 02.10.2026" in finding.notes


def test_the_same_contracts_exported_twice_in_two_languages_count_once(tmp_path):
    # the German re-save has other state labels, so its rows are not a copy of the Excel export's:
    # the contract numbers say they are the same contracts
    result = _management(
        tmp_path,
        NO_LP_DATES,
        {
            "data/ast_contract.xlsx": vf.servicenow_contracts_xlsx(),
            "data/ast_contract_de.csv": vf.servicenow_contracts_csv(german=True),
        },
    )
    figures = _figures(result)
    for key, expected in vf.EXPECTED_CONTRACTS.items():
        assert figures[key] == expected, key
    assert "Einmal gezählt: 8 Vertragsnummern stehen mehrfach" in "\n".join(_finding(result).notes)


def test_an_action_naming_the_contract_prepares_it(tmp_path):
    actions = "Nr.;Maßnahme;Status;Fällig am;Produkt\n1;EA verlängern;offen;01.12.2026;Microsoft Enterprise Agreement\n"
    result = _management(
        tmp_path,
        NO_LP_DATES,
        {"data/ast_contract.xlsx": vf.servicenow_contracts_xlsx(), "data/massnahmen.csv": actions},
    )
    figures = _figures(result)
    assert figures["prepared"] == 1 and figures["unprepared"] == 2 and figures["unprepared_90d"] == 1


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_register_init_writes_fills_the_calendar(tmp_path, language):
    from datetime import datetime

    from sambrief.commands.init import register_workbook

    states = {"de": ("Aktiv", "Gekündigt"), "en": ("Active", "Cancelled")}[language]
    rows = [
        [
            "Adobe ETLA",
            "Adobe",
            "Acrobat Pro",
            datetime(2024, 1, 1),
            datetime(2026, 12, 31),
            90,
            120000,
            360000,
            states[0],
        ],
        ["Veeam", "Veeam", "Backup", datetime(2024, 4, 1), datetime(2027, 3, 31), 30, 9000, 27000, states[1]],
        ["ServiceNow", "ServiceNow", "ITSM", datetime(2025, 1, 1), None, None, None, 80000, states[0]],
    ]
    result = _management(tmp_path, NO_LP_DATES, {"data/contracts.xlsx": register_workbook("contracts", language, rows)})
    figures = _figures(result)
    # Adobe in the 90 days; Veeam cancelled; ServiceNow without an end date and without an annual value
    assert figures["ending_90d"] == 1 and figures["value_90d"] == 120000 and figures["ending_12m"] == 1
    assert figures["undated"] == 1 and "undated_value" not in figures  # its annual value is unknown, never 0


def test_an_empty_register_leaves_the_licence_position_s_end_dates(tmp_path):
    from sambrief.commands.init import register_workbook

    result = _management(tmp_path, LICENCES, {"data/contracts.xlsx": register_workbook("contracts", "de")})
    assert (
        _figures(result)["ending_90d"] == 2
    )  # test_renewals' numbers: a fresh workspace's empty register changes nothing
