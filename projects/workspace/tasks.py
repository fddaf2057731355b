"""The workspace's contribution to each user's task list: their open follow-up actions."""

from __future__ import annotations

from klynge.auth.principal import Principal
from klynge.i18n import N_
from klynge.tasks import Task
from projects.workspace.codesign_actions import open_action_count, open_actions_for


async def action_tasks(actor: Principal) -> list[Task]:
    return [
        Task(
            kind="projects.action",
            label=N_("Do the follow-up action «%(title)s»"),
            subject=a.project_title,
            link=f"/prosjekter/{a.project_id}#samskaping",
            due=a.due,
            params={"title": a.title},
        )
        for a in await open_actions_for(actor.account_id)
    ]


async def action_count(actor: Principal) -> int:
    return await open_action_count(actor.account_id)
