"""`sambrief plan`: the concept deck and one-pager, and a privacy annex true to the code."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from conftest import copy_example
from pptx import Presentation
from pypdf import PdfReader
from typer.testing import CliRunner

from sambrief.briefing.plan import is_working_day, next_dates, privacy_annex
from sambrief.cli.app import app
from sambrief.commands.plan import PlanRequest, build_plan
from sambrief.ingest import layouts
from sambrief.render import deckpdf

runner = CliRunner()


def _unused_deck_pdf(result, briefing, settings) -> bytes:
    """`plan` writes the concept deck's pptx only: laying out a deck PDF it does not write is wasted time."""
    raise AssertionError("plan laid out a deck PDF it does not write")


class Plans(dict):
    """The concept of the example in each language, made when a test first asks for it (with
    `plans[lang]`; iterating makes both)."""

    LANGUAGES = ("de", "en")

    def __init__(self, ws) -> None:
        super().__init__()
        self.ws = ws

    def __missing__(self, lang: str):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(deckpdf, "render_deck_pdf", _unused_deck_pdf)
            made = build_plan(PlanRequest(config=self.ws / "sambrief.yaml", language=lang, today=date(2026, 11, 26)))
        self[lang] = made
        return made

    def items(self):  # type: ignore[override]
        return [(lang, self[lang]) for lang in self.LANGUAGES]

    def values(self):  # type: ignore[override]
        return [self[lang] for lang in self.LANGUAGES]


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> Plans:
    return Plans(copy_example(tmp_path_factory.mktemp("plan") / "ws"))


def deck_text(result) -> tuple[list[str], str]:
    deck = next(p for p in result.written if p.suffix == ".pptx")
    prs = Presentation(deck)
    titles = [s.shapes.title.text for s in prs.slides]
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    return titles, notes


@pytest.mark.slow
def test_plan_in_german_and_english(plans):
    for lang, result in plans.items():
        names = sorted(p.name for p in result.written)
        assert names == [f"plan-onepager-{lang}.html", f"plan-onepager-{lang}.pdf", f"sambrief-plan-{lang}.pptx"]
        assert len(PdfReader(str(next(p for p in result.written if p.suffix == ".pdf"))).pages) == 1
    de, _ = deck_text(plans["de"])
    en, _ = deck_text(plans["en"])
    assert de[0] == "Internes Marketing für das Lizenzmanagement – Konzept zur Freigabe"
    assert en[0] == "Internal marketing for software asset management – concept for sign-off"
    assert de[2] == "Internes Marketing macht das Lizenzmanagement sichtbar: 4 Zielgruppen, 40 Briefings im Jahr"


def test_target_groups_with_media_cadence_and_roles(plans):
    titles, notes = deck_text(plans["de"])
    assert (
        "Lizenzmanagement – Lagebild für die Geschäftsführung: monatlich per Präsentation, Onepager und Mail" in titles
    )
    deck = next(p for p in plans["de"].written if p.suffix == ".pptx")
    text = "\n".join(sh.text_frame.text for s in Presentation(deck).slides for sh in s.shapes if sh.has_text_frame)
    assert "Erstellt: Lizenzmanagement · Freigabe: CIO" in text
    assert "Unternehmenskommunikation: Unternehmensstandards, Vorlage „deck.pptx“" in text
    assert "Betriebsrat" in text


def test_schedule_from_cadence_on_working_days():
    # 03.01.2027 is a Sunday, 03.04. and 03.07.2027 are Saturdays: the next Monday instead.
    assert next_dates("monthly", date(2026, 11, 26), 3) == [date(2026, 12, 3), date(2027, 1, 4), date(2027, 2, 3)]
    assert next_dates("quarterly", date(2026, 11, 26), 3) == [date(2027, 1, 4), date(2027, 4, 5), date(2027, 7, 5)]
    assert next_dates("weekly", date(2026, 11, 26), 3, count=2) == [date(2026, 11, 30), date(2026, 12, 7)]
    assert next_dates("yearly", date(2026, 11, 26), 3, count=1) == [date(2027, 1, 4)]
    # Public holidays: the Day of German Unity (Sunday 03.10.2027 -> Monday 04.10.), Easter Monday
    # 2028 (17.04.) moves a weekly Monday to Tuesday, New Year's Day 2029 (a Monday) to the 2nd.
    assert next_dates("monthly", date(2027, 9, 10), 3, count=1) == [date(2027, 10, 4)]
    assert next_dates("weekly", date(2028, 4, 12), 3, count=1) == [date(2028, 4, 18)]
    assert next_dates("yearly", date(2028, 6, 1), 1, count=1) == [date(2029, 1, 2)]
    for cadence in ("weekly", "monthly", "quarterly", "yearly"):
        for start in (date(2026, 1, 1) + timedelta(days=n) for n in range(0, 800, 7)):
            assert all(is_working_day(d) and d.weekday() < 5 for d in next_dates(cadence, start, 3))


def test_schedule_names_every_audience_and_the_template_file(plans):
    titles, notes = deck_text(plans["de"])
    deck = next(p for p in plans["de"].written if p.suffix == ".pptx")
    slide = next(s for s in Presentation(deck).slides if s.shapes.title.text.startswith("Der erste Termin"))
    text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    for title in (
        "Lagebild für die Geschäftsführung",
        "Freigaben, Beschaffung und Budget",
        "Software in den Fachbereichen",
        "Details für die IT",
    ):
        assert title in text, title
    assert "03.01.2027" not in text and "Monatlich am 03.12.2026, 04.01.2027 und 03.02.2027" in text


def test_privacy_annex_lists_every_dataset_and_treatment(plans):
    annex = {d.dataset: d for d in privacy_annex()}
    assert set(annex) == {
        "license_position",
        "cloud_seats",
        "cloud_activity",
        "successes",
        "actions",
        "requests",
        "budget",
        "contracts",
    }
    # contracts: nothing about a person is read (no layout maps the contract administrator or approver)
    assert annex["contracts"].by("pseudonymised") == [] and "end_date" in annex["contracts"].by("shown")
    assert annex["cloud_seats"].by("pseudonymised") == ["user_key", "user_alias"]
    assert "department" in annex["cloud_seats"].by("aggregated")
    assert "deleted_date" in annex["cloud_seats"].by("aggregated")
    user = next(f for f in annex["cloud_seats"].fields if f.field == "user_key")
    assert "user principal name" in user.headers and "email address [required]" in user.headers
    # The activity and account signals (Apps usage, activations, Entra): identifiers pseudonymised,
    # account states only counted.
    assert annex["cloud_activity"].by("pseudonymised") == ["user_key", "user_alias"]
    assert {"account_disabled", "guest", "last_activity", "department"} <= set(annex["cloud_activity"].by("aggregated"))
    alias = next(f for f in annex["cloud_activity"].fields if f.field == "user_alias")
    assert alias.headers == ("mail",)
    titles, notes = deck_text(plans["de"])
    assert "weitere Benutzerkennung (E-Mail) [user_alias] (pseudonymisiert): " in notes
    for name in (
        "Lizenzbilanz",
        "Cloud-Lizenzen",
        "Nutzungs- und Kontosignale",
        "Erfolgsregister",
        "Maßnahmenregister",
        "Software-Anträge",
        "Budgetregister",
        "Vertragsliste",
    ):
        assert any(t.startswith(f"Anhang Datenschutz – {name}") for t in titles), name
    assert "Benutzerkennung [user_key] (pseudonymisiert): " in notes


def test_annex_follows_the_layout_registry(tmp_path, monkeypatch):
    before = {d.dataset: d for d in privacy_annex()}["cloud_seats"]
    original = layouts.registry()
    m365 = original["m365_active_users"]
    extended = replace(m365, columns=m365.columns + (layouts.ColumnRule("department", ("usage location",)),))
    monkeypatch.setattr("sambrief.briefing.plan.registry", lambda: {**original, "m365_active_users": extended})
    after = {d.dataset: d for d in privacy_annex()}["cloud_seats"]
    department = lambda d: next(f for f in d.fields if f.field == "department").headers  # noqa: E731
    assert "usage location" not in department(before)
    assert "usage location" in department(after)


@pytest.mark.parametrize("lang", ["de", pytest.param("en", marks=pytest.mark.slow)])  # one language fast
def test_plan_deck_passes_the_quality_rules(plans, lang):
    result = plans[lang]
    assert [w for w in result.warnings if "overflows" in w or "below" in w or "words" in w] == []


def test_plan_command(tmp_path, monkeypatch):
    monkeypatch.setattr(deckpdf, "render_deck_pdf", _unused_deck_pdf)
    ws = copy_example(tmp_path / "ws")
    result = runner.invoke(
        app, ["plan", "--config", str(ws / "sambrief.yaml"), "--lang", "en", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "o" / "plan" / "sambrief-plan-en.pptx").is_file()
    bad = runner.invoke(app, ["plan", "--config", str(ws / "sambrief.yaml"), "--lang", "fr"])
    assert bad.exit_code == 2
