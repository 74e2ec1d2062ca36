"""The renewal calendar: contracts ending in the twelve months after the period, by month, on
hand-computed data (see the comments for the arithmetic)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from briefing.drafting import deck_of, draft_of
from conftest import MINIMAL_CONFIG, write_workspace
from pptx.enum.dml import MSO_THEME_COLOR

from sambrief.briefing.findings import Chart
from sambrief.briefing.themes.renewals import calendar
from sambrief.commands.build import BuildRequest, build
from sambrief.i18n.catalog import Formatter
from sambrief.i18n.levels import split
from sambrief.render.html import svg_chart

# Period 2026-10: its end is 31.10.2026; the next 90 days reach 29.01.2027; the twelve months
# are November 2026 to October 2027.
LICENCES = """Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis;Vertragsende
A;Alpha;10;10;100;31.10.2026
A;Beta;10;10;50;15.10.2026
A;Gamma;4;4;25;30.11.2026
B;Delta;2;2;1000;31.01.2027
B;Epsilon;3;3;10;29.01.2027
C;Zeta;5;5;20;31.10.2027
C;Eta;5;5;20;01.11.2027
C;Theta;0;3;20;15.12.2026
D;Iota;7;7;30;
D;Kappa;1;1;;
"""
# Alpha ends on the period's last day and Beta inside the period: both ended, not in the calendar.
# Gamma (last day of November) 4 x 25 = 100, in 90 days. Epsilon (29.01., the 90th day) 30, in 90 days.
# Delta (31.01.) 2 x 1000 = 2,000: January, after the 90 days. Zeta (31.10.2027, the twelfth month's
# last day) 100. Eta (01.11.2027) is after the twelve months; Theta owns no licence.
# -> 90 days: 2 contracts, 130; twelve months: 4 contracts, 2,230.
# Iota and Kappa have no end date: 2 contracts, value at least 210 (Kappa has no price).
SURPLUS = "F;Mu;5;3;10;\n"  # 2 spare licences x 10: the opportunities slide has something to say

AUDIENCES = """audiences:
  management: {language: de, themes: [opportunities, renewals], max_slides: 10}
  it: {language: en, themes: [renewals], max_slides: 10}
  itsm: {language: de, themes: [opportunities], max_slides: 10}
"""


def _workspace(tmp_path: Path, licences: str, extra: dict[str, str] | None = None) -> Path:
    return write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/lizenzen.csv": licences, **(extra or {})}, AUDIENCES)


def _build(tmp_path: Path, licences: str, extra: dict[str, str] | None = None, **kwargs):
    """Built and written: for a test that reads the files."""
    ws = _workspace(tmp_path, licences, extra)
    return build(BuildRequest(config=ws / "sambrief.yaml", period="2026-10", **kwargs))


def _draft(tmp_path: Path, licences: str, extra: dict[str, str] | None = None, **kwargs):
    """The briefings as the build composes them, nothing rendered: for a test that reads figures,
    findings and notices."""
    return draft_of(_workspace(tmp_path, licences, extra), period="2026-10", **kwargs)


def _briefing(result, key: str):
    return next(b for b in result.briefings if b.output_key == key)


def _finding(result, key: str = "management"):
    return next((f for f in _briefing(result, key).findings if f.theme == "renewals"), None)


def test_months_are_bucketed_from_the_period_end():
    frame = pd.DataFrame(
        {
            "renewal_date": [
                date(2026, 10, 31),
                date(2026, 10, 15),
                date(2026, 11, 30),
                date(2026, 12, 1),
                date(2027, 10, 31),
                date(2027, 11, 1),
                date(2025, 1, 1),
                None,
                date(2026, 12, 15),
            ],
            "entitlements": [1, 1, 1, 1, 1, 1, 1, 1, 0],
            "unit_price": [1.0] * 9,
        }
    )
    cal = calendar(frame, date(2026, 10, 31))
    # months after October 2026: 0 = not in the calendar
    assert cal.ahead.tolist() == [0, 0, 1, 2, 12, 0, 0, 0, 0]
    assert cal.ended.tolist() == [True, True, False, False, False, False, True, False, False]
    assert cal.undated.tolist() == [False] * 7 + [True, False]


@pytest.mark.parametrize(
    "period_end,reach",
    [
        (date(2026, 10, 31), 3),  # to 29.01.2027: November, December, January
        (date(2026, 11, 30), 3),  # to 28.02.2027
        (date(2027, 1, 31), 4),  # to 01.05.2027: its first day reaches into May
    ],
)
def test_the_90_days_mark_the_months_they_reach(period_end, reach):
    frame = pd.DataFrame({"renewal_date": [None], "entitlements": [1], "unit_price": [1.0]})
    assert calendar(frame, period_end).marked == reach


@pytest.fixture(scope="module")
def licences_draft(tmp_path_factory: pytest.TempPathFactory):
    """The licence position above drafted once (its workspace and draft) for the tests that only read it."""
    ws = _workspace(tmp_path_factory.mktemp("calendar"), LICENCES)
    with pytest.MonkeyPatch.context() as mp:  # the autouse key fixture is per test
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
        return ws, draft_of(ws, period="2026-10")


def test_calendar_figures_and_german_slide(licences_draft):
    _, result = licences_draft
    figures = _briefing(result, "management").figures
    assert figures["renewals.ending_90d"] == 2
    assert figures["renewals.value_90d"] == 130
    assert figures["renewals.ending_12m"] == 4
    assert figures["renewals.value_12m"] == 2230
    assert figures["renewals.undated"] == 2
    assert figures["renewals.undated_value"] == 210  # Iota; Kappa's value is unknown
    assert "renewals.prepared" not in figures  # no actions register: unknown, not 0
    finding = _finding(result)
    assert finding.headline == "In den nächsten 90 Tagen enden 2 Verträge über 130\u00a0€"
    assert finding.bullets == [
        "Bis Oktober 2027 enden 4 Verträge über 2.230\u00a0€; hervorgehoben: die nächsten 90 Tage",
        "Für 2 weitere Verträge (Lizenzwert mindestens 210\u00a0€) ist kein Vertragsende bekannt",
    ]
    chart = finding.chart
    assert chart.value_format == "money"
    assert chart.categories[:3] == ("Nov. 26", "Dez.", "Jan. 27") and len(chart.categories) == 12
    assert chart.values == (100, 0, 2030, 0, 0, 0, 0, 0, 0, 0, 0, 100)
    assert [i for i in range(12) if chart.accented(i)] == [0, 1, 2]
    notes = "\n".join(finding.notes)
    assert "– Januar 2027: 2 Verträge · 2.030\u00a0€" in notes
    assert "Alpha: 31.10.2026" in notes.split("bereits beendet")[1]  # ended in the period: said in the notes only
    assert "Eta" not in notes and "Theta" not in notes
    assert _briefing(result, "management").remaining == ["2 Verträge enden in den nächsten 90 Tagen"]


def test_english_slide(licences_draft):
    finding = _finding(licences_draft[1], "it")
    assert finding.headline == "2 contracts worth €130 end in the next 90 days"
    assert finding.bullets == [
        "4 contracts worth €2,230 end by October 2027; highlighted: the next 90 days",
        "No end date is known for 2 more contracts (licence value at least €210)",
    ]
    assert finding.chart.categories[:3] == ("Nov 26", "Dec", "Jan 27")


def test_a_contract_without_a_price_makes_the_sum_a_lower_bound_and_the_chart_counts(tmp_path):
    result = _draft(tmp_path, LICENCES + "E;Lambda;1;1;;01.03.2027\n")
    figures = _briefing(result, "management").figures
    assert figures["renewals.ending_12m"] == 5
    assert figures["renewals.value_12m"] == 2230 and figures["renewals.unpriced_12m"] == 1
    finding = _finding(result)
    assert (
        finding.bullets[0]
        == "Bis Oktober 2027 enden 5 Verträge über mindestens 2.230\u00a0€; hervorgehoben: die nächsten 90 Tage"
    )
    # a month's unknown value is not drawn as less than it is: the chart counts contracts
    assert finding.chart.value_format == "count"
    assert finding.chart.values == (1, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 1)
    assert "Lambda: 01.03.2027 · Wert unbekannt" in "\n".join(finding.notes)


def test_without_a_price_column_the_value_is_unknown_never_0(tmp_path):
    licences = (
        "\n".join(";".join(c for i, c in enumerate(line.split(";")) if i != 4) for line in LICENCES.splitlines()) + "\n"
    )
    result = _draft(tmp_path, licences)
    figures = _briefing(result, "management").figures
    assert figures["renewals.ending_90d"] == 2 and figures["renewals.ending_12m"] == 4
    assert not {"renewals.value_90d", "renewals.value_12m", "renewals.undated_value"} & set(figures)
    finding = _finding(result)
    assert finding.headline == "In den nächsten 90 Tagen enden 2 Verträge, ihr Wert ist unbekannt"
    assert finding.chart.value_format == "count"
    assert "€" not in " ".join([finding.headline, *finding.bullets])
    assert _finding(result, "it").headline == "2 contracts of unknown value end in the next 90 days"


def test_without_an_end_date_column_the_calendar_is_absent(tmp_path):
    licences = "\n".join(line.rsplit(";", 1)[0] for line in (LICENCES + SURPLUS).splitlines()) + "\n"
    result = _draft(tmp_path, licences)
    assert _finding(result) is None
    assert not [k for k in _briefing(result, "management").figures if k.startswith("renewals.")]
    infos, warnings = split(result.warnings, result.briefings)  # information: --strict does not fail on it
    assert "management: renewals: die Lizenzbilanz nennt kein Vertragsende – der Vertragskalender entfällt" in infos
    assert not any(str(w).startswith("management: renewals") for w in warnings)
    # the manifest's figures of an audience are its briefing's (publish/manifest.py)
    assert not [k for k in _briefing(result, "it").figures if k.startswith("renewals.")]


def test_prepared_renewals_and_the_balance(tmp_path):
    actions = "Nr.;Maßnahme;Status;Fällig am;Produkt\n1;Delta verlängern;offen;01.12.2026;Delta\n2;Gamma geklärt;erledigt;01.10.2026;Gamma\n"
    result = _draft(tmp_path, LICENCES, {"data/massnahmen.csv": actions})
    management = _briefing(result, "management")
    # Delta has an open action; Gamma's is done, so Gamma and Epsilon (the 90 days) have none.
    assert management.figures["renewals.prepared"] == 1
    assert management.figures["renewals.unprepared"] == 3
    assert management.figures["renewals.unprepared_90d"] == 2
    finding = _finding(result)
    assert finding.bullets[1] == "Einer davon ist mit einer Maßnahme vorbereitet, 3 noch nicht"
    assert "Delta: 31.01.2027 · 2.000\u00a0€ · mit Maßnahme" in "\n".join(finding.notes)
    assert management.achieved == ["Ein Vertragsende bis Oktober 2027 mit Maßnahme vorbereitet"]
    assert management.remaining == ["2 Verträge enden in den nächsten 90 Tagen, noch ohne Maßnahme"]


def test_the_contract_ends_are_said_once_per_deck(tmp_path):
    result = _draft(tmp_path, LICENCES + SURPLUS)
    with_calendar = next(f for f in _briefing(result, "management").findings if f.theme == "opportunities")
    without = next(f for f in _briefing(result, "itsm").findings if f.theme == "opportunities")
    assert not any("Verträge enden" in b for b in with_calendar.bullets)
    assert any("Verträge enden in den nächsten 90 Tagen" in b for b in without.bullets)


def test_the_deck_and_the_svg_chart_mark_the_90_days(licences_draft):
    ws, result = licences_draft
    deck = deck_of(ws, _briefing(result, "management"))
    slide = next(s for s in deck.slides if s.shapes.title.text.startswith("In den nächsten 90 Tagen"))
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    assert len(chart.plots[0].categories) == 12
    points = chart.plots[0].series[0].points
    assert [points[i].format.fill.fore_color.theme_color for i in range(3)] == [MSO_THEME_COLOR.ACCENT_2] * 3
    svg = svg_chart(
        Chart("column", tuple("abc"), (1.0, 2.0, 3.0), "s", "count", highlights=(0, 1)),
        Formatter("de", "EUR"),
        {"accent1": "111111", "accent2": "222222"},
    )
    assert svg.count('fill="#222222"') == 2 and svg.count('fill="#111111"') == 1
