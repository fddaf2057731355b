"""The workspace's hand-offs to the task list: approvals that block a project's start (the
adviser decides which are required; the project leader gets them in place) and milestones
falling due within two weeks or overdue (the project leader). One query per provider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.i18n import N_
from klynge.tasks import Task
from projects.workspace import approvals_rules as rules
from projects.workspace.lifecycle import Status
from projects.workspace.plan_rules import CLOSED, Kind
from projects.workspace.tables import Approval, PlanItem

DECIDE = N_("Decide which approvals the project «%(title)s» needs before it starts")
OBTAIN = N_("Get the approvals of the project «%(title)s» in place: %(count)s missing")
MILESTONE = N_("Reach the milestone «%(title)s»")
MILESTONE_DAYS = 14  # a milestone shows this many days before it falls due
# Approvals block the move to "running": they matter while a project is not yet started.
NOT_STARTED = (Status.PLANNED.value, Status.PREPARATION.value)


def approval_tasks_of(actor: Principal, rows: Iterable[Mapping[str, Any]]) -> list[Task]:
    """Approval rows (with their project's title, cluster, leader and start) -> tasks. Pure."""
    undecided: dict[int, Mapping[str, Any]] = {}
    missing: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows:
        item = rules.Item(row["kind"], row["required"], row["status"], row["label"])
        problem = rules.problem_of(item)
        if problem == "undecided" and actor.advises(row["cluster"]):
            undecided[row["project"]] = row
        elif problem in ("missing", "rejected") and row["leader"] == actor.account_id:
            missing.setdefault(row["project"], []).append(row)
    tasks = [
        Task(
            "projects.approvals_decide",
            DECIDE,
            row["title"],
            f"/prosjekter/{project_id}#godkjenninger",
            due=row["starts_on"],
            params={"title": row["title"]},
        )
        for project_id, row in undecided.items()
    ]
    for project_id, items in missing.items():
        first = items[0]
        tasks.append(
            Task(
                "projects.approvals_missing",
                OBTAIN,
                first["title"],
                f"/prosjekter/{project_id}#godkjenninger",
                due=first["starts_on"],
                params={"title": first["title"], "count": str(len(items))},
            )
        )
    return tasks


async def approval_tasks(actor: Principal) -> list[Task]:
    advised = sorted(actor.org_ids(Role.ADVISER))
    rows = await Approval.select(
        Approval.project,
        Approval.kind,
        Approval.required,
        Approval.status,
        Approval.label,
        Approval.project.title.as_alias("title"),
        Approval.project.cluster.as_alias("cluster"),
        Approval.project.leader.as_alias("leader"),
        Approval.project.starts_on.as_alias("starts_on"),
    ).where(
        Approval.project.status.is_in(list(NOT_STARTED)),
        Approval.project.cluster.is_in(advised or [-1])
        | (Approval.project.leader == actor.account_id),
    )
    return approval_tasks_of(actor, rows)


def _milestones_where(actor: Principal) -> Any:
    until = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=MILESTONE_DAYS)
    return (
        (PlanItem.kind == Kind.MILESTONE.value)
        & (PlanItem.due <= until)
        & PlanItem.status.not_in(sorted(CLOSED))
        & (PlanItem.project.leader == actor.account_id)
        & PlanItem.project.status.not_in([Status.COMPLETED.value, Status.STOPPED.value])
    )


async def milestone_count(actor: Principal) -> int:
    return int(await PlanItem.count().where(_milestones_where(actor)))


async def milestone_tasks(actor: Principal) -> list[Task]:
    """The leader's open milestones due within MILESTONE_DAYS, or overdue."""
    rows = await PlanItem.select(
        PlanItem.id,
        PlanItem.title,
        PlanItem.due,
        PlanItem.project,
        PlanItem.project.title.as_alias("project_title"),
    ).where(_milestones_where(actor))
    return [
        Task(
            "projects.milestone",
            MILESTONE,
            r["project_title"],
            f"/prosjekter/{r['project']}#plan-{r['id']}",
            due=r["due"],
            params={"title": r["title"]},
        )
        for r in rows
    ]


__all__ = ["approval_tasks", "approval_tasks_of", "milestone_count", "milestone_tasks"]
