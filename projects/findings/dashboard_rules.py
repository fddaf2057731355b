"""The return-rate figures: how published findings came back to the municipalities, per cluster,
per project and per municipality. Pure: plain rows in, figures out.

- outcomes: published outcomes (of a municipality: those delivered to it);
- deliveries, acknowledged (read, or answered without a separate read), answered;
- will_use_yes / will_use_partly: answers "will use" yes, and partly (shown apart);
- median_days: median days from delivery to acknowledgement (None when nothing is read);
- overdue: unanswered once the answer is due (`schedule.is_overdue`)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from projects.findings.schedule import Schedule, is_overdue

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    outcome_id: int
    cluster_id: int
    project_id: int


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    delivery_id: int
    outcome_id: int
    cluster_id: int
    project_id: int
    municipality_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    will_use: str = ""  # yes | partly | no | undecided | ""


@dataclass(frozen=True, slots=True)
class Figures:
    outcomes: int = 0
    deliveries: int = 0
    acknowledged: int = 0
    answered: int = 0
    will_use_yes: int = 0
    will_use_partly: int = 0
    overdue: int = 0
    median_days: float | None = None

    @property
    def answered_percent(self) -> int:
        """Answered deliveries, a whole percentage of all (0 when there are none)."""
        return round(100 * self.answered / self.deliveries) if self.deliveries else 0


# The additive figures (everything but the median): a whole's equal the sum of its parts'.
COUNTS = (
    "outcomes",
    "deliveries",
    "acknowledged",
    "answered",
    "will_use_yes",
    "will_use_partly",
    "overdue",
)


@dataclass(frozen=True, slots=True)
class Breakdown:
    total: Figures
    clusters: dict[int, Figures]
    projects: dict[int, Figures]
    municipalities: dict[int, Figures]


def acknowledged_at(row: DeliveryRow) -> dt.datetime | None:
    """When the delivery was acknowledged: read, or (never marked read) answered."""
    if row.read_at is not None and row.answered_at is not None:
        return min(row.read_at, row.answered_at)
    return row.read_at or row.answered_at


def days_between(start: dt.datetime, end: dt.datetime) -> float:
    return wait_days(end - start)


def wait_days(wait: dt.timedelta) -> float:
    return max(0.0, wait.total_seconds() / 86400)


def median_days(low: dt.timedelta, high: dt.timedelta) -> float:
    """The median from the middle waits of a group in order (the same one twice when odd)."""
    return round(statistics.median([wait_days(low), wait_days(high)]), 1)


def figures(
    outcome_ids: Iterable[int],
    rows: Sequence[DeliveryRow],
    now: dt.datetime,
    schedule: Schedule,
) -> Figures:
    """The figures of one group: its outcomes and its deliveries."""
    waits = [
        days_between(r.created_at, ack) for r in rows if (ack := acknowledged_at(r)) is not None
    ]
    answered = [r for r in rows if r.answered_at is not None]
    return Figures(
        outcomes=len(set(outcome_ids)),
        deliveries=len(rows),
        acknowledged=len(waits),
        answered=len(answered),
        will_use_yes=sum(1 for r in answered if r.will_use == "yes"),
        will_use_partly=sum(1 for r in answered if r.will_use == "partly"),
        overdue=sum(
            1 for r in rows if is_overdue(r.created_at, r.answered_at is not None, now, schedule)
        ),
        median_days=round(statistics.median(waits), 1) if waits else None,
    )


def _group(
    outcomes: Sequence[OutcomeRow],
    rows: Sequence[DeliveryRow],
    key_o: Callable[[OutcomeRow], K] | None,
    key_d: Callable[[DeliveryRow], K | None],
    now: dt.datetime,
    schedule: Schedule,
) -> dict[K, Figures]:
    outs: dict[K, set[int]] = {}
    dels: dict[K, list[DeliveryRow]] = {}
    for r in rows:
        k = key_d(r)
        if k is not None:
            dels.setdefault(k, []).append(r)
            if key_o is None:  # a municipality's outcomes: those delivered to it
                outs.setdefault(k, set()).add(r.outcome_id)
    for o in outcomes if key_o is not None else ():
        outs.setdefault(key_o(o), set()).add(o.outcome_id)
    keys = set(outs) | set(dels)
    return {k: figures(outs.get(k, set()), dels.get(k, []), now, schedule) for k in keys}


def breakdown(
    outcomes: Sequence[OutcomeRow],
    rows: Sequence[DeliveryRow],
    now: dt.datetime,
    schedule: Schedule,
) -> Breakdown:
    """Figures for everything, and per cluster, per project and per municipality (deliveries
    to a service or the cluster have no municipality: they count in the others only)."""
    every = {o.outcome_id for o in outcomes} | {r.outcome_id for r in rows}

    def group(
        key_o: Callable[[OutcomeRow], K] | None, key_d: Callable[[DeliveryRow], K | None]
    ) -> dict[K, Figures]:
        return _group(outcomes, rows, key_o, key_d, now, schedule)

    return Breakdown(
        total=figures(every, rows, now, schedule),
        clusters=group(lambda o: o.cluster_id, lambda r: r.cluster_id),
        projects=group(lambda o: o.project_id, lambda r: r.project_id),
        municipalities=group(None, lambda r: r.municipality_id),
    )


def summed(parts: Iterable[Figures]) -> dict[str, int]:
    """The additive figures of `parts` added up."""
    items = list(parts)
    return {name: sum(getattr(f, name) for f in items) for name in COUNTS}


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose rows a caller sees: every row (admin), the projects of the clusters they advise or
    of their grants (funder officer), and the deliveries to the municipalities they coordinate."""

    everything: bool = False
    clusters: frozenset[int] = frozenset()
    funders: frozenset[int] = frozenset()
    municipalities: frozenset[int] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.everything or self.clusters or self.funders or self.municipalities)


def sees_project(scope: Scope, cluster_id: int, funder_ids: Iterable[int]) -> bool:
    """Does the caller see every row of this project?"""
    return scope.everything or cluster_id in scope.clusters or bool(scope.funders & set(funder_ids))
