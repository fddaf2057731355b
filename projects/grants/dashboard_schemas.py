"""Response shapes of the funder's and the adviser's grants dashboard (msgspec Structs). Every
amount is integer øre (`*_ore`); shares are percent strings with one decimal ("23.5")."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from projects.grants.dashboard_rules import Figures

Ore = Annotated[int, msgspec.Meta(description="An amount in øre (1 kr = 100 øre).")]
Percent = Annotated[str, msgspec.Meta(description="A percentage with one decimal, e.g. '23.5'.")]


class CallFigureOut(msgspec.Struct):
    id: int
    title: str
    status: str
    budget_ore: Ore
    applications: int
    requested_ore: Ore
    granted_ore: Ore
    granted_percent: Percent


class StatusCount(msgspec.Struct):
    status: str
    count: int


class YearSum(msgspec.Struct):
    year: int
    granted_ore: Ore


class ApplicationOut(msgspec.Struct):
    id: int
    call_id: int
    title: str
    status: str
    requested_ore: Ore
    url: str


class GrantOut(msgspec.Struct):
    id: int
    application_id: int
    call_id: int
    title: str
    amount_ore: Ore
    starts_on: dt.date
    ends_on: dt.date
    conditions: dict[str, str] = msgspec.field(
        default_factory=dict
    )  # kind -> met | not_met | needs_evidence | not_evaluated
    url: str = ""


class ComplianceOut(msgspec.Struct):
    kind: str
    met: int
    not_met: int
    needs_evidence: int
    not_evaluated: int


class ReportOut(msgspec.Struct):
    id: int
    grant_id: int
    application_id: int
    title: str
    kind: str
    due: dt.date
    status: str
    days: Annotated[int, msgspec.Meta(description="Days until due; negative when overdue.")]


class DashboardOut(msgspec.Struct):
    scope: Annotated[str, msgspec.Meta(description="funder | cluster")]
    scope_id: int
    name: str
    today: dt.date
    calls: list[CallFigureOut]
    applications_by_status: list[StatusCount]
    applications: list[ApplicationOut]
    granted_ore: Ore
    framework_ore: Annotated[int, msgspec.Meta(description="The calls' budget frames, in øre.")]
    granted_by_year: list[YearSum]
    grants: list[GrantOut]
    rnd_budget_ore: Ore
    budget_ore: Annotated[int, msgspec.Meta(description="Granted applications' budgets, in øre.")]
    rnd_percent: Percent
    rnd_spent_ore: Ore
    spent_ore: Annotated[int, msgspec.Meta(description="Spending in approved reports, in øre.")]
    rnd_spent_percent: Percent
    compliance: list[ComplianceOut]
    compliance_note: str
    reports_due: list[ReportOut]
    reports_overdue: list[ReportOut]


COMPLIANCE_NOTE = (
    "Conditions on research groups, municipalities, user representatives and approvals are "
    "not_evaluated: the dashboard judges only the budget, financing and report based kinds."
)


def _report(r: object) -> ReportOut:
    return ReportOut(**{f: getattr(r, f) for f in ReportOut.__struct_fields__})


def to_out(scope: str, scope_id: int, name: str, today: dt.date, f: Figures) -> DashboardOut:
    return DashboardOut(
        scope=scope,
        scope_id=scope_id,
        name=name,
        today=today,
        calls=[
            CallFigureOut(
                c.id,
                c.title,
                c.status,
                c.budget_ore,
                c.applications,
                c.requested_ore,
                c.granted_ore,
                str(c.granted_percent),
            )
            for c in f.calls
        ],
        applications_by_status=[StatusCount(s, n) for s, n in f.by_status],
        applications=[
            ApplicationOut(a.id, a.call_id, a.title, a.status, a.requested_ore, f"/soknader/{a.id}")
            for a in f.applications
        ],
        granted_ore=f.granted_ore,
        framework_ore=f.framework_ore,
        granted_by_year=[YearSum(y, s) for y, s in f.granted_by_year],
        grants=[
            GrantOut(
                g.id,
                g.application_id,
                g.call_id,
                g.title,
                g.amount_ore,
                g.starts_on,
                g.ends_on,
                dict(g.outcomes),
                f"/tilskudd/{g.id}",
            )
            for g in f.grants
        ],
        rnd_budget_ore=f.rnd_budget_ore,
        budget_ore=f.budget_ore,
        rnd_percent=str(f.rnd_percent),
        rnd_spent_ore=f.rnd_spent_ore,
        spent_ore=f.spent_ore,
        rnd_spent_percent=str(f.rnd_spent_percent),
        compliance=[ComplianceOut(kind, **counts) for kind, counts in f.compliance],
        compliance_note=COMPLIANCE_NOTE,
        reports_due=[_report(r) for r in f.due],
        reports_overdue=[_report(r) for r in f.overdue],
    )
