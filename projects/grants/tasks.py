"""The grants part's contribution to each user's task list: grant reports not yet submitted
(or returned) that fall due within the reminder window or are overdue, for the project leader
and the applicant of the grant's application. Two queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge.auth.principal import Principal
from klynge.i18n import N_
from klynge.tasks import Task
from projects.grants.grants_jobs import LOOKAHEAD_DAYS
from projects.grants.schedule_rules import DONE
from projects.grants.tables import Application, GrantReport

REPORT = N_("Write the report for the grant «%(title)s»")


def _mine(actor: Principal) -> Any:
    return (Application.project.leader == actor.account_id) | (
        Application.created_by == actor.account_id
    )


def _due_where(applications: Any) -> Any:
    until = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=LOOKAHEAD_DAYS)
    return (
        GrantReport.status.not_in(sorted(DONE))
        & (GrantReport.due <= until)
        & GrantReport.grant.application.is_in(applications)
    )


async def report_count(actor: Principal) -> int:
    """len(report_tasks(actor)) in one COUNT, the caller's applications as a subquery."""
    mine = Application.select(Application.id).where(_mine(actor))
    return int(await GrantReport.count().where(_due_where(mine)))


async def report_tasks(actor: Principal) -> list[Task]:
    # Two queries: PostgreSQL cuts the aliases of deeper joins (see grants_jobs._candidates).
    apps = await Application.select(Application.id, Application.title).where(_mine(actor))
    if not apps:
        return []
    titles = {a["id"]: a["title"] for a in apps}
    reports = await GrantReport.select(
        GrantReport.id,
        GrantReport.grant,
        GrantReport.due,
        GrantReport.grant.application.as_alias("application"),
    ).where(_due_where(sorted(titles)))
    return [
        Task(
            "projects.grant_report",
            REPORT,
            titles[r["application"]],
            f"/tilskudd/{r['grant']}/rapporter/{r['id']}",
            due=r["due"],
            params={"title": titles[r["application"]]},
        )
        for r in reports
    ]
