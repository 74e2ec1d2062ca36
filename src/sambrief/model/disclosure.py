"""Disclosure control for everything published about one period: the threshold rule with
complementary (secondary) suppression, for one-dimensional tables with a published total.

The people of a population (the holders of cloud seats, the requesters of software requests)
fall into groups (departments, and NONE for people without one). A period publishes figures
for some sets of groups: the company's totals (every group), each group shown on its own (a
departmental briefing, a bar of the department chart) and the remainder bucket of the chart.
Subtracting any two published numbers reveals the people in the difference, so the rule is
on the partition of the people by the published sets they belong to: every non-empty part
must hold at least `minimum` people (tau-Argus and sdcTable call the parts' check the threshold
rule and the extra hiding complementary suppression). No I/O: the caller describes the people
as a profile (which groups a person belongs to -> how many such people).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

NONE = "\0none"  # the group of people without a department (exports cannot hold NUL)

# Which groups a person belongs to (usually one) -> the number of such people.
Profile = Mapping[frozenset[str], int]

SMALL, MERGED = "small", "merged"  # why a group's own figures are withheld


class Infeasible(Exception):
    """No choice of groups to show keeps every part of the period at the minimum."""


def group_sizes(profile: Profile) -> dict[str, int]:
    """Distinct people per group."""
    sizes: Counter[str] = Counter()
    for groups, n in profile.items():
        for group in groups:
            sizes[group] += n
    return dict(sizes)


def parts(profile: Profile, published: Iterable[frozenset[str]]) -> Counter[tuple[bool, ...]]:
    """The partition of the people by the published sets they are in: a set covers a person
    who belongs to any of its groups. People in no published set are disclosed nowhere and
    are left out."""
    sets = list(published)
    counts: Counter[tuple[bool, ...]] = Counter()
    for groups, n in profile.items():
        signature = tuple(bool(groups & s) for s in sets)
        if n and any(signature):
            counts[signature] += n
    return counts


def smallest_part(profile: Profile, published: Iterable[frozenset[str]]) -> int | None:
    """The size of the smallest non-empty part (None when nothing about people is published)."""
    return min(parts(profile, published).values(), default=None)


@dataclass(frozen=True)
class GroupPlan:
    """Which groups of one population a period shows on their own, and the rest in one bucket."""

    shown: frozenset[str]  # shown on their own (a departmental briefing, a bar of the chart)
    bucket: frozenset[str]  # every other group: only ever stated together (the chart's remainder)
    sizes: dict[str, int] = field(default_factory=dict)
    smallest: int | None = None  # the smallest part of the period's partition

    def withheld(self, group: str, minimum: int) -> str | None:
        """Why a group's own figures may not be published (SMALL, MERGED), None when they may."""
        size = self.sizes.get(group, 0)
        if group in self.shown or size == 0:
            return None
        return SMALL if size < minimum else MERGED


def published_sets(groups: Collection[str], shown: Iterable[str], total: bool) -> list[frozenset[str]]:
    """The sets a plan publishes: each shown group, and with the company total also the total
    and the bucket of the others (the chart states it; it is the total minus the shown)."""
    shown = set(shown)
    sets = [frozenset({g}) for g in sorted(shown)]
    if total:
        sets += [frozenset(groups), frozenset(set(groups) - shown)]
    return [s for s in sets if s]


def plan(
    profile: Profile,
    minimum: int,
    *,
    total: bool = True,
    wanted: Collection[str] | None = None,
    fixed: Collection[str] = (),
    forbidden: Collection[str] = (),
) -> GroupPlan:
    """Show every group that is `wanted` (None: every group) and holds at least `minimum`
    people, except the `forbidden` ones (stated in a bucket elsewhere). While a part of the
    partition is below the minimum, the smallest shown group that is not `fixed` (published
    elsewhere, so it can never hide in a bucket) joins the bucket. Raises Infeasible when only
    fixed groups are left to move."""
    sizes = group_sizes(profile)
    fixed = {g for g in fixed if sizes.get(g, 0)}
    if any(sizes[g] < minimum for g in fixed) or fixed & set(forbidden):
        raise Infeasible(sorted(g for g in fixed if sizes[g] < minimum or g in forbidden))
    candidates = sizes if wanted is None else set(wanted) | fixed
    shown = {g for g in candidates if sizes.get(g, 0) >= minimum and g not in forbidden} | fixed
    while True:
        smallest = smallest_part(profile, published_sets(sizes, shown, total))
        # (the totals alone describe the whole organisation, however small: never a group of it)
        if smallest is None or smallest >= minimum or not shown:
            return GroupPlan(frozenset(shown), frozenset(set(sizes) - shown), sizes, smallest)
        movable = sorted(shown - fixed, key=lambda g: (sizes[g], g))
        if not movable:
            raise Infeasible(sorted(fixed))
        shown.remove(movable[0])


def profile_of(codes: np.ndarray, keys: list[str], people: pd.Series) -> dict[frozenset[str], int]:
    """The profile of rows: each row's group as a code into `keys` (group_keys), its person
    key (a missing person is nobody). On whole columns: each person's set of groups is told
    by the sum of a random 64-bit weight per group (order-free; two different sets alike has
    odds of about 2**-64), counted per distinct sum, and each sum's groups read once."""
    person_codes = (
        people.cat.codes.to_numpy() if isinstance(people.dtype, pd.CategoricalDtype) else pd.factorize(people)[0]
    )
    kept = person_codes >= 0
    person_codes, group_codes = person_codes[kept].astype(np.int64), codes[kept].astype(np.int64)
    if not len(person_codes):
        return {}
    # Each person's lowest and highest group: equal for everyone in the usual case (one group
    # per person), where the profile is the count of people per group.
    lowest = np.full(int(person_codes.max()) + 1, len(keys), dtype=np.int64)
    highest = np.full(len(lowest), -1, dtype=np.int64)
    np.minimum.at(lowest, person_codes, group_codes)
    np.maximum.at(highest, person_codes, group_codes)
    present = highest >= 0
    if (lowest[present] == highest[present]).all():
        counts = np.bincount(lowest[present], minlength=len(keys))
        return {frozenset({keys[g]}): int(n) for g, n in enumerate(counts.tolist()) if n}
    weights = np.random.default_rng(24).integers(1, 2**63, size=len(keys), dtype=np.uint64)
    # each (person, group) once, by hashing (a sort of millions of pairs takes seconds)
    pairs = pd.unique(person_codes * len(keys) + group_codes)
    person, group = pairs // len(keys), pairs % len(keys)
    signature = np.zeros(int(person.max()) + 1, dtype=np.uint64)
    np.add.at(signature, person, weights[group])
    counts = pd.Series(signature[pd.unique(person)]).value_counts(sort=False)
    members = pd.DataFrame({"sum": signature[person], "group": group}).drop_duplicates()
    sets = members.groupby("sum", sort=False)["group"].agg(lambda g: frozenset(keys[i] for i in g))
    return {sets[s]: int(n) for s, n in zip(counts.index.tolist(), counts.tolist())}


def group_keys(departments: pd.Series) -> tuple[np.ndarray, list[str], dict[str, str]]:
    """Each row's group as a code into the returned keys (a department trimmed and
    case-folded; NONE where it has none), and each key's name as first written: decided once
    per distinct text."""
    codes, names = pd.factorize(departments, use_na_sentinel=True)
    stripped = [str(n).strip() if isinstance(n, str) else "" for n in names]
    keys: list[str] = []
    index: dict[str, int] = {}
    shown_as: dict[str, str] = {}
    per_text = []
    for name in [*stripped, ""]:  # the last one for rows without a department (code -1)
        key = name.casefold() if name else NONE
        if key not in index:
            index[key] = len(keys)
            keys.append(key)
        shown_as.setdefault(key, name)
        per_text.append(index[key])
    mapping = np.array(per_text, dtype=np.int64)
    return mapping[codes], keys, shown_as


def department_key(department: str) -> str:
    return department.strip().casefold() or NONE


@dataclass(frozen=True)
class Published:
    """What outputs of the period already state about one population: the groups shown on
    their own, and whether a chart stated every other group only in its bucket."""

    shown: frozenset[str] = frozenset()
    chart: bool = False

    def __or__(self, other: Published) -> Published:
        return Published(self.shown | other.shown, self.chart or other.chart)


def period_plan(
    profile: Profile,
    minimum: int,
    *,
    chart: bool,
    requested: Collection[str] = (),
    declared: Collection[str] = (),
    prior: Published = Published(),
) -> GroupPlan:
    """The period's plan for one population. `chart`: some audience of the workspace shows
    every group (the department chart), so every group big enough is wanted; `requested`:
    the departments of the briefings built now; `declared`: the departments of departmental
    audiences in the configuration (kept out of buckets so that their briefings can be made);
    `prior`: what earlier outputs of the period stated, which cannot be taken back (a group a
    chart put in its bucket is never shown alone). Requested and then declared departments
    that cannot be shown without breaking the rule lose their own figures; when even the
    earlier outputs alone break it, Infeasible."""
    sizes = group_sizes(profile)
    forbidden = set(sizes) - prior.shown if prior.chart else set()
    wanted = None if chart or prior.chart else set(requested) | set(declared) | prior.shown
    attempts = (prior.shown | set(declared) | set(requested), prior.shown | set(declared), prior.shown)
    for fixed in attempts:
        try:
            return plan(
                profile,
                minimum,
                wanted=wanted,
                fixed={g for g in fixed if g not in forbidden and sizes.get(g, 0) >= minimum}
                | (prior.shown & set(sizes)),
                forbidden=forbidden,
            )
        except Infeasible:
            continue
    raise Infeasible(sorted(prior.shown))


@dataclass(frozen=True)
class Disclosure:
    """The period's plans per population ('cloud_seats', 'requests'), with the names of the
    groups as the exports write them."""

    minimum: int
    plans: dict[str, GroupPlan]
    names: dict[str, dict[str, str]] = field(default_factory=dict)

    def withheld(self, population: str, department: str) -> str | None:
        plan_ = self.plans.get(population)
        return plan_.withheld(department_key(department), self.minimum) if plan_ is not None else None

    def shown(self, population: str) -> frozenset[str]:
        plan_ = self.plans.get(population)
        return plan_.shown if plan_ is not None else frozenset()

    @property
    def smallest(self) -> int | None:
        sizes = [p.smallest for p in self.plans.values() if p.smallest is not None]
        return min(sizes) if sizes else None
