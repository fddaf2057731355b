"""A project's lifecycle: its statuses, the allowed transitions (one table) and the pure check
that says why a transition is refused. Reasons are English msgids, translated where shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from klynge.i18n import N_
from projects.workspace.approvals_rules import Missing


class Status(StrEnum):
    PLANNED = "planned"
    PREPARATION = "preparation"
    RUNNING = "running"
    COMPLETED = "completed"
    STOPPED = "stopped"


STATUS_LABELS: dict[str, str] = {
    Status.PLANNED: N_("Planned"),
    Status.PREPARATION: N_("In preparation"),
    Status.RUNNING: N_("Ongoing"),
    Status.COMPLETED: N_("Completed"),
    Status.STOPPED: N_("Stopped"),
}

# The one table of allowed transitions; completed and stopped are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PLANNED: (Status.PREPARATION, Status.STOPPED),
    Status.PREPARATION: (Status.RUNNING, Status.PLANNED, Status.STOPPED),
    Status.RUNNING: (Status.COMPLETED, Status.STOPPED),
    Status.COMPLETED: (),
    Status.STOPPED: (),
}
FINAL = frozenset(s for s, targets in TRANSITIONS.items() if not targets)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a transition is refused: a machine code, an English msgid and its params. The keys
    in `translate` hold msgids themselves (a status label, an approval's name)."""

    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    translate: tuple[str, ...] = ()
    field: str = "to"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules of a transition depend on."""

    missing_approvals: Sequence[Missing] = ()
    has_leader: bool = False
    municipalities: int = 0  # active participating municipalities
    reason: str = ""


def allowed(from_status: str) -> tuple[str, ...]:
    """The statuses a project may move to from `from_status`, in the order to offer them."""
    return TRANSITIONS.get(from_status, ())


def _label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def _not_allowed(from_status: str, to_status: str) -> Reason:
    params = {"from": _label(from_status), "to": _label(to_status)}
    if from_status in FINAL:
        message = N_("A project with the status «%(from)s» cannot change status.")
    elif to_status == Status.COMPLETED:
        message = N_("A project must be running before it can be completed.")
    elif from_status == to_status:
        message = N_("The project already has the status «%(to)s».")
    else:
        message = N_("A project with the status «%(from)s» cannot move to «%(to)s».")
    return Reason("not-allowed", message, params, ("from", "to"))


def _approval(missing: Missing) -> Reason:
    return Reason(
        f"approval-{missing.problem}:{missing.kind}",
        missing.message,
        {"item": missing.item},
        ("item",) if missing.item_is_msgid else (),
    )


def _running(facts: Facts) -> list[Reason]:
    reasons = [_approval(m) for m in facts.missing_approvals]
    if not facts.has_leader:
        reasons.append(Reason("no-leader", N_("The project has no project leader.")))
    if facts.municipalities < 1:
        reasons.append(
            Reason("no-municipality", N_("No municipality takes part in the project yet."))
        )
    return reasons


def check(from_status: str, to_status: str, facts: Facts) -> list[Reason]:
    """Why the project may not move from `from_status` to `to_status` (empty: it may)."""
    if to_status not in STATUS_LABELS:
        return [Reason("unknown-status", N_("There is no such project status."))]
    if to_status not in allowed(from_status):
        return [_not_allowed(from_status, to_status)]
    if to_status == Status.RUNNING:
        return _running(facts)
    if to_status == Status.STOPPED and not facts.reason.strip():
        return [Reason("reason-required", N_("Write why the project is stopped."), field="reason")]
    return []
