"""Propose which research groups take which needs of a closed round (pure: no database, no web).

Each need gets up to ``k`` candidate groups, no group exceeds its capacity, pins are kept and
forbids left out, and the result is optimal for this *lexicographic* objective:

1. **Coverage** — as many needs as possible get at least one candidate.
2. **Bottleneck** — among the covered needs, the weakest need's *best* candidate is as strong
   as possible (max-min of the best assigned fit), so no need is left with only weak
   candidates when capacity allows better.
3. **Total fit** — the sum of the chosen pairs' fit, optionally weighted by need priority.

Formulation
-----------
Stages 1-2 are solved exactly as flow problems with :func:`scipy.sparse.csgraph.maximum_flow`.
For a threshold ``τ``, let ``M(τ)`` be the largest number of needs that can each have a
candidate with fit ≥ ``τ`` at once. Pins are accounted for first: a need whose pins already
include a fit ≥ ``τ`` counts as covered, pinned pairs use up group capacity, and a need whose
``k`` slots are all pinned cannot take more. The rest is a bipartite b-matching
(source → need, capacity 1; need → group for unpinned eligible pairs with fit ≥ ``τ``;
group → sink with its remaining capacity), i.e. a max-flow. ``M`` is non-increasing in ``τ``,
so with ``M* = M(-∞)`` (stage 1), a binary search over the distinct fit values finds the
largest ``τ*`` with ``M(τ*) = M*`` (stage 2). Every assignment covering ``M*`` needs with
best fits ≥ ``τ`` gives a matching of size ``M*`` at ``τ`` and vice versa, so ``τ*`` is
exactly the best achievable bottleneck.

Stage 3 is a MILP (:func:`scipy.optimize.milp`, HiGHS). Binary ``x[n,g]`` for each assignable
pair (fit known, not forbidden, group capacity > 0); pins have ``x = 1`` fixed::

    maximise   Σ (w_n · fit[n,g] + tie[n,g]) · x[n,g]
    subject to Σ_g x[n,g] ≤ k                          for each need n
               Σ_n x[n,g] ≤ capacity[g]                for each group g
               z[n] ≤ Σ_{g : fit[n,g] ≥ τ*} x[n,g]     for each need n    (z binary)
               Σ_n z[n] ≥ M*

The ``z`` rows keep stages 1-2 optimal: ``M*`` needs keep a candidate of fit ≥ ``τ*`` (and,
``M*`` being the most needs that can be covered at all, no other need gets any candidate).

*Filling the k slots.* There is no separate coverage bonus: all fits are ≥ 0, so adding a pair
with fit > 0 always raises the total, and a need's free slots are filled whenever a group with
spare capacity and positive fit exists. Zero-fit pairs are added only when needed for coverage.

*Priority.* With ``priority_weight = p`` the need at position ``i`` of ``needs`` (0 = top
priority, ``N`` needs) weighs ``w_i = 1 + p · (N-1-i)/(N-1)``: the first need counts
``1 + p`` times, the last once. ``p = 0`` (default) is plain total fit. Priority only affects
stage 3 (which groups go where, and which needs stay uncovered when capacity is short).

*Determinism.* Everything is built in sorted id order and HiGHS is deterministic, so re-runs
(and shuffled input mappings) give the same result. Ties in fit are broken towards earlier
needs in the priority list, then lower group ids, by a tiny penalty ``tie[n,g] < 0`` growing
with the pair's position in (priority, group id) order, whose sum over any assignment is below
:data:`TIE_BREAK` (10⁻⁹): totals within that of each other count as equal, and so do fits
below it and 0 (a zero-fit pair is never added unless coverage needs it). On large problems
these differences sit below HiGHS's tolerances, so the id tie-break is best-effort there;
determinism is not. Candidate lists are sorted by fit (descending), then group id.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import maximum_flow

from projects.assignment_problem import (
    PIN_ALSO_FORBIDDEN,
    PIN_NOT_ELIGIBLE,
    PIN_OVER_CAPACITY,
    PIN_OVER_K,
    PIN_UNKNOWN_GROUP,
    PIN_UNKNOWN_NEED,
    REASON_FULL,
    REASON_LOWER_FIT,
    REASON_PINNED_SLOTS,
    REASON_ZERO_FIT,
    TIE_BREAK,
    Assignment,
    AssignmentProblem,
    Pair,
    PinConflict,
    Status,
    pins_impossible,
    priority_weights,
)
from projects.assignment_result import report, validate

__all__ = [
    "REASON_FULL",
    "REASON_LOWER_FIT",
    "REASON_PINNED_SLOTS",
    "REASON_ZERO_FIT",
    "TIE_BREAK",
    "Assignment",
    "AssignmentProblem",
    "PinConflict",
    "priority_weights",
    "solve",
    "validate",
]

_SCALE = 1000.0  # objective scale, so HiGHS's absolute tolerances sit far below 1e-9 in fit


def _pin_conflicts(problem: AssignmentProblem) -> list[PinConflict]:
    conflicts: list[PinConflict] = []
    needs = set(problem.needs)
    ok_pins: list[Pair] = []
    for n, g in sorted(problem.pins):
        if n not in needs:
            conflicts.append(PinConflict(n, g, PIN_UNKNOWN_NEED))
        elif g not in problem.groups:
            conflicts.append(PinConflict(n, g, PIN_UNKNOWN_GROUP))
        elif (n, g) in problem.forbids:
            conflicts.append(PinConflict(n, g, PIN_ALSO_FORBIDDEN))
        elif (n, g) not in problem.fit:
            conflicts.append(PinConflict(n, g, PIN_NOT_ELIGIBLE))
        else:
            ok_pins.append((n, g))
    per_need: dict[int, list[Pair]] = defaultdict(list)
    per_group: dict[int, list[Pair]] = defaultdict(list)
    for n, g in ok_pins:
        per_need[n].append((n, g))
        per_group[g].append((n, g))
    for n, pins in per_need.items():
        if len(pins) > problem.k:
            params = (("need", n), ("pins", len(pins)), ("k", problem.k))
            conflicts.extend(PinConflict(a, b, PIN_OVER_K, params) for a, b in pins)
    for g, pins in per_group.items():
        cap = int(problem.groups[g])
        if len(pins) > cap:
            params = (("group", g), ("pins", len(pins)), ("capacity", cap))
            conflicts.extend(PinConflict(a, b, PIN_OVER_CAPACITY, params) for a, b in pins)
    return sorted(conflicts, key=lambda c: (c.need, c.group, str(c)))


class _Model:
    """Indexed view of the problem: assignable pairs in (priority, group id) order."""

    def __init__(self, problem: AssignmentProblem) -> None:
        self.problem = problem
        self.need_ids = list(problem.needs)
        self.need_index = {n: i for i, n in enumerate(self.need_ids)}
        self.group_ids = sorted(problem.groups)
        self.group_index = {g: j for j, g in enumerate(self.group_ids)}
        self.capacity = np.array([int(problem.groups[g]) for g in self.group_ids], dtype=np.int64)
        eligible = [
            (self.need_index[n], self.group_index[g], float(f))
            for (n, g), f in problem.fit.items()
            if n in self.need_index and g in self.group_index and (n, g) not in problem.forbids
        ]
        eligible.sort()
        self.eligible = eligible  # includes zero-capacity groups (for alternates)
        assignable = [e for e in eligible if self.capacity[e[1]] > 0]
        self.pn = np.array([e[0] for e in assignable], dtype=np.int64)
        self.pg = np.array([e[1] for e in assignable], dtype=np.int64)
        self.pf = np.array([e[2] for e in assignable], dtype=np.float64)
        pins = {(self.need_index[n], self.group_index[g]) for n, g in problem.pins}
        self.pinned = np.array(
            [(a, b) in pins for a, b in zip(self.pn, self.pg, strict=True)], dtype=bool
        )
        n_needs = len(self.need_ids)
        self.pin_count = np.bincount(self.pn[self.pinned], minlength=n_needs)
        self.pin_best = np.full(n_needs, -np.inf)
        np.maximum.at(self.pin_best, self.pn[self.pinned], self.pf[self.pinned])
        pin_load = np.bincount(self.pg[self.pinned], minlength=len(self.group_ids))
        self.residual = self.capacity - pin_load

    def coverage(self, tau: float) -> int:
        """``M(τ)``: most needs that can at once have a candidate with fit ≥ τ."""
        n_needs, n_groups = len(self.need_ids), len(self.group_ids)
        pinned_cover = (self.pin_count > 0) & (self.pin_best >= tau)
        open_need = (~pinned_cover) & (self.pin_count < self.problem.k)
        use = (~self.pinned) & (self.pf >= tau) & open_need[self.pn] & (self.residual[self.pg] > 0)
        base = int(pinned_cover.sum())
        if not use.any():
            return base
        source, sink = 0, n_needs + n_groups + 1
        need_nodes = 1 + np.flatnonzero(open_need)
        group_nodes = 1 + n_needs + np.arange(n_groups)
        rows = np.concatenate([np.zeros(len(need_nodes), np.int64), 1 + self.pn[use], group_nodes])
        cols = np.concatenate([need_nodes, 1 + n_needs + self.pg[use], np.full(n_groups, sink)])
        caps = np.concatenate(
            [
                np.ones(len(need_nodes), np.int32),
                np.ones(int(use.sum()), np.int32),
                np.maximum(self.residual, 0).astype(np.int32),
            ]
        )
        size = sink + 1
        graph = csr_array(coo_array((caps, (rows, cols)), shape=(size, size)))
        return base + int(maximum_flow(graph, source, sink).flow_value)


def solve(problem: AssignmentProblem, *, time_limit: float | None = None) -> Assignment:
    """Propose an assignment (see the module docstring for the objective and formulation).

    Never raises for pins that cannot be honoured: returns ``status="infeasible"`` with the
    offending pins in ``conflicts``. ``time_limit`` (seconds) bounds the MILP stage; when hit,
    the best assignment found is returned with ``status="time_limit"``.
    """
    conflicts = _pin_conflicts(problem)
    if conflicts:
        return Assignment(
            status="infeasible",
            message=pins_impossible(conflicts),
            conflicts=conflicts,
        )
    model = _Model(problem)
    n_pairs = len(model.pf)

    m_star, tau = _bottleneck(model)

    # Stage 3: maximise (weighted) total fit, keeping M* needs covered at ≥ τ*.
    chosen = np.zeros(n_pairs, dtype=bool)
    status: Status = "optimal"
    message = "optimal"
    if n_pairs and problem.k > 0:
        res = _milp(problem, model, m_star, tau, time_limit)
        if res.x is None:
            return Assignment(status="error", message=f"solver failed: {res.message}")
        if res.status == 1:
            status, message = "time_limit", f"stopped early, best found: {res.message}"
        chosen = res.x[:n_pairs] > 0.5

    return report(problem, model, chosen, m_star, tau, status, message)


def _bottleneck(model: _Model) -> tuple[int, float | None]:
    """Stages 1-2: coverage M*, then the best bottleneck τ* by binary search over fit values."""
    m_star = model.coverage(-math.inf)
    tau: float | None = None
    if m_star > 0:
        levels = np.unique(model.pf)
        lo, hi = 0, len(levels) - 1  # M(levels[0]) = M* since levels[0] is the smallest fit
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if model.coverage(float(levels[mid])) >= m_star:
                lo = mid
            else:
                hi = mid - 1
        tau = float(levels[lo])
    return m_star, tau


def _milp(
    problem: AssignmentProblem,
    model: _Model,
    m_star: int,
    tau: float | None,
    time_limit: float | None,
) -> Any:
    """Stage 3 as a MILP over the pairs (and one z per need with a pair of fit ≥ τ*)."""
    n_pairs = len(model.pf)
    weights = priority_weights(model.need_ids, problem.priority_weight)
    w = np.array([weights[n] for n in model.need_ids])[model.pn]
    # Later pairs in (priority, group id) order pay a slightly larger penalty; zero-fit
    # pairs thus cost a little and are only taken when coverage needs them.
    slots = max(1, min(len(model.need_ids) * problem.k, int(model.capacity.sum())))
    tie = -TIE_BREAK / slots * (1 + np.arange(n_pairs)) / (n_pairs + 1)
    strong_need = np.unique(model.pn[model.pf >= tau]) if tau is not None else np.array([])
    n_z = len(strong_need) if tau is not None else 0
    n_var = n_pairs + n_z
    c = np.zeros(n_var)
    c[:n_pairs] = -_SCALE * (w * model.pf + tie)
    var = np.arange(n_pairs)
    blocks = [
        (model.pn, var, np.ones(n_pairs)),
        (len(model.need_ids) + model.pg, var, np.ones(n_pairs)),
    ]
    n_rows = len(model.need_ids) + len(model.group_ids)
    lb = [np.full(n_rows, -np.inf)]
    ub = [np.full(len(model.need_ids), float(problem.k)), model.capacity.astype(float)]
    if n_z:
        z_row = {int(n): r for r, n in enumerate(strong_need)}
        strong = np.flatnonzero(model.pf >= tau)
        link_rows = n_rows + np.array([z_row[int(n)] for n in model.pn[strong]])
        blocks.append((link_rows, strong, -np.ones(len(strong))))
        blocks.append((n_rows + np.arange(n_z), n_pairs + np.arange(n_z), np.ones(n_z)))
        blocks.append((np.full(n_z, n_rows + n_z), n_pairs + np.arange(n_z), np.ones(n_z)))
        lb += [np.full(n_z, -np.inf), np.array([float(m_star)])]
        ub += [np.zeros(n_z), np.array([np.inf])]
        n_rows += n_z + 1
    rows = np.concatenate([b[0] for b in blocks])
    cols = np.concatenate([b[1] for b in blocks])
    vals = np.concatenate([b[2] for b in blocks])
    a = csr_array(coo_array((vals, (rows, cols)), shape=(n_rows, n_var)))
    lower = np.zeros(n_var)
    lower[:n_pairs][model.pinned] = 1.0
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    return milp(
        c,
        integrality=np.ones(n_var),
        bounds=Bounds(lower, np.ones(n_var)),
        constraints=LinearConstraint(a, np.concatenate(lb), np.concatenate(ub)),
        options=options,
    )
