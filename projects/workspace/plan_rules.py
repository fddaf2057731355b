"""The plan's rules, pure: what counts as overdue, which item may belong to which, and whether
an item's dates make sense."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from klynge.i18n import N_


class Kind(StrEnum):
    GOAL = "goal"
    WORK_PACKAGE = "work_package"
    MILESTONE = "milestone"
    DELIVERABLE = "deliverable"


class Status(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


CLOSED = frozenset({Status.DONE.value, Status.CANCELLED.value})
# Only milestones and deliverables belong to a work package.
MAY_HAVE_PARENT = frozenset({Kind.MILESTONE.value, Kind.DELIVERABLE.value})

PARENT_NOT_ALLOWED = N_("Only milestones and deliverables can belong to a work package.")
PARENT_NOT_PACKAGE = N_("Choose a work package of this project.")
DATES_REVERSED = N_("The start date must be on or before the due date.")


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str


def is_overdue(due: dt.date | None, status: str, today: dt.date) -> bool:
    """Past its due date and neither done nor cancelled."""
    return due is not None and due < today and status not in CLOSED


def check_item(
    kind: str,
    parent_kind: str | None,
    starts_on: dt.date | None,
    due: dt.date | None,
) -> list[Problem]:
    """What is wrong with an item's shape (empty list = fine). `parent_kind` is the kind of the
    chosen parent, "" when the parent is not in the project, None when there is no parent."""
    problems: list[Problem] = []
    if parent_kind is not None:
        if kind not in MAY_HAVE_PARENT:
            problems.append(Problem("parent_id", PARENT_NOT_ALLOWED))
        elif parent_kind != Kind.WORK_PACKAGE.value:
            problems.append(Problem("parent_id", PARENT_NOT_PACKAGE))
    if starts_on is not None and due is not None and starts_on > due:
        problems.append(Problem("starts_on", DATES_REVERSED))
    return problems
