"""The findings part's contribution to each user's task list: every unanswered delivery
addressed to the caller (to read and answer, or read but not yet answered), found in SQL."""

from __future__ import annotations

from klynge.auth.principal import Principal
from klynge.i18n import N_
from klynge.tasks import Task
from projects.findings.deliveries_listing import my_deliveries, unanswered_count

ANSWER = N_("Answer the findings «%(title)s»")
READ_UNANSWERED = N_("You have read the findings «%(title)s»: answer the three questions")


async def delivery_tasks(actor: Principal) -> list[Task]:
    return [
        Task(
            kind="projects.delivery",
            label=READ_UNANSWERED if d.read_at is not None else ANSWER,
            subject=d.project_title,
            link=f"/leveranser/{d.id}",
            due=d.due,
            params={"title": d.outcome_title},
        )
        for d in await my_deliveries(actor, unanswered=True)
    ]


async def delivery_count(actor: Principal) -> int:
    return await unanswered_count(actor)
