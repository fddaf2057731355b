"""Grant applications on the task list: the funder's officers decide submitted applications to
their calls and review submitted reports; the applicant revises an application the funder sent
back. Nothing is read for someone who is neither a funder officer nor an applicant."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.i18n import N_
from klynge.tasks import Task
from projects.grants.tables import Application, GrantReport

DECIDE = N_("Assess and decide the grant application «%(title)s»")
REVIEW = N_("Review the submitted grant report for «%(title)s»")
REVISE = N_("Revise the grant application «%(title)s» as the funder asked")


async def _funder_tasks(funders: list[int]) -> list[Task]:
    apps = await Application.select(Application.id, Application.title, Application.status).where(
        Application.call.funder.is_in(funders), Application.status != "draft"
    )
    if not apps:
        return []
    titles = {a["id"]: a["title"] for a in apps}
    tasks = [
        Task(
            "projects.grant_decide",
            DECIDE,
            a["title"],
            f"/soknader/{a['id']}",
            params={"title": a["title"]},
        )
        for a in apps
        if a["status"] == "submitted"
    ]
    # Two queries: PostgreSQL cuts the aliases of deeper joins (see grants_jobs._candidates).
    reports = await GrantReport.select(
        GrantReport.id,
        GrantReport.grant,
        GrantReport.due,
        GrantReport.grant.application.as_alias("application"),
    ).where(GrantReport.status == "submitted", GrantReport.grant.application.is_in(sorted(titles)))
    tasks += [
        Task(
            "projects.grant_report_review",
            REVIEW,
            titles[r["application"]],
            f"/tilskudd/{r['grant']}/rapporter/{r['id']}",
            due=r["due"],
            params={"title": titles[r["application"]]},
        )
        for r in reports
    ]
    return tasks


def _returned_where(actor: Principal) -> Any:
    return (Application.status == "changes_requested") & (
        (Application.project.leader == actor.account_id)
        | (Application.created_by == actor.account_id)
    )


async def application_count(actor: Principal) -> int:
    """len(application_tasks(actor)) in COUNT queries."""
    count = int(await Application.count().where(_returned_where(actor)))
    funders = sorted(actor.org_ids(Role.FUNDER_OFFICER))
    if not funders:
        return count
    seen = Application.call.funder.is_in(funders) & (Application.status != "draft")
    count += int(await Application.count().where(seen & (Application.status == "submitted")))
    return count + int(
        await GrantReport.count().where(
            (GrantReport.status == "submitted")
            & GrantReport.grant.application.is_in(Application.select(Application.id).where(seen))
        )
    )


async def application_tasks(actor: Principal) -> list[Task]:
    funders = sorted(actor.org_ids(Role.FUNDER_OFFICER))
    tasks = await _funder_tasks(funders) if funders else []
    returned = await Application.select(Application.id, Application.title).where(
        _returned_where(actor)
    )
    tasks += [
        Task(
            "projects.grant_revise",
            REVISE,
            a["title"],
            f"/soknader/{a['id']}",
            params={"title": a["title"]},
        )
        for a in returned
    ]
    return tasks
