"""Moving a project along its lifecycle: the transition use case (refused with the reasons as
409), the facts the rules need, and the status box of the project page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from klynge import audit, notifications
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, translate
from klynge.i18n import N_
from klynge.i18n import gettext as _
from projects.tables import Project
from projects.workspace import approvals_rules as rules
from projects.workspace import lifecycle
from projects.workspace.access import Access, require_manage
from projects.workspace.approvals_schemas import TransitionOut, TransitionRequest
from projects.workspace.loading import load_access
from projects.workspace.tables import Approval, Participant

REFUSED = N_("The project cannot move to «%(to)s».")
# The notification per status, without and with the reason given (English msgids).
NOTICES = {
    "planned": (
        N_("The project «%(title)s» is now planned."),
        N_("The project «%(title)s» is now planned. Reason: %(reason)s"),
    ),
    "preparation": (
        N_("The project «%(title)s» is now in preparation."),
        N_("The project «%(title)s» is now in preparation. Reason: %(reason)s"),
    ),
    "running": (
        N_("The project «%(title)s» is now running."),
        N_("The project «%(title)s» is now running. Reason: %(reason)s"),
    ),
    "completed": (
        N_("The project «%(title)s» is now completed."),
        N_("The project «%(title)s» is now completed. Reason: %(reason)s"),
    ),
    "stopped": (
        N_("The project «%(title)s» is now stopped."),
        N_("The project «%(title)s» is now stopped. Reason: %(reason)s"),
    ),
}


@dataclass
class ReasonError(FieldError):
    """A refused transition's reason as an error item: translated text plus a machine code."""

    code: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "code": self.code}


def _params(reason: lifecycle.Reason) -> dict[str, Any]:
    return {k: _(v) if k in reason.translate else v for k, v in reason.params.items()}


def reason_text(reason: lifecycle.Reason) -> str:
    """A reason in the current language."""
    return translate(reason.message, _params(reason))


async def load_facts(project_id: int, reason: str = "") -> lifecycle.Facts:
    rows = await Approval.select(
        Approval.kind, Approval.required, Approval.status, Approval.label
    ).where(Approval.project == project_id)
    items = [rules.Item(r["kind"], r["required"], r["status"], r["label"]) for r in rows]
    leader = await Project.select(Project.leader).where(Project.id == project_id).first()
    municipalities = await Participant.count().where(
        (Participant.project == project_id)
        & (Participant.kind == "municipality")
        & (Participant.status == "active")
    )
    return lifecycle.Facts(
        missing_approvals=rules.missing(items),
        has_leader=leader is not None and leader["leader"] is not None,
        municipalities=municipalities,
        reason=reason,
    )


async def status_box(access: Access) -> dict[str, Any]:
    """The current status and each status the project may move to, with what blocks it now
    (a stop's reason is written in the form, so it does not block here)."""
    status = access.facts.status
    facts = await load_facts(access.project_id, reason="-")
    targets = [
        {
            "to": to,
            "label": lifecycle.STATUS_LABELS[to],
            "reasons": [reason_text(r) for r in lifecycle.check(status, to, facts)],
        }
        for to in lifecycle.allowed(status)
    ]
    return {
        "value": status,
        "label": lifecycle.STATUS_LABELS.get(status, status),
        "targets": targets,
        "final": status in lifecycle.FINAL,
    }


def _refused(to: str, reasons: list[lifecycle.Reason]) -> Conflict:
    errors: list[FieldError] = [
        ReasonError(r.field, r.message, params=_params(r), code=r.code) for r in reasons
    ]
    return Conflict(REFUSED, errors, params={"to": _(lifecycle.STATUS_LABELS[to])})


async def _notify(project: dict[str, Any], status: str, reason: str) -> None:
    text = NOTICES[status][1 if reason else 0]
    params = {"title": project["title"], "reason": reason}
    link = f"/prosjekter/{project['id']}"
    people = await Participant.select(Participant.municipality, Participant.service).where(
        (Participant.project == project["id"])
        & (Participant.status == "active")
        & Participant.kind.is_in(["municipality", "service"])
    )
    for person in people:
        await notifications.notify(
            "project_status",
            text,
            params=params,
            link=link,
            cluster_id=project["cluster"],
            service_id=person["service"],
            municipality_id=None if person["service"] else person["municipality"],
        )
    if project["leader"] is not None:
        await notifications.notify(
            "project_status",
            text,
            params=params,
            link=link,
            cluster_id=project["cluster"],
            account_id=project["leader"],
        )


async def transition(actor: Principal, project_id: int, data: TransitionRequest) -> TransitionOut:
    """Move the project to `data.to`, or refuse with every reason (409)."""
    access = await load_access(actor, project_id)
    require_manage(access)
    to, reason = data.to.value, data.reason.strip()
    async with transaction():
        project = await (
            Project.select(
                Project.id, Project.cluster, Project.title, Project.status, Project.leader
            )
            .where(Project.id == project_id)
            .first()
        )
        assert project is not None  # load_access found it
        facts = await load_facts(project_id, reason)
        reasons = lifecycle.check(project["status"], to, facts)
        if reasons:
            raise _refused(to, reasons)
        now = dt.datetime.now(dt.UTC)
        await Project.update(
            {Project.status: to, Project.status_changed_at: now, Project.updated_at: now}
        ).where(Project.id == project_id)
        await audit.record(
            actor,
            "project.status",
            "project",
            project_id,
            cluster_id=project["cluster"],
            before={"status": project["status"]},
            after={"status": to, "reason": reason},
        )
        await _notify(project, to, reason)
    return TransitionOut(
        project_id=project_id,
        status=to,
        status_label=_(lifecycle.STATUS_LABELS[to]),
        status_changed_at=now,
    )
