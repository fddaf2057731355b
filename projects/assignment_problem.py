"""The assignment problem and its result as plain data (pure): needs in priority order, group
capacities, fits, pins and forbids; the proposed candidates with alternates and reasons."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from klynge.i18n import N_, gettext

TIE_BREAK = 1e-9
"""Upper bound on the id-based tie-break penalty summed over a whole assignment."""

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


# Why a pin cannot be honoured: English msgids (N_) with the params of PinConflict.
PIN_UNKNOWN_NEED = N_("unknown need")
PIN_UNKNOWN_GROUP = N_("unknown group")
PIN_ALSO_FORBIDDEN = N_("also forbidden")
PIN_NOT_ELIGIBLE = N_("not eligible (conflict of interest or no fit)")
PIN_OVER_K = N_("need %(need)s has %(pins)s pins but k = %(k)s")
PIN_OVER_CAPACITY = N_("group %(group)s has %(pins)s pins but capacity %(capacity)s")
PIN_CONFLICT = N_("pin (need %(need)s, group %(group)s): %(reason)s")
PINS_IMPOSSIBLE = N_("pins cannot all be honoured: %(conflicts)s")


@dataclass(frozen=True)
class PinConflict:
    """A pin that cannot be honoured, with why: `reason` is a msgid (PIN_*) with `params`.
    str() says it in English (logs, tests); text() in the current language (for people)."""

    need: int
    group: int
    reason: str
    params: tuple[tuple[str, Any], ...] = ()

    def _say(self, say: Any) -> str:
        reason = say(self.reason) % dict(self.params)
        return str(say(PIN_CONFLICT) % {"need": self.need, "group": self.group, "reason": reason})

    def __str__(self) -> str:
        return self._say(lambda message: message)

    def text(self) -> str:
        return self._say(gettext)


def pins_impossible(conflicts: Sequence[PinConflict]) -> str:
    """The one-line message of an infeasible assignment, in the current language."""
    return gettext(PINS_IMPOSSIBLE) % {"conflicts": "; ".join(c.text() for c in conflicts)}


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
