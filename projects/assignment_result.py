"""Reading an assignment (pure): the report of a solved model (candidates, weakest need,
alternates with the reason each was not chosen) and the check against its problem."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from projects.assignment_problem import (
    REASON_FULL,
    REASON_LOWER_FIT,
    REASON_PINNED_SLOTS,
    REASON_ZERO_FIT,
    Assignment,
    AssignmentProblem,
    Pair,
    Status,
    priority_weights,
)

if TYPE_CHECKING:
    from projects.assignment import _Model


def report(
    problem: AssignmentProblem,
    model: _Model,
    chosen: np.ndarray,
    m_star: int,
    tau: float | None,
    status: Status,
    message: str,
) -> Assignment:
    needs, groups = model.need_ids, model.group_ids
    pairs: dict[int, list[tuple[int, float]]] = {n: [] for n in needs}
    load = dict.fromkeys(groups, 0)
    for i in np.flatnonzero(chosen):
        n, g, f = needs[model.pn[i]], groups[model.pg[i]], float(model.pf[i])
        pairs[n].append((g, f))
        load[g] += 1
    for cands in pairs.values():
        cands.sort(key=lambda gf: (-gf[1], gf[0]))

    has_eligible = {needs[e[0]] for e in model.eligible}
    unassigned = [n for n in needs if not pairs[n]]
    no_eligible = [n for n in needs if n not in has_eligible]
    only_weak = [n for n in needs if pairs[n] and pairs[n][0][1] < problem.weak_threshold]
    weakest_need: int | None = None
    weakest_fit: float | None = None
    for n in needs:
        if pairs[n] and (weakest_fit is None or pairs[n][0][1] <= weakest_fit):
            weakest_need, weakest_fit = n, pairs[n][0][1]

    alternates = _alternates(problem, model, pairs, load)

    weights = priority_weights(needs, problem.priority_weight)
    total = sum(f for cands in pairs.values() for _, f in cands)
    weighted = sum(weights[n] * f for n, cands in pairs.items() for _, f in cands)
    if status == "optimal" and tau is not None and weakest_fit is not None:
        message = (
            f"optimal: {m_star} of {len(needs)} needs covered, weakest best fit {weakest_fit:.3f}"
        )
    return Assignment(
        status=status,
        message=message,
        pairs=pairs,
        weakest_need=weakest_need,
        weakest_fit=weakest_fit,
        unassigned=unassigned,
        no_eligible=no_eligible,
        needs_with_only_weak=only_weak,
        alternates=alternates,
        load=load,
        covered=m_star,
        bottleneck=tau,
        total_fit=total,
        weighted_fit=weighted,
    )


def _alternates(
    problem: AssignmentProblem,
    model: _Model,
    pairs: dict[int, list[tuple[int, float]]],
    load: dict[int, int],
) -> dict[int, list[tuple[int, float, str]]]:
    """Each need's next-best eligible groups that were not chosen, with why."""
    needs, groups = model.need_ids, model.group_ids
    chosen_set = {(n, g) for n, cands in pairs.items() for g, _ in cands}
    alternates: dict[int, list[tuple[int, float, str]]] = {n: [] for n in needs}
    by_need: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for ni, gj, f in model.eligible:
        if (needs[ni], groups[gj]) not in chosen_set:
            by_need[needs[ni]].append((groups[gj], f))
    for n, options in by_need.items():
        options.sort(key=lambda gf: (-gf[1], gf[0]))
        for g, f in options[: problem.n_alternates]:
            alternates[n].append((g, f, reason(problem, n, pairs[n], load[g], g, f)))

    return alternates


def reason(
    problem: AssignmentProblem,
    need: int,
    cands: list[tuple[int, float]],
    used: int,
    group: int,
    fit: float,
) -> str:
    """Why an eligible group was not chosen for ``need``."""
    if used >= problem.groups[group]:
        return REASON_FULL
    if len(cands) >= problem.k and any(f < fit and (need, g) in problem.pins for g, f in cands):
        return REASON_PINNED_SLOTS
    if len(cands) < problem.k and fit == 0.0:
        return REASON_ZERO_FIT
    return REASON_LOWER_FIT


def validate(problem: AssignmentProblem, assignment: Assignment) -> list[str]:
    """Check a (possibly stored) assignment against the problem; ``[]`` means valid.

    Checks: known needs and groups, eligibility (fit known — missing pairs are conflicts),
    forbids, no group twice for a need, at most ``k`` per need, capacity per group, every pin
    present, recorded fit equal to the problem's, and ``load`` (if given) matching the pairs.
    """
    problems: list[str] = []
    needs = set(problem.needs)
    counted: dict[int, int] = defaultdict(int)
    seen: set[Pair] = set()
    for n in sorted(assignment.pairs):
        cands = assignment.pairs[n]
        if n not in needs:
            problems.append(f"need {n}: not in the problem")
        if len(cands) > problem.k:
            problems.append(f"need {n}: {len(cands)} candidates but k = {problem.k}")
        for g, f in cands:
            pair = (n, g)
            if pair in seen:
                problems.append(f"need {n}: group {g} listed twice")
                continue
            seen.add(pair)
            counted[g] += 1
            if g not in problem.groups:
                problems.append(f"need {n}: group {g} not in the problem")
            elif pair not in problem.fit:
                problems.append(f"need {n}: group {g} is not eligible (conflict or no fit)")
            elif not math.isclose(problem.fit[pair], f, abs_tol=1e-12):
                problems.append(f"need {n}: group {g} fit {f} but problem says {problem.fit[pair]}")
            if pair in problem.forbids:
                problems.append(f"need {n}: group {g} is forbidden")
    for g in sorted(counted):
        cap = problem.groups.get(g)
        if cap is not None and counted[g] > cap:
            problems.append(f"group {g}: {counted[g]} needs but capacity {cap}")
    for n, g in sorted(problem.pins):
        if (n, g) not in seen:
            problems.append(f"pin (need {n}, group {g}) is missing")
    if assignment.load:
        for g in sorted(set(assignment.load) | set(counted)):
            if assignment.load.get(g, 0) != counted.get(g, 0):
                said, actual = assignment.load.get(g, 0), counted.get(g, 0)
                problems.append(f"group {g}: load says {said}, pairs say {actual}")
    return problems
