"""Every target group: new themes on hand-computed data, languages, departmental briefings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from briefing.drafting import draft_of, rendered
from conftest import MINIMAL_CONFIG, write_workspace
from pptx import Presentation

from sambrief.commands.build import BuildRequest, build

# The tests here read figures, notices, the pptx and the one-pager, never the deck's PDF.
pytestmark = pytest.mark.usefixtures("no_deck_pdf")

REQUESTS = """Antrag;Software;Beantragt am;Genehmigt am;Bereitgestellt am;Status;Abteilung
R1;Visio;01.10.2026;03.10.2026;06.10.2026;Geschlossen;Vertrieb
R2;Visio;05.10.2026;06.10.2026;15.10.2026;Geschlossen;Vertrieb
R3;SPSS;10.10.2026;14.10.2026;30.10.2026;Geschlossen;Einkauf
R4;Notepad++;20.10.2026;;22.10.2026;Geschlossen;Vertrieb
R5;Visio;01.09.2026;;11.09.2026;Geschlossen;Vertrieb
R6;Visio;02.09.2026;;22.09.2026;Geschlossen;Vertrieb
R7;Project;01.09.2026;;;Offen;Vertrieb
R8;Project;25.10.2026;;;Offen;Vertrieb
R9;AutoCAD;15.10.2026;20.10.2026;;In Arbeit;Vertrieb
R10;AutoCAD;01.10.2026;;;Storniert;Vertrieb
"""
# October closed: R1 5 d (approval 2, fulfilment 3), R2 10 d (1, 9), R3 20 d (4, 16), R4 2 d.
# -> median 7.5, p90 (nearest rank 4 of 4) 20, within 10 days 3 of 4; September median (10, 20) = 15.
# Waiting for approval: R7 (60 days), R8 (6 days); R9 in fulfilment; R10 cancelled.

BUDGET = """Kostenstelle;Kategorie;Budget;Ist;Obligo
A;Lizenzen;100.000;90.000;20.000
B;Wartung;50.000;20.000;0
"""
# used 130,000 of 150,000; forecast 110,000 / 10 months x 12 = 132,000; A over budget (110 %).

LICENCES = """Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis;Vertragsende
A;Alpha;10;12;100;
A;Beta;15;5;50;15.12.2026
C;Delta;20;15;10;01.06.2027
"""
# surplus Beta 10 x 50 + Delta 5 x 10 = 550; renewal within 90 days: Beta (15 x 50 = 750).

NEWS = """items:
  - {date: 2026-10-01, title: Neu für alle, text: Gilt für alle.}
  - {date: 2026-10-02, title: Nur Business, text: Für das Business., audiences: [business]}
  - {date: 2026-10-03, title: Nur Management, audiences: [management]}
  - {date: 2026-06-01, title: Abgelaufen, valid_until: 2026-09-30}
  - {date: 2026-11-15, title: Zukunft}
"""

SEATS = (
    "Benutzer;Produkt;Letzte Aktivität;Abteilung;Stichtag\n"
    + "".join(
        f"v{i}@x.example;Produkt A;{'01.01.2026' if i < 3 else '20.10.2026'};Vertrieb;31.10.2026\n" for i in range(6)
    )
    + "e1@x.example;Produkt A;;Einkauf;31.10.2026\ne2@x.example;Produkt A;20.10.2026;Einkauf;31.10.2026\n"
)
# Vertrieb: 6 people, 3 idle. Einkauf: 2 people (under the minimum group size of 5), 1 idle.

# The tests read figures, findings and notices, and business's deck: the other audiences make only
# their one-pager (a deck and its PDF are the costliest outputs of a build).
AUDIENCES = """audiences:
  management: {language: de, themes: [risk, opportunities], max_slides: 10, formats: [onepager]}
  itsm: {language: de, themes: [procurement, budget], max_slides: 10, formats: [onepager]}
  business: {language: de, themes: [lifecycle, cloud_sprawl, news], max_slides: 10}
  it: {language: en, themes: [cloud_departments], max_slides: 10, formats: [onepager]}
"""


def _workspace(root: Path) -> Path:
    return write_workspace(
        root / "ws",
        MINIMAL_CONFIG + "news: news.yaml\n",
        {
            "data/requests.csv": REQUESTS,
            "data/budget.csv": BUDGET,
            "data/licences.csv": LICENCES,
            "data/seats.csv": SEATS,
            "news.yaml": NEWS,
        },
        AUDIENCES,
    )


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return _workspace(tmp_path)


def figures(ws: Path, **kwargs) -> dict:
    """The briefings as the build composes them (nothing rendered): their figures by output key, and the draft."""
    result = draft_of(ws, period="2026-10", **kwargs)
    return {b.output_key: b.figures for b in result.briefings}, result


@pytest.fixture(scope="module")
def business(tmp_path_factory: pytest.TempPathFactory):
    """The business briefing of the workspace drafted once, for the tests that only read it."""
    ws = _workspace(tmp_path_factory.mktemp("business"))
    with pytest.MonkeyPatch.context() as mp:  # the autouse key fixture is per test
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
        return figures(ws, audience="business")


@pytest.fixture(scope="module")
def vertrieb(tmp_path_factory: pytest.TempPathFactory):
    """The workspace with enough people, and its departmental business briefing for Vertrieb drafted once."""
    ws = _workspace(tmp_path_factory.mktemp("vertrieb"))
    with_enough_people(ws)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
        return ws, figures(ws, audience="business", department="Vertrieb")


def test_lifecycle_figures(business):
    f, result = business
    lc = f["business"]
    assert lc["lifecycle.median_days"] == 7.5
    assert lc["lifecycle.p90_days"] == 20
    assert lc["lifecycle.within_target_share"] == 0.75
    assert lc["lifecycle.median_days_previous"] == 15
    assert lc["lifecycle.approval_median_days"] == 2
    assert lc["lifecycle.fulfilment_median_days"] == 9
    headline = result.briefings[0].findings[0].headline
    assert headline == "Software-Anträge gehen schneller: im Median 7,5 Tage, 7,5 Tage weniger als im Vormonat"


def test_lifecycle_explained_with_durations(business):
    _, result = business
    explained = next(f for f in result.briefings[0].findings if f.key == "lifecycle.explained")
    steps = {s.label: s.duration for s in explained.process}
    assert list(steps) == ["Antrag", "Freigabe", "Beschaffung", "Bereitstellung", "Nutzung", "Rückgabe"]
    assert steps["Freigabe"] == "typisch 2 Tage" and steps["Bereitstellung"] == "typisch 9 Tage"


@pytest.mark.slow
def test_lifecycle_text_is_configurable(tmp_path, ws):
    config = (
        ws / "sambrief.yaml"
    ).read_text() + "lifecycle:\n  steps:\n    approval: {de: Die Kostenstelle gibt frei.}\n"
    (ws / "sambrief.yaml").write_text(config)
    _, result = figures(ws, audience="business")
    explained = next(f for f in result.briefings[0].findings if f.key == "lifecycle.explained")
    assert explained.process[1].text == "Die Kostenstelle gibt frei."


def test_procurement_and_budget_figures(ws):
    # The export names who asked for each request (as ServiceNow's "Requested for" does); the
    # briefing counts requests and must not carry the names anywhere.
    requests = ws / "data" / "requests.csv"
    lines = requests.read_text("utf-8").splitlines()
    people = ["Anna Müller", "Jörg Schäfer"]
    requests.write_text(
        "\n".join([lines[0] + ";Beantragt für"] + [f"{line};{people[i % 2]}" for i, line in enumerate(lines[1:])])
        + "\n",
        encoding="utf-8",
    )
    f, result = figures(ws, audience="itsm")
    it = f["itsm"]
    assert it["procurement.pending"] == 2
    assert it["procurement.in_fulfilment"] == 1
    assert it["procurement.throughput"] == 4
    assert it["procurement.oldest_waiting_days"] == 60
    assert it["procurement.waiting_over_30_days"] == 1
    assert it["budget.consumed_share"] == pytest.approx(0.8667, abs=1e-4)
    assert it["budget.forecast_year_end"] == 132000
    assert it["budget.areas_over_budget"] == 1
    briefing = result.briefings[0]
    text = json.dumps(
        [[f.headline, f.bullets, f.notes] for f in briefing.findings] + [briefing.details],
        ensure_ascii=False,
        default=str,
    )
    assert "Procurement" in text or "Antr" in text  # the request findings are there to be read
    assert "Müller" not in text and "Schäfer" not in text  # counts, never names


def test_opportunities_figures(ws):
    f, _ = figures(ws, audience="management")
    m = f["management"]
    assert m["opportunities.surplus_value"] == 550
    assert m["opportunities.renewals_90d"] == 1
    assert m["opportunities.renewals_value"] == 750
    assert m["opportunities.idle_saving_year"] == 4 * 10 * 12  # 4 idle seats of Produkt A at 10 a month


def test_news_current_for_audience(business):
    f, result = business
    assert f["business"]["news.items"] == 2
    news = next(x for x in result.briefings[0].findings if x.theme == "news")
    assert [re.split(": | – ", b)[0] for b in news.bullets] == ["Nur Business", "Neu für alle"]


def with_enough_people(ws: Path) -> None:
    """The workspace with Einkauf grown to 5 seat holders and every request naming its requester
    (Vertrieb 9 people, Einkauf 5), so that the Vertrieb figures leave no small group."""
    seats = ws / "data" / "seats.csv"
    seats.write_text(
        seats.read_text("utf-8")
        + "".join(f"e{i}@x.example;Produkt A;20.10.2026;Einkauf;31.10.2026\n" for i in (3, 4, 5)),
        encoding="utf-8",
    )
    lines = REQUESTS.splitlines()
    rows = [lines[0] + ";Antragsteller"] + [f"{line};p{i}" for i, line in enumerate(lines[1:], 1)]
    rows += [f"R{10 + i};Visio;01.08.2026;;;Storniert;Einkauf;e{i}" for i in range(1, 5)]  # Einkauf: R3 (p3) and e1-e4
    (ws / "data" / "requests.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_departmental_briefing_shows_only_that_department(vertrieb):
    ws, (f, result) = vertrieb
    b = f["business-vertrieb"]
    assert b["cloud_sprawl.seats_assigned"] == 6
    assert b["cloud_sprawl.seats_idle"] == 3
    assert b["lifecycle.requests_closed"] == 3  # R1, R2, R4
    assert result.briefings[0].title.endswith(": Vertrieb")
    deck = next(name for name in rendered(ws, result.briefings[0]).files if name.endswith(".pptx"))
    assert deck == "sambrief-business-vertrieb-2026-10.pptx"


def test_departmental_briefing_that_would_reveal_the_rest_by_subtraction_states_nothing_about_people(ws):
    """Vertrieb (6 people) of 8: the company's totals minus Vertrieb's would be Einkauf's 2
    people; the requests name no requester, so Vertrieb's requesters cannot be counted."""
    f, result = figures(ws, audience="business", department="Vertrieb")
    b = f["business-vertrieb"]
    assert not [k for k in b if k.split(".")[0] in ("cloud_sprawl", "lifecycle")]
    briefing = result.briefings[0]
    assert [x.key for x in briefing.findings if x.theme != "news"] == ["privacy.withheld"]
    withheld = briefing.findings[0]
    assert withheld.headline == "Für Vertrieb weisen wir keine Zahlen zu Cloud-Lizenzen und Software-Anträgen aus"
    assert "mit Gruppen unter 5 Personen zusammengefasst" in withheld.bullets[0]
    assert "nennen keinen Antragsteller" in withheld.bullets[1]


def test_department_under_minimum_size_is_never_shown_alone(ws):
    f, result = figures(ws, audience="business", department="Einkauf")
    b = f["business-einkauf"]
    assert not any(k.startswith("cloud_sprawl.") for k in b)
    assert any("Einkauf hat weniger als 5 Personen" in w for w in result.warnings)
    assert not any(x.theme == "cloud_sprawl" for x in result.briefings[0].findings)


def test_small_departments_merge_into_other(ws):
    # Einkauf (2 people) alone would be a one-department "other" bar; merged with Vertrieb (the
    # only other department) no department can be named any more: the theme shows nothing.
    f, result = figures(ws, audience="it")
    assert not [x for x in result.briefings[0].findings if x.theme == "cloud_departments"]
    assert (
        "it: cloud_departments: no department can be shown on its own without revealing a group of fewer than 5 people;"
        " the theme is left out"
    ) in result.warnings
    assert f["it"]["cloud_departments.departments"] == 0 and f["it"]["cloud_departments.departments_merged"] == 2


@pytest.mark.slow
def test_all_audiences_differ_and_stay_within_limits(example_workspace):
    result = build(BuildRequest(config=example_workspace / "sambrief.yaml", audience="all"))
    themes = {}
    for b in result.briefings:
        deck = Presentation(next(p for p in result.written if p.parent.name == b.output_key))
        assert len(deck.slides) <= b.audience.max_slides
        themes[b.output_key] = [f.theme for f in b.findings]
    assert themes["management"] == ["risk", "cloud_sprawl", "successes", "opportunities", "open_issues", "renewals"]
    assert themes["itsm"] == ["procurement", "budget", "cloud_sprawl", "cloud_departments", "open_issues", "renewals"]
    assert themes["business"] == ["lifecycle", "lifecycle", "cloud_sprawl", "news", "successes"]
    assert themes["it"] == ["risk", "risk_detail", "cloud_sprawl", "cloud_departments", "open_issues"]
    manifest = json.loads((result.out_dir / "manifest.json").read_text("utf-8"))
    for key in ("opportunities.surplus_value", "opportunities.idle_saving_year"):
        assert key in manifest["audiences"]["management"]["figures"]
    for key in ("procurement.pending", "budget.consumed_share"):
        assert key in manifest["audiences"]["itsm"]["figures"]
    for key in ("lifecycle.median_days", "lifecycle.p90_days", "news.items"):
        assert key in manifest["audiences"]["business"]["figures"]


@pytest.mark.slow
def test_german_and_english_decks_carry_the_same_figures(example_workspace, tmp_path):
    de = build(BuildRequest(config=example_workspace / "sambrief.yaml", audience="management", out=tmp_path / "de"))
    en = build(
        BuildRequest(
            config=example_workspace / "sambrief.yaml", audience="management", out=tmp_path / "en", language="en"
        )
    )
    assert de.briefings[0].figures == en.briefings[0].figures
    de_titles = [s.shapes.title.text for s in Presentation(de.written[0]).slides]
    en_titles = [s.shapes.title.text for s in Presentation(en.written[0]).slides]
    assert "620.833\u00a0€" in de_titles[2]
    assert en_titles[2] == "16 of 40 products lack licences – closing the gap would cost €620,833"
    assert en_titles[1] == "Key points" and en_titles[-1] == "Questions and suggestions"
    assert en_titles[0] == "Software asset management – briefing for the management"


def test_messages_catalogs_have_the_same_keys():
    from sambrief.i18n.catalog import catalog

    def keys(node, prefix=""):
        out = set()
        for k, v in node.items():
            if isinstance(v, dict) and not {"one", "other"} >= set(v):
                out |= keys(v, f"{prefix}{k}.")
            else:
                out.add(prefix + k)
        return out

    cats = {lang: catalog(lang) for lang in ("de", "en")}
    assert keys(cats["de"]) == keys(cats["en"])


def test_audience_entry_with_a_department_filter(ws):
    with_enough_people(ws)
    (ws / "audiences.yaml").write_text(
        "audiences:\n  vertrieb:\n    title: {de: Software für den Vertrieb}\n    themes: [cloud_sprawl]\n    filter: {department: Vertrieb}\n",
        encoding="utf-8",
    )
    f, result = figures(ws, audience="vertrieb")
    assert f["vertrieb"]["cloud_sprawl.seats_assigned"] == 6
    assert result.briefings[0].title == "Software für den Vertrieb"


def test_a_departmental_month_not_stated_stays_unsaid_in_the_next(vertrieb):
    """Vertrieb's September lead times were never published for Vertrieb (no departmental
    briefing then, or withheld): October's departmental briefing does not state them as "last
    month", while the company briefing still compares with its own September."""
    ws, (f, result) = vertrieb
    b = f["business-vertrieb"]
    assert (
        b["lifecycle.median_days"] == 5
        and "lifecycle.median_days_previous" not in b
        and "lifecycle.median_days_change" not in b
    )
    assert not [line for x in result.briefings[0].findings for line in [x.headline, *x.notes] if "Vormonat" in line]
    f, _ = figures(ws, audience="business")
    assert f["business"]["lifecycle.median_days_previous"] == 15
