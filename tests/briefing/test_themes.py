"""Theme figures on small data, computed by hand (see the comments for the arithmetic)."""

from __future__ import annotations

from pathlib import Path

import pytest
from briefing.drafting import draft_of
from conftest import MINIMAL_CONFIG, write_workspace

from sambrief.briefing.details import details_csv

# The tests here read figures, findings, notices and details.csv: drafts, nothing rendered by a build.

LICENCES = """Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis
A;Alpha;10;12;100,00
A;Beta;5;5;50,00
B;Gamma;3;8;
C;Delta;20;15;10,00
"""
# Alpha short 2 x 100 = 200; Gamma short 5, no price; Beta covered; Delta surplus 5 x 10 = 50.

SEATS = """Benutzer;Produkt;Letzte Aktivität;Stichtag
u1@x.example;Produkt A;01.09.2026;30.09.2026
u2@x.example;Produkt A;01.05.2026;30.09.2026
u3@x.example;Produkt A;;30.09.2026
u1@x.example;Produkt B;02.07.2026;30.09.2026
u4@x.example;Produkt B;01.07.2026;30.09.2026
"""
# Report date 30.09.2026, 90 days -> active from 02.07.2026 on.
# Idle: u2/A (May), u3/A (never), u4/B (01.07.) = 3; cost 2 x 10 + 1 x 20 = 40 a month.

SUCCESSES = """Datum;Erfolg;Kategorie;Betrag
15.09.2026;Vertrag neu verhandelt;Einsparung;1.000,00
01.02.2026;Audit bestanden;Audit;0
20.12.2025;Vorjahr;Einsparung;500
"""

ACTIONS = """Nr.;Maßnahme;Status;Fällig am;Produkt
1;Alpha nachkaufen;offen;01.09.2026;Alpha
2;Prozess klären;in Arbeit;15.10.2026;
3;Erledigtes;erledigt;01.01.2026;
"""


@pytest.fixture(scope="module")
def small_draft(tmp_path_factory: pytest.TempPathFactory):
    """Drafted once for the tests of this module, which only read it (the management briefing's
    figures are what the build's manifest lists for it)."""
    ws = write_workspace(
        tmp_path_factory.mktemp("small") / "ws",
        MINIMAL_CONFIG,
        {
            "data/lizenzen.csv": LICENCES,
            "data/seats.csv": SEATS,
            "data/erfolge.csv": SUCCESSES,
            "data/massnahmen.csv": ACTIONS,
        },
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
        result = draft_of(ws, audience="management")
    return result, result.briefings[0].figures


def test_period_comes_from_newest_report_date(small_draft):
    result, _ = small_draft
    assert result.period == "2026-09"


def test_risk_figures(small_draft):
    _, f = small_draft
    assert f["risk.exposure_total"] == 200.0
    assert f["risk.licenses_short"] == 7
    assert f["risk.products_short"] == 2
    assert f["risk.products_covered"] == 2
    assert f["risk.products_price_unknown"] == 1
    assert f["risk.surplus_value"] == 50.0


def test_cloud_sprawl_figures(small_draft):
    _, f = small_draft
    assert f["cloud_sprawl.seats_assigned"] == 5
    assert f["cloud_sprawl.seats_idle"] == 3
    assert f["cloud_sprawl.seats_never_used"] == 1
    assert f["cloud_sprawl.seats_active"] == 2
    assert f["cloud_sprawl.idle_cost_month"] == 40.0
    assert f["cloud_sprawl.idle_cost_year"] == 480.0
    assert f["cloud_sprawl.users"] == 4


def test_successes_figures(small_draft):
    _, f = small_draft
    assert f["successes.savings_period"] == 1000.0
    assert f["successes.savings_ytd"] == 1000.0
    assert f["successes.items_ytd"] == 2


def test_open_issues_figures(small_draft):
    _, f = small_draft
    assert f["open_issues.open"] == 2
    assert f["open_issues.overdue"] == 1
    assert f["open_issues.done"] == 1
    assert f["open_issues.shortfalls_without_action"] == 1  # Gamma; Alpha has an action
    assert f["open_issues.exposure_unknown"] == 1


def test_headlines_state_the_point_with_the_number(small_draft):
    result, _ = small_draft
    headlines = {f.key: f.headline for f in result.briefings[0].findings}
    assert (
        headlines["risk.exposure"] == "Für 2 von 4 Produkten fehlen Lizenzen – Nachlizenzierung würde 200\u00a0€ kosten"
    )
    assert (
        headlines["cloud_sprawl.idle"]
        == "3 von 5 Cloud-Lizenzen (60\u00a0%) werden nicht genutzt – das kostet 480\u00a0€ im Jahr"
    )


def test_per_product_inactivity_threshold(tmp_path: Path):
    config = MINIMAL_CONFIG + "thresholds:\n  inactive_days: 90\n  products:\n    Produkt B: {inactive_days: 30}\n"
    ws = write_workspace(tmp_path / "ws", config, {"data/seats.csv": SEATS})
    result = draft_of(ws, audience="management")
    # Produkt B at 30 days: u1 (02.07.) and u4 (01.07.) both idle now -> 4 idle.
    assert result.briefings[0].figures["cloud_sprawl.seats_idle"] == 4


def test_theme_without_data_warns_and_is_left_out(tmp_path: Path):
    ws = write_workspace(tmp_path / "ws", MINIMAL_CONFIG, {"data/seats.csv": SEATS})
    result = draft_of(ws, audience="management")
    keys = [f.key for f in result.briefings[0].findings]
    assert keys == ["cloud_sprawl.idle", "opportunities.potential"]
    assert any("risk: keine Lizenzbilanz" in w for w in result.warnings)
    assert any("successes:" in w for w in result.warnings)


def _compare(settings, sources) -> list:
    """Every audience's figures, headlines, bullets, notes and full lists composed from the sources."""
    from datetime import date

    from sambrief.briefing.compose import SharedThemes, compose
    from sambrief.commands.arguments import select_audiences
    from sambrief.commands.stages import canonical_model

    model = canonical_model(sources, None, date(2026, 11, 15))
    shared = SharedThemes()
    return [
        (
            b.figures,
            [(f.headline, f.bullets, f.notes) for f in b.findings],
            [(d.slide, d.title, d.lines) for d in b.details],
        )
        for b in (compose(model, settings, a, shared=shared) for a in select_audiences(settings, "all"))
    ]


@pytest.fixture(scope="module")
def object_columns(tmp_path_factory: pytest.TempPathFactory):
    """The sources of every kind as the readers hand them (text in object columns), read once,
    and what every audience is told from them."""
    import vendor_fixtures as vf
    from ingest.test_cloud_people import (
        ALL_SOURCES,
        CONFIG,
        PRICES,
    )  # tests/ is on the path, tests/ingest only once collected

    from sambrief.commands.stages import read_sources
    from sambrief.config.workspace import load_settings

    ws = write_workspace(
        tmp_path_factory.mktemp("text-columns") / "ws",
        CONFIG + PRICES,
        {**ALL_SOURCES, "data/flexera.csv": vf.flexera_compliance_csv(), "data/ritm.csv": vf.servicenow_ritm_csv()},
    )
    settings = load_settings(ws / "sambrief.yaml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SAMBRIEF_PSEUDONYM_KEY", "test-key-not-secret")
        sources, _ = read_sources(settings, lambda _: None)
    return settings, sources, _compare(settings, sources)


@pytest.mark.parametrize("dtype", ["category", "str"])
def test_briefings_are_the_same_from_categorical_and_arrow_text_columns(object_columns, dtype):
    """The readers may hand text columns as categoricals or arrow strings: model and themes
    give every audience the same figures, notes and full lists as from object columns."""
    import copy

    settings, read, expected = object_columns
    sources = copy.deepcopy(read)  # each dtype converts its own copy
    for source in sources:
        for name in source.frame.columns:
            if source.frame[name].map(lambda v: v is None or isinstance(v, str)).all():
                source.frame[name] = source.frame[name].astype(dtype)
    assert _compare(settings, sources) == expected


SPLIT_LICENCES = """Hersteller;Produkt;Lizenzbestand;Lizenzbedarf;Einzelpreis
Contoso;Alpha;10;12;100,00
ADOBE;ACROBAT PRO DC;1;4;10,00
Contoso;Alpha;1;2;100,00
Microsoft;ENTERPRISEPACK;5;6;20,00
Microsoft;Visio Plan 2;9;2;5,00
"""
# Alpha is split over two rows: short 2 + 1 = 3, 300 €. Acrobat: short 3, 30 €. Office 365 E3
# (ENTERPRISEPACK): short 1, 20 €. Visio: 7 spare licences, 35 €.


def test_full_lists_name_each_product_once_with_its_maker(tmp_path: Path):
    """details.csv lists every under-licensed product once (a product split over licence rows
    summed), named as people write it and with its maker, in the decks that show the lists."""
    ws = write_workspace(
        tmp_path / "ws", MINIMAL_CONFIG, {"data/lizenzen.csv": SPLIT_LICENCES, "data/seats.csv": SEATS}
    )
    # details.csv as the deck's renderer writes it beside each deck that has full lists
    rows = {
        b.output_key: details_csv(b).decode("utf-8-sig").splitlines()[1:]
        for b in draft_of(ws, audience="all").briefings
        if "pptx" in b.audience.formats and b.details
    }
    short = ["Contoso Alpha: 3 · 300 €", "Adobe Acrobat Pro DC: 3 · 30 €", "Microsoft Office 365 E3: 1 · 20 €"]
    gaps = ["Alpha", "Acrobat Pro DC", "Office 365 E3"]

    def items(key: str, title: str) -> list[str]:
        return [row.split(";")[2] for row in rows[key] if row.split(";")[1].startswith(title)]

    assert [i.replace("\u00a0", " ") for i in items("management", "Unterlizenzierte Produkte")] == short
    assert [
        i.replace("\u00a0", " ") for i in items("it", "Unterlizenzierte Produkte")
    ] == short * 2  # risk and risk_detail
    assert [i.replace("\u00a0", " ") for i in items("management", "Überdeckungen")] == [
        "Microsoft Visio Plan 2: 7 · 35 €"
    ]
    for key in ("management", "itsm", "it"):
        assert items(key, "Unterdeckungen ohne Maßnahme") == gaps


def test_equal_lists_on_two_slides_keep_each_slide_in_details_csv():
    """Audiences whose decks show the same list (open issues' gaps) share its encoding, and
    each row still names its own slide; the deck's notes keep 15 items and say how many more."""
    from sambrief.briefing.compose import SharedThemes
    from sambrief.briefing.details import details_csv
    from sambrief.briefing.findings import Finding
    from sambrief.i18n.catalog import Messages

    lines = [f"– Produkt {i}" for i in range(40)]
    shared, details = SharedThemes(), []
    capped = [
        shared.capped_notes(Finding("t", "t.k", headline, [], ["Liste:", *lines], "", ""), Messages("de"), details)
        for headline in ("Folie A", "Folie B")
    ]
    assert [len(f.notes) for f in capped] == [1 + 15 + 1] * 2
    briefing = type("B", (), {"language": "de", "msg": Messages("de"), "details": details})()
    rows = details_csv(briefing).decode("utf-8-sig").splitlines()
    assert rows[1] == "Folie A;Liste;Produkt 0" and rows[40] == "Folie A;Liste;Produkt 39"
    assert rows[41] == "Folie B;Liste;Produkt 0" and len(rows) == 81


def test_a_finding_without_notes_is_shared_unchanged():
    """A theme may give no notes at all (a short finding): the notes capping passes it through."""
    from sambrief.briefing.compose import SharedThemes
    from sambrief.briefing.findings import Finding
    from sambrief.i18n.catalog import Messages

    finding = Finding(theme="t", key="t.k", headline="H 1", bullets=["b"], notes=[], source="s", key_point="p")
    details: list = []
    assert SharedThemes().capped_notes(finding, Messages("de"), details) is finding
    assert details == []
