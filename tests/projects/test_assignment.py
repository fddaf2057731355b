"""projects.assignment: properties (capacity, k, pins, forbids, conflicts), lexicographic
optimality against brute force, reporting (weakest need, alternates, unassigned), pin errors,
determinism, and validate()."""

from __future__ import annotations

import math
import random
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects.assignment import (
    REASON_FULL,
    REASON_LOWER_FIT,
    REASON_PINNED_SLOTS,
    REASON_ZERO_FIT,
    Assignment,
    AssignmentProblem,
    priority_weights,
    solve,
    validate,
)

FITS = (0.0, 0.1, 0.25, 0.4, 0.5, 0.75, 0.9, 1.0)  # few values, so ties are common


@st.composite
def problems(draw, max_needs=4, max_groups=4, max_k=2, max_cap=3, pins=True):
    n_needs = draw(st.integers(1, max_needs))
    n_groups = draw(st.integers(1, max_groups))
    needs = draw(st.permutations(list(range(1, n_needs + 1))))
    groups = {100 + j: draw(st.integers(0, max_cap)) for j in range(n_groups)}
    pairs = [(n, g) for n in needs for g in groups]
    fit = {
        p: draw(st.sampled_from(FITS))
        for p in pairs
        if draw(st.booleans()) or draw(st.booleans())  # ~75% eligible; the rest are conflicts
    }
    pair_list = sorted(pairs)
    pin_set = draw(st.sets(st.sampled_from(pair_list), max_size=2)) if pins and pair_list else set()
    forbids = draw(st.sets(st.sampled_from(pair_list), max_size=3)) if pair_list else set()
    forbids -= pin_set
    return AssignmentProblem(
        needs=needs,
        groups=groups,
        fit=fit,
        k=draw(st.integers(0, max_k)),
        pins=pin_set,
        forbids=forbids,
        weak_threshold=0.5,
        priority_weight=draw(st.sampled_from((0.0, 0.0, 0.3))),
    )


def _pin_feasible(p: AssignmentProblem) -> bool:
    per_need = Counter(n for n, _ in p.pins)
    per_group = Counter(g for _, g in p.pins)
    return (
        all(pair in p.fit and pair not in p.forbids for pair in p.pins)
        and all(c <= p.k for c in per_need.values())
        and all(c <= p.groups[g] for g, c in per_group.items())
    )


def lexi_key(p: AssignmentProblem, sets: dict[int, tuple[int, ...]]) -> tuple[int, float, float]:
    """(needs covered, weakest covered need's best fit, priority-weighted total fit)."""
    w = priority_weights(p.needs, p.priority_weight)
    bests = [max(p.fit[n, g] for g in gs) for n, gs in sets.items() if gs]
    total = sum(w[n] * p.fit[n, g] for n, gs in sets.items() for g in gs)
    return (len(bests), min(bests) if bests else -1.0, total)


def brute_force(p: AssignmentProblem) -> tuple[int, float, float] | None:
    """Best lexicographic key over every feasible assignment, by depth-first enumeration."""
    options = {}
    for n in p.needs:
        groups = [g for g in sorted(p.groups) if (n, g) in p.fit and (n, g) not in p.forbids]
        pinned = {g for g in groups if (n, g) in p.pins}
        options[n] = [
            s
            for size in range(min(p.k, len(groups)) + 1)
            for s in combinations(groups, size)
            if pinned <= set(s)
        ]
    best: list[tuple[int, float, float] | None] = [None]
    load = Counter()
    chosen: dict[int, tuple[int, ...]] = {}

    def walk(i: int) -> None:
        if i == len(p.needs):
            key = lexi_key(p, chosen)
            if best[0] is None or key > best[0]:
                best[0] = key
            return
        n = p.needs[i]
        for s in options[n]:
            if all(load[g] + 1 <= p.groups[g] for g in s):
                for g in s:
                    load[g] += 1
                chosen[n] = s
                walk(i + 1)
                for g in s:
                    load[g] -= 1
        chosen.pop(n, None)

    walk(0)
    return best[0]


def assert_properties(p: AssignmentProblem, a: Assignment) -> None:
    """Checked directly (not through validate) so a bug there cannot hide one here."""
    assert a.ok, a.message
    assert set(a.pairs) == set(p.needs)
    load = Counter()
    for n, cands in a.pairs.items():
        groups = [g for g, _ in cands]
        assert len(groups) == len(set(groups))
        assert len(groups) <= p.k
        for g, f in cands:
            load[g] += 1
            assert (n, g) in p.fit, "a conflict (missing pair) was assigned"
            assert (n, g) not in p.forbids, "a forbidden pair was assigned"
            assert f == p.fit[n, g]
        assert [f for _, f in cands] == sorted((f for _, f in cands), reverse=True)
    for g, used in load.items():
        assert used <= p.groups[g], f"group {g} over capacity"
    assert {g: load.get(g, 0) for g in p.groups} == a.load
    assert p.pins <= a.chosen()


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_needs=8, max_groups=6, max_k=4, max_cap=4))
def test_capacity_k_pins_forbids_and_conflicts_hold(p: AssignmentProblem) -> None:
    a = solve(p)
    if not _pin_feasible(p):
        assert a.status == "infeasible"
        assert a.conflicts
        return
    assert_properties(p, a)
    assert validate(p, a) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_lexicographic_optimum_matches_brute_force(p: AssignmentProblem) -> None:
    a = solve(p)
    if not _pin_feasible(p):
        assert a.status == "infeasible"
        return
    best = brute_force(p)
    assert best is not None  # the pins alone are a feasible assignment
    assert a.status == "optimal", a.message
    got = lexi_key(p, {n: tuple(g for g, _ in c) for n, c in a.pairs.items()})
    assert got[0] == best[0] == a.covered
    assert got[1] == best[1]
    assert math.isclose(got[2], best[2], abs_tol=1e-7)
    assert math.isclose(a.weighted_fit, got[2], abs_tol=1e-9)
    if a.covered:
        assert a.weakest_fit == a.bottleneck == best[1]


# --- max-min before total -----------------------------------------------------------------------


def test_bottleneck_beats_total_and_weakest_need_is_reported() -> None:
    # Total fit alone picks 1→A, 2→B (1.2) leaving need 2 at 0.2; max-min picks 1→B, 2→A.
    p = AssignmentProblem(
        needs=[1, 2],
        groups={10: 1, 20: 1},
        fit={(1, 10): 1.0, (1, 20): 0.3, (2, 10): 0.4, (2, 20): 0.2},
        k=1,
        weak_threshold=0.35,
    )
    a = solve(p)
    assert a.pairs == {1: [(20, 0.3)], 2: [(10, 0.4)]}
    assert a.weakest_need == 1
    assert a.weakest_fit == 0.3
    assert a.needs_with_only_weak == [1]
    assert a.total_fit == pytest.approx(0.7)


def test_weakest_fit_is_the_best_candidate_of_the_weakest_need() -> None:
    p = AssignmentProblem(
        needs=[1, 2, 3],
        groups={10: 3, 20: 3, 30: 3},
        fit={(1, 10): 0.9, (1, 20): 0.2, (2, 20): 0.6, (2, 30): 0.1, (3, 30): 0.8},
        k=2,
        weak_threshold=0.7,
    )
    a = solve(p)
    assert a.weakest_need == 2
    assert a.weakest_fit == 0.6  # its best, not its worst (0.1)
    assert a.needs_with_only_weak == [2]
    assert a.pairs[1] == [(10, 0.9), (20, 0.2)]


# --- alternates ---------------------------------------------------------------------------------


def test_alternates_listed_with_reasons() -> None:
    p = AssignmentProblem(
        needs=[1, 2],
        groups={10: 1, 20: 2, 30: 2, 40: 0},
        fit={
            (1, 10): 0.9,
            (1, 20): 0.7,
            (1, 30): 0.5,
            (1, 40): 0.95,
            (2, 10): 0.8,
            (2, 20): 0.75,
        },
        k=1,
        n_alternates=5,
    )
    a = solve(p)
    assert a.pairs[1] == [(10, 0.9)]
    assert a.pairs[2] == [(20, 0.75)]
    assert a.alternates[1] == [
        (40, 0.95, REASON_FULL),  # zero capacity
        (20, 0.7, REASON_LOWER_FIT),
        (30, 0.5, REASON_LOWER_FIT),
    ]
    assert a.alternates[2] == [(10, 0.8, REASON_FULL)]


def test_alternates_capped_and_skip_forbidden_and_conflicts() -> None:
    fit = {(1, g): g / 100 for g in range(10, 90, 10)}
    del fit[1, 50]  # conflict of interest
    p = AssignmentProblem(
        needs=[1], groups={g: 1 for g in range(10, 90, 10)}, fit=fit, k=1, forbids={(1, 70)}
    )
    a = solve(p)
    assert a.pairs[1] == [(80, 0.8)]
    assert [g for g, _, _ in a.alternates[1]] == [60, 40, 30]


def test_alternate_reason_pinned_slots_and_zero_fit() -> None:
    p = AssignmentProblem(
        needs=[1, 2],
        groups={10: 1, 20: 1, 30: 1},
        fit={(1, 10): 0.2, (1, 20): 0.9, (2, 30): 0.0, (2, 10): 0.0},
        k=1,
        pins={(1, 10)},
    )
    a = solve(p)
    assert a.pairs[1] == [(10, 0.2)]
    assert a.alternates[1] == [(20, 0.9, REASON_PINNED_SLOTS)]
    # need 2 is covered by a zero-fit group (coverage comes first); fit 0 alternates say so
    assert len(a.pairs[2]) == 1
    assert a.pairs[2][0][1] == 0.0


def test_zero_fit_pairs_not_added_beyond_coverage() -> None:
    p = AssignmentProblem(
        needs=[1], groups={10: 1, 20: 1, 30: 1}, fit={(1, 10): 0.5, (1, 20): 0.0}, k=3
    )
    a = solve(p)
    assert a.pairs[1] == [(10, 0.5)]
    assert a.alternates[1] == [(20, 0.0, REASON_ZERO_FIT)]


# --- pins and forbids ---------------------------------------------------------------------------


def test_pin_forces_a_worse_choice_and_forbid_removes_the_best() -> None:
    fit = {(1, 10): 0.9, (1, 20): 0.5, (1, 30): 0.3}
    groups = {10: 1, 20: 1, 30: 1}
    assert solve(AssignmentProblem([1], groups, fit, k=1)).pairs[1] == [(10, 0.9)]
    assert solve(AssignmentProblem([1], groups, fit, k=1, pins={(1, 30)})).pairs[1] == [(30, 0.3)]
    assert solve(AssignmentProblem([1], groups, fit, k=1, forbids={(1, 10)})).pairs[1] == [
        (20, 0.5)
    ]


@pytest.mark.parametrize(
    ("pins", "forbids", "fragment"),
    [
        ({(1, 10), (1, 20)}, set(), "need 1 has 2 pins but k = 1"),
        ({(1, 10), (2, 10)}, set(), "group 10 has 2 pins but capacity 1"),
        ({(1, 30)}, set(), "group 30 has 1 pins but capacity 0"),
        ({(2, 20)}, set(), "not eligible"),
        ({(1, 20)}, {(1, 20)}, "also forbidden"),
        ({(9, 10)}, set(), "unknown need"),
        ({(1, 99)}, set(), "unknown group"),
    ],
)
def test_infeasible_pins_give_a_clear_error(pins, forbids, fragment) -> None:
    p = AssignmentProblem(
        needs=[1, 2],
        groups={10: 1, 20: 1, 30: 0},
        fit={(1, 10): 0.9, (1, 20): 0.5, (1, 30): 0.5, (2, 10): 0.7},
        k=1,
        pins=pins,
        forbids=forbids,
    )
    a = solve(p)
    assert a.status == "infeasible"
    assert not a.ok
    english = "; ".join(str(c) for c in a.conflicts)
    assert fragment in english
    assert {(c.need, c.group) for c in a.conflicts} == pins
    for n, g in pins:
        assert f"pin (need {n}, group {g})" in english
    assert a.message  # in the current language: test_pin_conflicts_are_translated


def test_pin_conflicts_are_translated() -> None:
    from klynge import i18n

    p = AssignmentProblem(needs=[1], groups={10: 1, 20: 1}, fit={(1, 10): 0.9}, k=1, pins={(1, 20)})
    for language, expected in (
        ("en", "pins cannot all be honoured: pin (need 1, group 20): not eligible"),
        ("nb", "ikke alle låsingene kan følges: låsing (behov 1, gruppe 20): ikke aktuell"),
        ("nn", "ikkje alle låsingane kan følgjast: låsing (behov 1, gruppe 20): ikkje aktuell"),
    ):
        token = i18n.set_language(language)
        try:
            assert solve(p).message.startswith(expected), language
        finally:
            i18n._current.reset(token)


# --- edge cases ---------------------------------------------------------------------------------


def test_zero_capacity_groups_and_needs_with_no_eligible_group() -> None:
    p = AssignmentProblem(
        needs=[1, 2, 3, 4],
        groups={10: 0, 20: 2},
        fit={(1, 10): 1.0, (1, 20): 0.4, (2, 10): 0.9, (4, 20): 0.6, (3, 20): 0.7},
        k=2,
        forbids={(3, 20)},
    )
    a = solve(p)
    assert a.load == {10: 0, 20: 2}
    assert a.pairs == {1: [(20, 0.4)], 2: [], 3: [], 4: [(20, 0.6)]}
    assert a.unassigned == [2, 3]  # 2: only a zero-capacity group; 3: forbidden
    assert a.no_eligible == [3]
    assert a.weakest_need == 1
    assert a.alternates[2] == [(10, 0.9, REASON_FULL)]
    assert a.covered == 2


def test_capacity_shortfall_covers_as_many_needs_as_possible() -> None:
    needs = list(range(1, 6))
    fit = {(n, g): 0.1 * n + 0.01 * g for n in needs for g in (1, 2)}
    a = solve(AssignmentProblem(needs, {1: 1, 2: 2}, fit, k=2))
    assert a.covered == 3
    assert len(a.unassigned) == 2
    assert sum(a.load.values()) == 3


def test_k_larger_than_number_of_groups() -> None:
    p = AssignmentProblem(
        needs=[1], groups={10: 5, 20: 5, 30: 5}, fit={(1, 10): 0.3, (1, 20): 0.8}, k=10
    )
    a = solve(p)
    assert a.pairs[1] == [(20, 0.8), (10, 0.3)]
    assert validate(p, a) == []


def test_k_zero_and_empty_problem() -> None:
    a = solve(AssignmentProblem([1, 2], {10: 1}, {(1, 10): 0.5}, k=0))
    assert a.pairs == {1: [], 2: []}
    assert a.unassigned == [1, 2]
    assert a.weakest_need is None
    assert a.weakest_fit is None
    empty = solve(AssignmentProblem([], {}, {}, k=3))
    assert empty.ok
    assert empty.pairs == {}


def test_priority_weight_decides_who_gets_the_contested_group() -> None:
    fit = {(1, 10): 0.5, (2, 10): 0.55, (1, 20): 0.4, (2, 20): 0.4}
    groups = {10: 1, 20: 2}
    plain = solve(AssignmentProblem([1, 2], groups, fit, k=1))
    assert plain.pairs[2] == [(10, 0.55)]
    weighted = solve(AssignmentProblem([1, 2], groups, fit, k=1, priority_weight=1.0))
    assert weighted.pairs[1] == [(10, 0.5)]
    assert weighted.weakest_fit == plain.weakest_fit == 0.4  # bottleneck unchanged
    assert priority_weights([7, 8, 9], 1.0) == {7: 2.0, 8: 1.5, 9: 1.0}


def test_invalid_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="fit"):
        AssignmentProblem([1], {10: 1}, {(1, 10): 1.5}, k=1)
    with pytest.raises(ValueError, match="capacity"):
        AssignmentProblem([1], {10: -1}, {}, k=1)
    with pytest.raises(ValueError, match="duplicates"):
        AssignmentProblem([1, 1], {10: 1}, {}, k=1)
    with pytest.raises(ValueError, match="k must"):
        AssignmentProblem([1], {10: 1}, {}, k=-1)


# --- determinism --------------------------------------------------------------------------------


def test_ties_broken_by_ids() -> None:
    same = {(1, 30): 0.5, (1, 10): 0.5, (1, 20): 0.5}
    assert solve(AssignmentProblem([1], {30: 1, 20: 1, 10: 1}, same, k=2)).pairs[1] == [
        (10, 0.5),
        (20, 0.5),
    ]
    # two needs, one group, equal fit: the earlier need in priority order gets it
    contested = {(5, 10): 0.5, (3, 10): 0.5}
    a = solve(AssignmentProblem([5, 3], {10: 1}, contested, k=1))
    assert a.pairs == {5: [(10, 0.5)], 3: []}


def test_deterministic_across_reruns_and_input_order() -> None:
    rng = random.Random(7)
    needs = list(range(1, 31))
    groups = {g: rng.randint(0, 4) for g in range(100, 120)}
    fit = {
        (n, g): rng.choice(FITS) for n in needs for g in groups if rng.random() < 0.6
    }  # coarse fits: many ties
    p = AssignmentProblem(needs, groups, fit, k=3, pins={next(iter(fit))})
    first = solve(p)
    shuffled_groups = dict(sorted(groups.items(), key=lambda _: rng.random()))
    shuffled_fit = dict(sorted(fit.items(), key=lambda _: rng.random()))
    again = solve(AssignmentProblem(needs, shuffled_groups, shuffled_fit, k=3, pins=p.pins))
    assert first == solve(p)
    assert first == again
    assert_properties(p, first)


# --- validate -----------------------------------------------------------------------------------


def test_validate_reports_each_kind_of_violation() -> None:
    p = AssignmentProblem(
        needs=[1, 2],
        groups={10: 1, 20: 1},
        fit={(1, 10): 0.9, (1, 20): 0.5, (2, 10): 0.7},
        k=1,
        pins={(2, 10)},
        forbids={(1, 20)},
    )
    assert validate(p, solve(p)) == []
    bad = Assignment(
        status="optimal",
        message="stored",
        pairs={1: [(10, 0.9), (20, 0.5)], 2: [(20, 0.3)], 3: [(10, 0.1)]},
        load={10: 1, 20: 2},
    )
    text = "\n".join(validate(p, bad))
    assert "need 1: 2 candidates but k = 1" in text
    assert "need 1: group 20 is forbidden" in text
    assert "need 2: group 20 is not eligible" in text
    assert "need 3: not in the problem" in text
    assert "group 10: 2 needs but capacity 1" in text
    assert "group 20: 2 needs but capacity 1" in text
    assert "pin (need 2, group 10) is missing" in text
    assert "group 10: load says 1, pairs say 2" in text
    wrong_fit = Assignment(status="optimal", message="", pairs={1: [(10, 0.1)], 2: [(10, 0.7)]})
    assert any("fit 0.1 but problem says 0.9" in m for m in validate(p, wrong_fit))
