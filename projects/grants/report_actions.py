"""Grants and their reports, write side: the team writes and submits a report, a municipal
leader attests it, the funder approves or returns it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit, notifications
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid
from klynge.i18n import N_
from projects.grants import report_rules
from projects.grants.grants_jobs import funder_officers
from projects.grants.reports import budget_lines, load_report, report_out
from projects.grants.reports_access import (
    GrantAccess,
    can_attest,
    load_grant_access,
    require_grant_funder,
    require_team,
)
from projects.grants.reports_schemas import Attestation, ReportOut, ReportReview, ReportUpdate
from projects.grants.tables import GrantReport

NOT_EDITABLE = N_("The report has been submitted and can no longer be changed.")
NOT_SUBMITTED = N_("Only a submitted report can be approved or returned.")
NOT_ATTESTED = N_("A municipal leader must attest the report before it is submitted.")


async def _editable(
    actor: Principal, grant_id: int, report_id: int
) -> tuple[GrantAccess, dict[str, Any]]:
    access = await load_grant_access(actor, grant_id)
    row = await load_report(access, report_id)
    if row["status"] not in report_rules.EDITABLE:
        raise Conflict(NOT_EDITABLE)
    return access, row


async def update_report(
    actor: Principal, grant_id: int, report_id: int, data: ReportUpdate
) -> ReportOut:
    access, _row = await _editable(actor, grant_id, report_id)
    require_team(access)
    changes: dict[Any, Any] = {}
    for name in ("progress", "rnd_activity", "deviations", "rnd_spent_ore"):
        value = getattr(data, name)
        if value is not None:
            changes[getattr(GrantReport, name)] = value.strip() if isinstance(value, str) else value
    if data.spending is not None:
        known = {line["id"] for line in await budget_lines(access.grant["application"])}
        errors = [
            FieldError(f"spending.{i}.budget_line_id", N_("Not a budget line of the application."))
            for i, s in enumerate(data.spending)
            if s.budget_line_id not in known
        ]
        if errors:
            raise Invalid(N_("Check the spending."), errors)
        changes[GrantReport.spending] = {str(s.budget_line_id): s.amount_ore for s in data.spending}
    async with transaction():
        if changes:
            await GrantReport.update(changes).where(GrantReport.id == report_id)
            await audit.record(
                actor, "grant_report.update", "grant_report", report_id,
                cluster_id=access.cluster_id, after={c._meta.name: v for c, v in changes.items()},
            )  # fmt: skip
    return await report_out(actor, access, await load_report(access, report_id))


async def attest(actor: Principal, grant_id: int, report_id: int, data: Attestation) -> ReportOut:
    """The signing municipal leader is the caller: their name and role go on the report."""
    access, _row = await _editable(actor, grant_id, report_id)
    if not await can_attest(actor, access):
        raise Forbidden(
            N_("Only a municipal leader of a participating municipality can attest the report.")
        )
    async with transaction():
        await GrantReport.update(
            {
                GrantReport.attested_by: actor.account_id,
                GrantReport.attestation_name: actor.name,
                GrantReport.attestation_role: report_rules.role_label(actor),
                GrantReport.no_existing_positions: data.no_existing_positions,
                GrantReport.attested_at: dt.datetime.now(dt.UTC),
            }
        ).where(GrantReport.id == report_id)
        await audit.record(
            actor, "grant_report.attest", "grant_report", report_id, cluster_id=access.cluster_id,
            after={"no_existing_positions": data.no_existing_positions},
        )  # fmt: skip
    return await report_out(actor, access, await load_report(access, report_id))


_REVIEWED = {
    ("approved", False): N_("The report for the grant «%(title)s» is approved."),
    ("approved", True): N_("The report for the grant «%(title)s» is approved. %(comment)s"),
    ("returned", False): N_("The report for the grant «%(title)s» was sent back."),
    ("returned", True): N_("The report for the grant «%(title)s» was sent back. %(comment)s"),
}


def _reviewed_text(status: str, commented: bool) -> str:
    return _REVIEWED["approved" if status == "approved" else "returned", commented]


async def _tell(
    access: GrantAccess, kind: str, text: str, params: dict[str, str], account_ids: list[int]
) -> None:
    link = f"/tilskudd/{access.grant['id']}"
    for account_id in sorted(set(account_ids)):
        await notifications.notify(
            kind, text, params=params, link=link, cluster_id=access.cluster_id,
            account_id=account_id,
        )  # fmt: skip


async def submit_report(actor: Principal, grant_id: int, report_id: int) -> ReportOut:
    access, row = await _editable(actor, grant_id, report_id)
    require_team(access)
    if row["no_existing_positions"] is None:
        raise Conflict(NOT_ATTESTED, [FieldError("no_existing_positions", NOT_ATTESTED)])
    async with transaction():
        await GrantReport.update(
            {GrantReport.status: "submitted", GrantReport.submitted_at: dt.datetime.now(dt.UTC)}
        ).where(
            (GrantReport.id == report_id) & GrantReport.status.is_in(sorted(report_rules.EDITABLE))
        )
        await audit.record(
            actor, "grant_report.submit", "grant_report", report_id, cluster_id=access.cluster_id,
            before={"status": row["status"]}, after={"status": "submitted"},
        )  # fmt: skip
        officers = await funder_officers(access.application.facts.funder_id)
        await _tell(
            access, "grant_report_submitted",
            N_("The report for the grant «%(title)s» has been submitted."),
            {"title": access.grant["title"]}, officers,
        )  # fmt: skip
    return await report_out(actor, access, await load_report(access, report_id))


async def review_report(
    actor: Principal, grant_id: int, report_id: int, data: ReportReview
) -> ReportOut:
    access = await load_grant_access(actor, grant_id)
    require_grant_funder(access)
    row = await load_report(access, report_id)
    comment = data.comment.strip()
    if data.decision == "return" and not comment:
        message = N_("Write why the report is returned.")
        raise Invalid(message, [FieldError("comment", message)])
    status = "approved" if data.decision == "approve" else "returned"
    async with transaction():
        moved = (
            await GrantReport.update(
                {
                    GrantReport.status: status,
                    GrantReport.review_comment: comment,
                    GrantReport.reviewed_by: actor.account_id,
                    GrantReport.reviewed_at: dt.datetime.now(dt.UTC),
                }
            )
            .where((GrantReport.id == report_id) & (GrantReport.status == "submitted"))
            .returning(GrantReport.id)
        )
        if not moved:
            raise Conflict(NOT_SUBMITTED)
        await audit.record(
            actor, f"grant_report.{status}", "grant_report", report_id,
            cluster_id=access.cluster_id, before={"status": row["status"]},
            after={"status": status, "comment": comment},
        )  # fmt: skip
        leader = access.application.project.facts.leader_id
        await _tell(
            access, "grant_report_reviewed", _reviewed_text(status, bool(comment)),
            {"title": access.grant["title"], "comment": comment}, [leader] if leader else [],
        )  # fmt: skip
    return await report_out(actor, access, await load_report(access, report_id))
