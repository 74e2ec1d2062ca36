"""The disclosure rule on its own (sambrief.model.disclosure): threshold rule plus complementary
suppression for one-dimensional tables with a published total."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sambrief.model.disclosure import (
    MERGED,
    NONE,
    SMALL,
    Infeasible,
    Published,
    group_keys,
    parts,
    period_plan,
    plan,
    profile_of,
    published_sets,
    smallest_part,
)


def profile(**sizes: int) -> dict[frozenset[str], int]:
    return {frozenset({g}): n for g, n in sizes.items()}


def test_partition_counts_people_by_the_published_sets_they_are_in():
    people = {frozenset({"A"}): 6, frozenset({"B"}): 1, frozenset({"C"}): 7}
    # total, A alone: parts A (6) and the rest (8)
    assert sorted(parts(people, [frozenset("ABC"), frozenset("A")]).values()) == [6, 8]
    # total, A alone and the bucket {A, B} (a merged bucket that holds a group shown elsewhere): B alone is a part
    assert smallest_part(people, [frozenset("ABC"), frozenset("A"), frozenset("AB")]) == 1
    assert smallest_part(people, []) is None


def test_small_groups_merge_with_each_other_and_the_next_smallest_joins_when_they_are_too_few():
    # the case: Vorstand (1) and one person without a department beside large departments
    people = profile(Vertrieb=126, IT=125, Logistik=109, Vorstand=1) | {frozenset({NONE}): 1}
    p = plan(people, 5)
    assert p.shown == {"Vertrieb", "IT"}
    assert p.bucket == {"Logistik", "Vorstand", NONE}  # 2 people alone are too few: Logistik, the smallest, joins
    assert p.smallest == 111
    assert p.withheld("Vorstand", 5) == SMALL and p.withheld("Logistik", 5) == MERGED and p.withheld("IT", 5) is None


def test_a_group_published_elsewhere_never_hides_a_small_group():
    people = profile(Vertrieb=126, IT=125, Logistik=109, Vorstand=1)
    p = plan(people, 5, fixed={"Logistik"})
    assert p.bucket == {"IT", "Vorstand"} and "Logistik" in p.shown
    with pytest.raises(Infeasible):
        plan(people, 5, fixed={"Logistik", "IT", "Vertrieb"})


def test_requested_departments_lose_their_figures_before_the_period_is_refused():
    people = profile(A=6, B=2)
    # only A's departmental briefing and the totals: total - A = B's 2 people, so A is withheld
    p = period_plan(people, 5, chart=False, requested={"A"})
    assert p.shown == frozenset() and p.withheld("A", 5) == MERGED
    # a chart published earlier put A into its bucket: A is never shown alone afterwards
    people = profile(A=6, B=7, C=1)
    p = period_plan(people, 5, chart=True, requested={"A"}, prior=Published(frozenset({"B"}), chart=True))
    assert p.shown == {"B"} and p.withheld("A", 5) == MERGED
    # B and C were published alone before (C only by a mistake of an older version): nothing can repair it
    with pytest.raises(Infeasible):
        period_plan(profile(A=6, B=7, C=1), 5, chart=False, prior=Published(frozenset({"A", "B"})))


def test_the_totals_alone_are_always_publishable():
    assert plan(profile(A=2, B=1), 5).shown == frozenset()


def test_profile_of_rows_counts_distinct_people_and_people_in_several_groups_once():
    codes = np.array([0, 0, 1, 1, 2, 0])
    people = pd.Series(["u1", "u1", "u2", "u3", "u4", "u3"])
    assert profile_of(codes, ["a", "b", NONE], people) == {
        frozenset({"a"}): 1,
        frozenset({"b", "a"}): 1,
        frozenset({"b"}): 1,
        frozenset({NONE}): 1,
    }
    assert profile_of(codes[:2], ["a"], pd.Series(["u1", None], dtype=object)) == {frozenset({"a"}): 1}
    codes, keys, names = group_keys(pd.Series([" Vertrieb", "vertrieb ", None, ""], dtype=object))
    assert [keys[c] for c in codes] == ["vertrieb", "vertrieb", NONE, NONE] and names["vertrieb"] == "Vertrieb"


# Group sizes, departments requested by name, the minimum group size, whether a chart shows the groups.
PLANS = (
    st.dictionaries(st.sampled_from(["A", "B", "C", "D", "E", NONE]), st.integers(1, 12), min_size=1),
    st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), max_size=2),
    st.integers(2, 6),
    st.booleans(),
)


def no_difference_singles_out_a_small_group(sizes, fixed, minimum, chart) -> None:
    """Brute force over the plan's published sets: any two of them (and each alone) cover, by
    difference, either nobody or at least `minimum` people."""
    people = {frozenset({g}): n for g, n in sizes.items()}
    try:
        p = period_plan(people, minimum, chart=chart, requested=fixed)
    except Infeasible:
        return
    sets = published_sets(sizes, p.shown, total=True)
    assert not set(p.shown) & set(p.bucket)
    for a, b in combinations(sets + [frozenset()], 2):
        for difference in (a - b, b - a):
            n = sum(sizes[g] for g in difference)
            assert n == 0 or n >= minimum or not p.shown, (a, b, p)
    if p.shown:  # the totals alone (nothing shown) describe the organisation, never a group
        assert all(sizes[g] >= minimum for g in p.shown)


@settings(max_examples=40, deadline=None)
@given(*PLANS)
def test_no_difference_of_two_published_numbers_singles_out_a_small_group(sizes, fixed, minimum, chart):
    """A sample of plans while working; the thorough search is the slow test below."""
    no_difference_singles_out_a_small_group(sizes, fixed, minimum, chart)


@pytest.mark.slow  # a thorough fuzz test: 300 plans
@settings(max_examples=300, deadline=None)
@given(*PLANS)
def test_no_difference_of_two_published_numbers_singles_out_a_small_group_in_300_plans(sizes, fixed, minimum, chart):
    no_difference_singles_out_a_small_group(sizes, fixed, minimum, chart)
