"""`sambrief plan`: the internal-marketing concept for the management's sign-off.

Built from what sambrief already knows (audiences, themes, media, cadence, roles, the
template in use, the layout registry and the privacy settings), so the concept, and above
all its privacy annex for the works council, is always true to the code.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sambrief.briefing.compose import Briefing
from sambrief.briefing.findings import Finding, ProcessStep
from sambrief.config.settings import Audience, Settings
from sambrief.i18n.catalog import Formatter, Messages
from sambrief.ingest.datasets import DATASETS
from sambrief.ingest.layouts import registry
from sambrief.text import clean_text


@dataclass(frozen=True)
class FieldTreatment:
    field: str
    treatment: str  # shown, aggregated, pseudonymised
    headers: tuple[str, ...]  # export column names read into it, over all layouts


@dataclass(frozen=True)
class DatasetTreatment:
    dataset: str
    fields: tuple[FieldTreatment, ...]

    def by(self, treatment: str) -> list[str]:
        return [f.field for f in self.fields if f.treatment == treatment]


def privacy_annex() -> list[DatasetTreatment]:
    """For every dataset: which fields are read (and from which export columns), and how each is treated."""
    out = []
    for name, dataset in DATASETS.items():
        layouts = [lay for lay in registry().values() if lay.dataset == name]
        fields = []
        for f in dataset.fields:
            headers = sorted({h for lay in layouts for rule in lay.columns if rule.field == f.name for h in rule.names})
            read = headers or any(f.name in lay.constants for lay in layouts)
            if read:
                fields.append(FieldTreatment(f.name, f.treatment, tuple(headers)))
        out.append(DatasetTreatment(name, tuple(fields)))
    return out


@dataclass(frozen=True)
class Concept:
    goals: dict[str, list[str]] = field(default_factory=dict)
    supporters: dict[str, dict[str, str]] = field(default_factory=dict)
    schedule_day: int = 3


def read_concept(path: Path | None) -> Concept:
    """Read concept.yaml, validated by its schema (sambrief.config.schema.ConceptFile)."""
    if path is None or not path.is_file():
        return Concept()
    from sambrief.config.loading import load_file
    from sambrief.config.schema import ConceptFile

    concept = load_file(path, ConceptFile)
    goals = {lang: [clean_text(x) for x in items] for lang, items in concept.goals.items()}
    supporters = {key: {lang: clean_text(v) for lang, v in texts.items()} for key, texts in concept.supporters.items()}
    return Concept(goals, supporters, concept.schedule_day)


# Public holidays on which no briefing goes out: the nationwide German ones (the product's
# organisations are German; a date moved by a day for another country harms nothing).
_FIXED_HOLIDAYS = ((1, 1), (5, 1), (10, 3), (12, 25), (12, 26))
_EASTER_OFFSETS = (-2, 1, 39, 50)  # Good Friday, Easter Monday, Ascension Day, Whit Monday


def _easter(year: int) -> date:
    """Easter Sunday (Gregorian calendar, the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    n = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * n) // 451
    month, day = divmod(h + n - 7 * m + 114, 31)
    return date(year, month, day + 1)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a nationwide German public holiday."""
    if day.weekday() >= 5 or (day.month, day.day) in _FIXED_HOLIDAYS:
        return False
    easter = _easter(day.year)
    return all(day != easter + timedelta(days=offset) for offset in _EASTER_OFFSETS)


def next_working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def next_dates(cadence: str, today: date, day: int, count: int = 3) -> list[date]:
    """The next dates a briefing goes out, from its cadence: the schedule day of the month, moved
    to the next working day where it falls on a weekend or public holiday."""
    out: list[date] = []
    if cadence == "weekly":  # Mondays (Tuesday after an Easter or Whit Monday)
        start = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
        return [next_working_day(start + timedelta(weeks=i)) for i in range(count)]
    months = {"monthly": range(1, 13), "quarterly": (1, 4, 7, 10), "yearly": (1,)}[cadence]
    year, month = today.year, today.month
    while len(out) < count:
        candidate = next_working_day(date(year, month, min(day, calendar.monthrange(year, month)[1])))
        if candidate > today and month in months:
            out.append(candidate)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def field_label(msg: Messages, name: str) -> str:
    """A field in plain words for the works council (the technical name where no label exists)."""
    try:
        return str(msg.raw(f"fields.{name}"))
    except KeyError:
        return name


def _topic(msg: Messages, theme: str) -> str:
    """How the plan names a theme: `topic` in the theme's own file."""
    return msg(f"{theme}.topic")


def _join(msg: Messages, names: list[str]) -> str:
    """ "a, b and c" in the plan's language."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {msg('plan.and')} {names[-1]}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _channels(msg: Messages, audience: Audience) -> str:
    return _join(msg, [msg(f"plan.channel_{c}") for c in audience.channels])


def _title(audience: Audience, language: str) -> str:
    return audience.title.get(language) or audience.title.get(audience.language) or audience.key


def compose_plan(settings: Settings, language: str, today: date, template_name: str) -> tuple[Briefing, Briefing]:
    """(deck briefing, one-pager briefing) of the concept."""
    fmt, msg = Formatter(language, settings.currency), Messages(language)
    concept = read_concept(settings.concept_path)
    audiences = list(settings.audiences.values())
    yearly = {"weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}
    per_year = sum(yearly[a.cadence] for a in audiences)
    findings: list[Finding] = []
    goals = concept.goals.get(language) or [msg("plan.goal_default_1"), msg("plan.goal_default_2")]
    findings.append(
        Finding(
            "plan",
            "plan.why",
            msg("plan.why_headline", n=len(audiences), per_year=per_year),
            [msg("plan.why_transparency"), msg("plan.why_iso")] + goals[:1],
            [msg("plan.why_note")] + goals,
            "",
            msg("plan.why_key_point", n=len(audiences), per_year=per_year),
            priority=1,
        )
    )
    for i, audience in enumerate(audiences):
        topics = [_topic(msg, t) for t in audience.themes]
        what = _join(msg, topics) if topics else ""
        cadence = msg(f"plan.cadence_{audience.cadence}")
        findings.append(
            Finding(
                "plan",
                f"plan.audience.{audience.key}",
                msg(
                    "plan.audience_headline",
                    title=_title(audience, language),
                    cadence=cadence,
                    channels=_channels(msg, audience),
                ),
                [
                    msg("plan.audience_what", what=what),
                    msg(
                        "plan.audience_roles",
                        owner=audience.owner or msg("plan.role_unset"),
                        approver=audience.approver or msg("plan.role_unset"),
                    ),
                    msg("plan.audience_max", n=audience.max_slides),
                ],
                [msg("plan.audience_note", name=audience.key)] + [f"– {t}" for t in topics],
                "",
                msg("plan.audience_key_point", title=_title(audience, language), cadence=cadence),
                priority=10 + i,
            )
        )
    comms = concept.supporters.get("communications", {}).get(language) or msg("plan.comms_default")
    council = concept.supporters.get("works_council", {}).get(language) or msg("plan.council_default")
    findings.append(
        Finding(
            "plan",
            "plan.helpers",
            msg("plan.helpers_headline", comms=comms, council=council),
            [
                msg("plan.helpers_comms", comms=comms, template=template_name),
                msg("plan.helpers_council", council=council),
                msg("plan.helpers_pull"),
            ],
            [msg("plan.helpers_note")],
            "",
            msg("plan.helpers_key_point", comms=comms, council=council),
            priority=20,
        )
    )
    annex = privacy_annex()
    findings.append(
        Finding(
            "plan",
            "plan.privacy",
            msg("plan.privacy_headline"),
            [
                msg("plan.privacy_door"),
                msg("plan.privacy_groups", n=settings.min_group_size),
                msg("plan.privacy_never"),
            ],
            [msg("plan.privacy_note"), msg("plan.privacy_rule", n=settings.min_group_size)],
            "",
            msg("plan.privacy_key_point", n=settings.min_group_size),
            priority=21,
        )
    )
    for j, item in enumerate(annex):
        names = lambda fs: ", ".join(field_label(msg, f) for f in fs) or msg("plan.none")  # noqa: E731
        notes = [msg("plan.annex_note", dataset=item.dataset)]
        for f in item.fields:
            treatment = msg("plan.treatment_" + f.treatment)
            notes.append(f"– {field_label(msg, f.field)} [{f.field}] ({treatment}): {', '.join(f.headers)}")
        findings.append(
            Finding(
                "plan",
                f"plan.annex.{item.dataset}",
                msg("plan.annex_headline", dataset=msg(f"plan.dataset_{item.dataset}"), n=len(item.fields)),
                [
                    msg("plan.annex_shown", fields=names(item.by("shown"))),
                    msg("plan.annex_aggregated", fields=names(item.by("aggregated"))),
                    msg("plan.annex_pseudonymised", fields=names(item.by("pseudonymised"))),
                ],
                notes,
                "",
                "",
                priority=30 + j,
            )
        )
    # One line per rhythm, naming every audience that goes out on those dates: four audiences
    # with two cadences fit the slide's three bullets, and none is left to the notes.
    by_dates: dict[tuple[date, ...], list[Audience]] = {}
    for audience in audiences:
        by_dates.setdefault(tuple(next_dates(audience.cadence, today, concept.schedule_day)), []).append(audience)
    schedule = [
        msg(
            "plan.schedule_line",
            cadence=_capitalised(msg(f"plan.cadence_{group[0].cadence}")),
            dates=_join(msg, [fmt.date(d) for d in dates]),
            titles=_join(msg, [msg("plan.quoted", title=_title(a, language)) for a in group]),
        )
        for dates, group in sorted(by_dates.items())
    ]
    findings.append(
        Finding(
            "plan",
            "plan.schedule",
            msg(
                "plan.schedule_headline",
                date=fmt.date(min(next_dates(a.cadence, today, concept.schedule_day)[0] for a in audiences)),
            ),
            schedule[:3],
            schedule,
            "",
            msg("plan.schedule_key_point"),
            priority=25,
        )
    )

    plan_audience = Audience(
        "plan", {language: msg("plan.title")}, language, (), max_slides=40, intro={language: msg("plan.intro")}
    )
    common: dict[str, Any] = dict(
        audience=plan_audience,
        language=language,
        organisation=settings.organisation,
        title=msg("plan.title"),
        period=today.strftime("%Y-%m"),
        period_label=fmt.date(today),
        as_of=today,
        currency=settings.currency,
        contact=settings.contact,
        achieved=[msg("plan.benefit_1"), msg("plan.benefit_2"), msg("plan.benefit_3")],
        remaining=[msg("plan.need_1"), msg("plan.need_2", council=council), msg("plan.need_3", comms=comms)],
        figures={},
        subtitle=f"{settings.organisation} · {msg('plan.as_of', date=fmt.date(today))}",
        balance_title=msg("plan.balance_title"),
        achieved_label=msg("plan.benefits"),
        remaining_label=msg("plan.needs"),
    )
    deck = Briefing(key_points=[f.key_point for f in findings if f.key_point][:5], findings=findings, **common)
    # The one-pager: why, all audiences in one card, helpers, privacy and the schedule.
    overview = Finding(
        "plan",
        "plan.audiences",
        msg("plan.audiences_headline", n=len(audiences)),
        [
            msg(
                "plan.audience_line",
                title=_title(a, language),
                cadence=msg(f"plan.cadence_{a.cadence}"),
                channels=_channels(msg, a),
            )
            for a in audiences
        ][:4],
        [],
        "",
        "",
        priority=2,
        keep_bullets=4,
        list_total=len(audiences),
    )
    short = [findings[0], overview] + [
        f for f in findings if f.key in ("plan.helpers", "plan.privacy", "plan.schedule")
    ]
    onepager = Briefing(key_points=[], findings=short, **common)
    return deck, onepager


__all__ = ["compose_plan", "privacy_annex", "next_dates", "ProcessStep"]
