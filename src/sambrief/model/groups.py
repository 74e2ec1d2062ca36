"""The people of one period as sambrief.model.disclosure sees them: who holds seats and who requested
software, per department; the period's plan for them; and the audit of everything published.

Two populations: the holders of cloud seats (`cloud_seats`, people by `user_key`) and the
requesters of software (`requests`, people by the pseudonymised `requester`). Every briefing
states both populations' totals (the baseline figures, trends and "what changed" reach every
briefing); a departmental briefing states its department's; the department chart states the
groups the plan shows and one bucket of the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sambrief.config.settings import Audience, Settings
from sambrief.errors import SambriefError
from sambrief.model.core import Model
from sambrief.model.disclosure import (
    NONE,
    Disclosure,
    Infeasible,
    Profile,
    Published,
    department_key,
    group_keys,
    period_plan,
    profile_of,
    smallest_part,
)

POPULATIONS = {"cloud_seats": "user_key", "requests": "requester"}  # dataset -> its person column
TOTAL = frozenset({"\0total"})  # a published set that covers every group: the company's totals
CHART_THEME = "cloud_departments"  # the one theme that states groups of a population besides the totals
UNKNOWN = "unknown"  # withheld: the rows name no person, so the group's size is unknown


class DisclosureRefused(SambriefError):
    """The period cannot be published without revealing a group below the minimum."""


def profiles(model: Model) -> dict[str, Profile]:
    """Per population: which departments a person belongs to -> how many such people."""

    def make() -> dict[str, Profile]:
        out: dict[str, Profile] = {}
        for dataset, person in POPULATIONS.items():
            frame = model.frame(dataset)
            if person not in frame:
                out[dataset] = {}
                continue
            codes, keys, _ = group_keys(frame["department"])
            out[dataset] = profile_of(codes, keys, frame[person])
        return out

    return model.derived("disclosure.profiles", make)


def names(model: Model) -> dict[str, dict[str, str]]:
    return {d: group_keys(model.frame(d)["department"])[2] for d in POPULATIONS}


def plan_period(
    model: Model, settings: Settings, audiences: Iterable[Audience], prior: dict[str, Published] | None = None
) -> Disclosure:
    """The period's plan for the audiences built now, the departmental audiences the
    configuration declares and what earlier outputs of the period state (`prior`)."""
    audiences = list(audiences)
    everyone = list(settings.audiences.values())
    requested = {department_key(a.department) for a in audiences if a.department}
    declared = {department_key(a.department) for a in everyone if a.department}
    chart = any(CHART_THEME in a.themes and not a.department for a in everyone + audiences)
    plans = {}
    for dataset, profile in profiles(model).items():
        before = (prior or {}).get(dataset, Published())
        try:
            plans[dataset] = period_plan(
                profile,
                settings.min_group_size,
                chart=chart and dataset == "cloud_seats",
                requested=requested,
                declared=declared,
                prior=before,
            )
        except Infeasible:
            shown = ", ".join(sorted(names(model)[dataset].get(g, g) for g in before.shown)) or "-"
            raise DisclosureRefused(
                f"{model.period}: the outputs already published for the period show {shown} on their own, "
                f"which leaves a group of fewer than {settings.min_group_size} people that two published "
                f"numbers would reveal; nothing was written"
            ) from None
    return Disclosure(settings.min_group_size, plans, names(model))


def withheld(model: Model, disclosure: Disclosure, department: str) -> dict[str, str]:
    """dataset -> why a departmental briefing states nothing derived from its people there."""
    out: dict[str, str] = {}
    key = department_key(department)
    for dataset in POPULATIONS:
        reason = disclosure.withheld(dataset, department)
        if reason is None and key not in disclosure.shown(dataset):
            frame = model.frame(dataset)
            codes, keys, _ = group_keys(frame["department"])
            has_rows = key in keys and bool((codes == keys.index(key)).any())
            # rows of the department, but no person named in them: the group's size is unknown
            reason = UNKNOWN if has_rows else None
        if reason is not None:
            out[dataset] = reason
    return out


def published_sets(
    audience: Audience, withheld_datasets: Iterable[str], theme_sets: dict[str, list[frozenset[str]]], model: Model
) -> dict[str, list[frozenset[str]]]:
    """What one briefing states about each population: the totals (a company briefing) or its
    department (a departmental one, where not withheld), and the groups its themes state."""
    out: dict[str, list[frozenset[str]]] = {}
    skipped = set(withheld_datasets)
    for dataset in POPULATIONS:
        if dataset in skipped:
            continue
        own = [frozenset({department_key(audience.department)})] if audience.department else [TOTAL]
        if audience.department and model.frame(dataset).empty:
            own = []
        out[dataset] = own + list(theme_sets.get(dataset, []))
    return out


def record(sets: dict[str, list[frozenset[str]]], disclosure: Disclosure) -> dict[str, Any]:
    """A briefing's published sets for its manifest entry (read back by `prior`): per
    population, the totals, the groups shown on their own (by name; '' = no department) and
    whether a chart stated the rest as one bucket."""
    out: dict[str, Any] = {}
    for dataset, published in sets.items():
        shown = sorted({next(iter(s)) for s in published if len(s) == 1 and s != TOTAL})
        out[dataset] = {
            "total": TOTAL in published,
            "chart": any(len(s) > 1 for s in published),
            "shown": ["" if g == NONE else disclosure.names.get(dataset, {}).get(g, g) for g in shown],
        }
    return out


def prior(entries: Iterable[dict[str, Any]], chart_categories: Iterable[str] = ()) -> dict[str, Published]:
    """What the period's earlier outputs state, from their manifest entries' `disclosure`
    records (older entries: their department) and the history's department chart categories."""
    out: dict[str, Published] = {}
    for entry in entries:
        record_ = entry.get("disclosure")
        if isinstance(record_, dict):
            for dataset, data in record_.items():
                if dataset in POPULATIONS and isinstance(data, dict):
                    shown = frozenset(department_key(str(g)) for g in data.get("shown", []))
                    out[dataset] = out.get(dataset, Published()) | Published(shown, bool(data.get("chart")))
        elif entry.get("department"):  # built before the record: its department was stated on its own
            for dataset in POPULATIONS:
                out[dataset] = out.get(dataset, Published()) | Published(
                    frozenset({department_key(str(entry["department"]))})
                )
    categories = frozenset(department_key(c) for c in chart_categories)
    if categories:
        out["cloud_seats"] = out.get("cloud_seats", Published()) | Published(categories, True)
    return out


def audit(
    model: Model,
    minimum: int,
    sets: Iterable[dict[str, list[frozenset[str]]]],
    before: dict[str, Published] | None = None,
) -> dict[str, int | None]:
    """The smallest part of each population's partition over every set the period publishes
    (the briefings' sets and the earlier outputs'); DisclosureRefused below the minimum."""
    smallest: dict[str, int | None] = {}
    collected = list(sets)
    for dataset, profile in profiles(model).items():
        groups = frozenset(g for people in profile for g in people)
        published: set[frozenset[str]] = set()
        for briefing_sets in collected:
            published.update(groups if s == TOTAL else s for s in briefing_sets.get(dataset, []))
        earlier = (before or {}).get(dataset)
        if earlier is not None:
            published.update(frozenset({g}) for g in earlier.shown if g in groups)
            if earlier.chart:
                published.add(groups - earlier.shown)
        published.discard(frozenset())
        smallest[dataset] = smallest_part(profile, published)
        # (the totals alone describe the whole organisation, however small: never a group of it)
        if smallest[dataset] is not None and smallest[dataset] < minimum and published != {groups}:  # type: ignore[operator]
            raise DisclosureRefused(
                f"{model.period}: two published numbers would reveal a group of {smallest[dataset]} "
                f"{'person' if smallest[dataset] == 1 else 'people'} ({dataset}; the minimum is {minimum}); "
                "nothing was written"
            )
    return smallest


def empty_withheld(model: Model, datasets: Iterable[str]) -> Model:
    """The model without the rows of the withheld datasets: nothing downstream (themes,
    baseline figures, trends, "what changed") can derive a figure from those people."""
    from dataclasses import replace

    frames = dict(model.datasets)
    for dataset in datasets:
        frames[dataset] = frames[dataset].iloc[0:0]
    return replace(model, datasets=frames)
