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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import maximum_flow

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

TIE_BREAK = 1e-9
"""Upper bound on the id-based tie-break penalty summed over a whole assignment."""
_SCALE = 1000.0  # objective scale, so HiGHS's absolute tolerances sit far below 1e-9 in fit

REASON_FULL = "full capacity"
"""Alternate's group has no capacity left (or none at all)."""
REASON_LOWER_FIT = "lower fit"
"""The need's slots went to groups with at least this fit."""
REASON_PINNED_SLOTS = "slots taken by pins"
"""The need's k slots are held by pinned groups with lower fit."""
REASON_ZERO_FIT = "zero fit"
"""Fit 0 adds nothing; it was not needed to cover the need."""

Pair = tuple[int, int]
Status = Literal["optimal", "infeasible", "time_limit", "error"]


@dataclass(frozen=True)
class AssignmentProblem:
    """A closed round's assignment problem.

    ``needs`` are need ids in priority order (first = most important). ``groups`` maps group id
    to capacity (≥ 0). ``fit`` maps ``(need, group)`` to a score in [0, 1]; a missing pair is not
    eligible (e.g. a conflict of interest), and pairs naming an unknown need or group are
    ignored. ``pins`` must be in the result, ``forbids`` must not. A need whose best candidate
    has fit < ``weak_threshold`` is reported as weak. ``priority_weight`` is ``p`` in
    :func:`priority_weights`. ``n_alternates`` caps the alternates listed per need.
    """

    needs: Sequence[int]
    groups: Mapping[int, int]
    fit: Mapping[Pair, float]
    k: int
    pins: frozenset[Pair] | set[Pair] = field(default_factory=frozenset)
    forbids: frozenset[Pair] | set[Pair] = field(default_factory=frozenset)
    weak_threshold: float = 0.5
    priority_weight: float = 0.0
    n_alternates: int = 3

    def __post_init__(self) -> None:
        if len(set(self.needs)) != len(self.needs):
            raise ValueError("needs contains duplicates")
        if self.k < 0:
            raise ValueError(f"k must be ≥ 0, got {self.k}")
        if self.n_alternates < 0:
            raise ValueError(f"n_alternates must be ≥ 0, got {self.n_alternates}")
        if self.priority_weight < 0 or not math.isfinite(self.priority_weight):
            raise ValueError(f"priority_weight must be finite and ≥ 0, got {self.priority_weight}")
        for g, cap in self.groups.items():
            if cap < 0 or int(cap) != cap:
                raise ValueError(f"group {g}: capacity must be an integer ≥ 0, got {cap}")
        for pair, f in self.fit.items():
            if not (0.0 <= f <= 1.0):  # also rejects NaN
                raise ValueError(f"fit{pair} must be in [0, 1], got {f}")

    def eligible(self, need: int, group: int) -> bool:
        """Fit known, both ids known, not forbidden (capacity is not considered)."""
        return (
            (need, group) in self.fit
            and group in self.groups
            and need in self._need_set
            and (need, group) not in self.forbids
        )

    @property
    def _need_set(self) -> frozenset[int]:
        return frozenset(self.needs)


@dataclass(frozen=True)
class PinConflict:
    """A pin that cannot be honoured, with why."""

    need: int
    group: int
    reason: str

    def __str__(self) -> str:
        return f"pin (need {self.need}, group {self.group}): {self.reason}"


@dataclass
class Assignment:
    """The proposal. ``pairs`` has every need (``[]`` when it got no candidate), each list sorted
    by fit descending, then group id. ``weakest_need``/``weakest_fit`` is the covered need with
    the lowest best-candidate fit (ties: later in priority order), ``None`` if nothing is
    covered. ``unassigned`` lists needs with no candidate (priority order), of which
    ``no_eligible`` have no eligible group at all (conflicts, forbids, no fit score).
    ``needs_with_only_weak`` got candidates but all below ``weak_threshold``. ``alternates``
    gives each need's next-best eligible groups not chosen, with a reason (``REASON_*``).
    ``load`` is used capacity per group. ``covered`` (= ``M*``) and ``bottleneck`` (= ``τ*``)
    are the stage-1/2 optima; ``total_fit`` is the unweighted sum, ``weighted_fit`` the
    priority-weighted one. On ``status == "infeasible"``, ``conflicts`` says which pins are at
    fault and ``message`` says it in one line.
    """

    status: Status
    message: str
    pairs: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    weakest_need: int | None = None
    weakest_fit: float | None = None
    unassigned: list[int] = field(default_factory=list)
    no_eligible: list[int] = field(default_factory=list)
    needs_with_only_weak: list[int] = field(default_factory=list)
    alternates: dict[int, list[tuple[int, float, str]]] = field(default_factory=dict)
    load: dict[int, int] = field(default_factory=dict)
    covered: int = 0
    bottleneck: float | None = None
    total_fit: float = 0.0
    weighted_fit: float = 0.0
    conflicts: list[PinConflict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """A usable proposal (optimal, or the best found within a time limit)."""
        return self.status in ("optimal", "time_limit")

    def chosen(self) -> set[Pair]:
        return {(n, g) for n, cands in self.pairs.items() for g, _ in cands}


def priority_weights(needs: Sequence[int], p: float) -> dict[int, float]:
    """Need weights ``w_i = 1 + p · (N-1-i)/(N-1)``: first need ``1 + p``, last ``1``.

    A lone need weighs ``1 + p``.
    """
    n = len(needs)
    if n <= 1:
        return {need: 1.0 + p for need in needs}
    return {need: 1.0 + p * (n - 1 - i) / (n - 1) for i, need in enumerate(needs)}


def _pin_conflicts(problem: AssignmentProblem) -> list[PinConflict]:
    conflicts: list[PinConflict] = []
    needs = set(problem.needs)
    ok_pins: list[Pair] = []
    for n, g in sorted(problem.pins):
        if n not in needs:
            conflicts.append(PinConflict(n, g, "unknown need"))
        elif g not in problem.groups:
            conflicts.append(PinConflict(n, g, "unknown group"))
        elif (n, g) in problem.forbids:
            conflicts.append(PinConflict(n, g, "also forbidden"))
        elif (n, g) not in problem.fit:
            conflicts.append(PinConflict(n, g, "not eligible (conflict of interest or no fit)"))
        else:
            ok_pins.append((n, g))
    per_need: dict[int, list[Pair]] = defaultdict(list)
    per_group: dict[int, list[Pair]] = defaultdict(list)
    for n, g in ok_pins:
        per_need[n].append((n, g))
        per_group[g].append((n, g))
    for n, pins in per_need.items():
        if len(pins) > problem.k:
            reason = f"need {n} has {len(pins)} pins but k = {problem.k}"
            conflicts.extend(PinConflict(a, b, reason) for a, b in pins)
    for g, pins in per_group.items():
        cap = int(problem.groups[g])
        if len(pins) > cap:
            reason = f"group {g} has {len(pins)} pins but capacity {cap}"
            conflicts.extend(PinConflict(a, b, reason) for a, b in pins)
    return sorted(conflicts, key=lambda c: (c.need, c.group, c.reason))


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
            message="pins cannot all be honoured: " + "; ".join(str(c) for c in conflicts),
            conflicts=conflicts,
        )
    model = _Model(problem)
    n_pairs = len(model.pf)

    # Stages 1-2: coverage M*, then the best bottleneck τ* by binary search over fit values.
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

    # Stage 3: maximise (weighted) total fit, keeping M* needs covered at ≥ τ*.
    chosen = np.zeros(n_pairs, dtype=bool)
    status: Status = "optimal"
    message = "optimal"
    if n_pairs and problem.k > 0:
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
        res = milp(
            c,
            integrality=np.ones(n_var),
            bounds=Bounds(lower, np.ones(n_var)),
            constraints=LinearConstraint(a, np.concatenate(lb), np.concatenate(ub)),
            options=options,
        )
        if res.x is None:
            return Assignment(status="error", message=f"solver failed: {res.message}")
        if res.status == 1:
            status, message = "time_limit", f"stopped early, best found: {res.message}"
        chosen = res.x[:n_pairs] > 0.5

    return _report(problem, model, chosen, m_star, tau, status, message)


def _report(
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

    chosen_set = {(n, g) for n, cands in pairs.items() for g, _ in cands}
    alternates: dict[int, list[tuple[int, float, str]]] = {n: [] for n in needs}
    by_need: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for ni, gj, f in model.eligible:
        if (needs[ni], groups[gj]) not in chosen_set:
            by_need[needs[ni]].append((groups[gj], f))
    for n, options in by_need.items():
        options.sort(key=lambda gf: (-gf[1], gf[0]))
        for g, f in options[: problem.n_alternates]:
            alternates[n].append((g, f, _reason(problem, n, pairs[n], load[g], g, f)))

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


def _reason(
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
