"""Grants and their reports, read side: the grants a caller may see, one grant with its report
schedule (overdue flags) and payments, and one report with its spending per budget line and
the conditions it is measured against."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge.auth.principal import Principal
from klynge.db import json_value
from klynge.errors import NotFound
from klynge.i18n import N_
from klynge.i18n import gettext as _
from projects.grants import report_rules
from projects.grants.loading import load_application_access
from projects.grants.payments import payments_of, totals
from projects.grants.reports_access import GrantAccess, can_attest, load_grant_access
from projects.grants.reports_schemas import (
    BudgetLineOut,
    ConditionOut,
    GrantListItem,
    GrantOut,
    ReportOut,
    ReportRow,
)
from projects.grants.schedule_rules import is_overdue
from projects.grants.tables import Application, BudgetLine, GrantAgreement, GrantReport

NO_REPORT = N_("No such report.")


def today() -> dt.date:
    return dt.date.today()


async def list_grants(actor: Principal) -> list[GrantListItem]:
    """Every grant whose application the caller may see, newest first."""
    rows = await GrantAgreement.select(
        GrantAgreement.all_columns(),
        GrantAgreement.application.title.as_alias("title"),
    ).order_by(GrantAgreement.id, ascending=False)
    reports = await GrantReport.select(GrantReport.grant, GrantReport.due, GrantReport.status)
    items = []
    for row in rows:
        try:
            await load_application_access(actor, row["application"])
        except NotFound:
            continue
        overdue = sum(
            1
            for r in reports
            if r["grant"] == row["id"] and is_overdue(r["due"], r["status"], today())
        )
        items.append(
            GrantListItem(
                row["id"],
                row["application"],
                row["title"],
                row["amount_ore"],
                row["starts_on"],
                row["ends_on"],
                overdue,
            )
        )
    return items


async def report_rows(grant_id: int) -> list[ReportRow]:
    rows = await (
        GrantReport.select()
        .where(GrantReport.grant == grant_id)
        .order_by(GrantReport.due)
        .order_by(GrantReport.id)
    )
    return [
        ReportRow(
            r["id"],
            r["kind"],
            r["period_start"],
            r["period_end"],
            r["due"],
            r["status"],
            is_overdue(r["due"], r["status"], today()),
        )
        for r in rows
    ]


async def grant_out(access: GrantAccess) -> GrantOut:
    g = access.grant
    payments = await payments_of(g["id"])
    requested, paid = totals(payments)
    return GrantOut(
        id=g["id"],
        application_id=g["application"],
        project_id=g["project"],
        title=g["title"],
        amount_ore=g["amount_ore"],
        starts_on=g["starts_on"],
        ends_on=g["ends_on"],
        extra_conditions=g["extra_conditions"],
        reports=await report_rows(g["id"]),
        payments=payments,
        requested_ore=requested,
        paid_ore=paid,
        is_funder=access.funder,
        is_team=access.team,
    )


async def grant_detail(actor: Principal, grant_id: int) -> GrantOut:
    return await grant_out(await load_grant_access(actor, grant_id))


async def load_report(access: GrantAccess, report_id: int) -> dict[str, Any]:
    row = await (
        GrantReport.select()
        .where((GrantReport.id == report_id) & (GrantReport.grant == access.grant["id"]))
        .first()
    )
    if row is None:
        raise NotFound(NO_REPORT)
    return dict(row)


async def budget_lines(application_id: int) -> list[dict[str, Any]]:
    return list(
        await BudgetLine.select()
        .where(BudgetLine.application == application_id)
        .order_by(BudgetLine.year)
        .order_by(BudgetLine.position)
        .order_by(BudgetLine.id)
    )


async def call_conditions(application_id: int) -> list[dict[str, Any]]:
    row = await (
        Application.select(Application.call.conditions.as_alias("conditions"))
        .where(Application.id == application_id)
        .first()
    )
    return list(json_value(row["conditions"] if row else None, []))


async def report_out(actor: Principal, access: GrantAccess, row: dict[str, Any]) -> ReportOut:
    lines = await budget_lines(access.grant["application"])
    spending = {str(k): int(v) for k, v in json_value(row["spending"], {}).items()}
    results = report_rules.evaluate_report(
        await call_conditions(access.grant["application"]),
        spending,
        {line["id"]: line["category"] for line in lines},
        row["no_existing_positions"],
    )
    editable = row["status"] in report_rules.EDITABLE
    return ReportOut(
        id=row["id"],
        grant_id=access.grant["id"],
        kind=row["kind"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        due=row["due"],
        status=row["status"],
        overdue=is_overdue(row["due"], row["status"], today()),
        progress=row["progress"],
        rnd_activity=row["rnd_activity"],
        deviations=row["deviations"],
        spending=[
            BudgetLineOut(
                line["id"],
                line["year"],
                line["category"],
                line["description"],
                line["amount_ore"],
                spending.get(str(line["id"]), 0),
            )
            for line in lines
        ],
        rnd_spent_ore=row["rnd_spent_ore"],
        attestation_name=row["attestation_name"],
        attestation_role=row["attestation_role"],
        no_existing_positions=row["no_existing_positions"],
        attested_at=row["attested_at"],
        submitted_at=row["submitted_at"],
        review_comment=row["review_comment"],
        conditions=[
            ConditionOut(r.kind.value, r.outcome, _(r.message) % dict(r.params)) for r in results
        ],
        can_edit=access.team and editable,
        can_attest=editable and await can_attest(actor, access),
        can_review=access.funder and row["status"] in report_rules.REVIEWABLE,
    )


async def get_report(actor: Principal, grant_id: int, report_id: int) -> ReportOut:
    access = await load_grant_access(actor, grant_id)
    return await report_out(actor, access, await load_report(access, report_id))
