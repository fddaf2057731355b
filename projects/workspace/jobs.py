"""Jobs of the project workspace: tell the project leader, once, about each milestone that
has fallen overdue (a cron job of the projects app)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import notifications
from klynge.db import transaction
from klynge.i18n import N_
from klynge.jobs.runner import JobContext, job
from projects.workspace.plan_rules import CLOSED, Kind
from projects.workspace.tables import PlanItem

NOTIFY_OVERDUE = "notify_overdue_milestones"


async def _candidates(today: dt.date) -> list[dict[str, Any]]:
    """Overdue milestones not yet notified, of projects that have a leader."""
    rows = await PlanItem.select(
        PlanItem.id,
        PlanItem.title,
        PlanItem.due,
        PlanItem.project,
        PlanItem.project.title,
        PlanItem.project.cluster,
        PlanItem.project.leader,
    ).where(
        (PlanItem.kind == Kind.MILESTONE.value)
        & (PlanItem.due < today)
        & PlanItem.status.not_in(sorted(CLOSED))
        & PlanItem.overdue_notified_at.is_null()
        & PlanItem.project.leader.is_not_null()
    )
    return list(rows)


async def _notify_once(row: dict[str, Any]) -> bool:
    """Claim the milestone's notice and send it in one transaction: of two workers running at
    once, only the one whose conditional update took the row notifies."""
    async with transaction():
        claimed = (
            await PlanItem.update({PlanItem.overdue_notified_at: dt.datetime.now(dt.UTC)})
            .where((PlanItem.id == row["id"]) & PlanItem.overdue_notified_at.is_null())
            .returning(PlanItem.id)
        )
        if not claimed:
            return False
        await notifications.notify(
            "milestone_overdue",
            N_("The milestone «%(title)s» in the project «%(project)s» was due %(due)s."),
            params={
                "title": row["title"],
                "project": row["project.title"],
                "due": f"{row['due']:%d.%m.%Y}",
            },
            link=f"/prosjekter/{row['project']}#plan-{row['id']}",
            cluster_id=row["project.cluster"],
            account_id=row["project.leader"],
        )
    return True


async def notify_overdue(today: dt.date | None = None) -> int:
    """Notify every overdue milestone's leader once; the number of notices sent."""
    sent = 0
    for row in await _candidates(today or dt.date.today()):
        sent += await _notify_once(row)
    return sent


@job(NOTIFY_OVERDUE)
async def notify_overdue_milestones(ctx: JobContext) -> dict[str, Any]:
    return {"notified": await notify_overdue()}


__all__ = ["NOTIFY_OVERDUE", "notify_overdue_milestones"]
