"""Jobs of the grants part: remind about grant reports 14 and 3 days before they fall due and
once when overdue (a daily cron job of the projects app). Each report and step goes out exactly
once, even with two workers on the same tick (klynge.once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import notifications, once
from klynge.auth.roles import Role
from klynge.auth.tables import RoleAssignment
from klynge.db import transaction
from klynge.directory import cluster_advisers
from klynge.i18n import N_
from klynge.jobs.runner import JobContext, job
from projects.grants.schedule_rules import DONE, OVERDUE, steps_due
from projects.grants.tables import Application, GrantReport

REMIND_GRANT_REPORTS = "remind_grant_reports"
LOOKAHEAD_DAYS = 14


async def funder_officers(funder_id: int) -> list[int]:
    """Account ids of the funder's officers (active accounts)."""
    rows = await RoleAssignment.select(
        RoleAssignment.account, RoleAssignment.account.is_active.as_alias("active")
    ).where(
        (RoleAssignment.funder == funder_id) & (RoleAssignment.role == Role.FUNDER_OFFICER.value)
    )
    return sorted({r["account"] for r in rows if r["active"]})


async def _candidates(today: dt.date) -> list[dict[str, Any]]:
    """Reports not yet in, falling due within the lookahead or already overdue, with their
    application's title, cluster, project leader and funder (two queries: PostgreSQL cuts the
    aliases of deeper joins to 63 characters and then finds them twice)."""
    reports = await GrantReport.select(
        GrantReport.id,
        GrantReport.grant,
        GrantReport.due,
        GrantReport.status,
        GrantReport.grant.application.as_alias("application"),
    ).where(
        GrantReport.status.not_in(sorted(DONE))
        & (GrantReport.due <= today + dt.timedelta(days=LOOKAHEAD_DAYS))
    )
    if not reports:
        return []
    apps = await Application.select(
        Application.id,
        Application.title,
        Application.cluster,
        Application.project.leader.as_alias("leader"),
        Application.call.funder.as_alias("funder"),
    ).where(Application.id.is_in(sorted({r["application"] for r in reports})))
    by_id = {a["id"]: a for a in apps}
    return [
        {**r, **{k: by_id[r["application"]][k] for k in ("title", "cluster", "leader", "funder")}}
        for r in reports
        if r["application"] in by_id
    ]


def _text(step: str) -> str:
    if step == OVERDUE:
        return N_("The report for the grant «%(title)s» was due %(due)s.")
    return N_("Reminder: the report for the grant «%(title)s» is due by %(due)s.")


async def _remind_once(row: dict[str, Any], step: str) -> bool:
    """Claim the step and send it in one transaction: if sending fails the claim goes too."""
    async with transaction():
        if not await once.claim(f"grant-report:{row['id']}:{step}"):
            return False
        people = set(await cluster_advisers(row["cluster"]))
        if row["leader"] is not None:
            people.add(row["leader"])
        if step == OVERDUE:
            people |= set(await funder_officers(row["funder"]))
        kind = "grant_report_overdue" if step == OVERDUE else "grant_report_due"
        link = f"/tilskudd/{row['grant']}/rapporter/{row['id']}"
        for account_id in sorted(people):
            await notifications.notify(
                kind,
                _text(step),
                params={"title": row["title"], "due": f"{row['due']:%d.%m.%Y}"},
                link=link,
                cluster_id=row["cluster"],
                account_id=account_id,
            )
    return True


async def remind(today: dt.date | None = None) -> int:
    """Send every reminder step that has come due; the number of steps sent."""
    day = today or dt.date.today()
    sent = 0
    for row in await _candidates(day):
        for step in steps_due(row["due"], row["status"], day):
            sent += await _remind_once(row, step)
    return sent


@job(REMIND_GRANT_REPORTS)
async def remind_grant_reports(ctx: JobContext) -> dict[str, Any]:
    return {"reminded": await remind()}


__all__ = ["REMIND_GRANT_REPORTS", "funder_officers", "remind", "remind_grant_reports"]
