"""Reading applications: the call, the lines, the totals and the live conditions of one
application, and the list of those the caller may see (plain data for the pages and the API)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value
from klynge.errors import NotFound, translate
from klynge.i18n import N_
from klynge.i18n import gettext as _
from projects.grants import applications_schemas as s
from projects.grants.access import NO_CALL, ApplicationAccess
from projects.grants.application_facts import application_facts, call_conditions
from projects.grants.budget_rules import (
    CATEGORY_LABELS,
    SOURCE_LABELS,
    BudgetRow,
    FinancingRow,
    Totals,
    totals,
)
from projects.grants.conditions import CATALOGUE, Result, evaluate
from projects.grants.money import format_nok
from projects.grants.tables import Application, BudgetLine, Call, FinancingLine
from projects.tables import Project
from projects.workspace import api as workspace

STATUS_LABELS: dict[str, str] = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "changes_requested": N_("Changes requested"),
    "granted": N_("Granted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}


@dataclass(frozen=True)
class CallInfo:
    id: int
    title: str
    funder_id: int
    funder_name: str
    opens_on: dt.date
    closes_on: dt.date
    max_ore: int
    status: str
    conditions: list[dict[str, Any]]
    eligible_cluster_ids: list[int]
    eligible_kinds: list[str]

    def is_open(self, today: dt.date) -> bool:
        return self.status == "published" and self.opens_on <= today <= self.closes_on

    def admits(self, cluster_id: int) -> bool:
        kinds_ok = not self.eligible_kinds or "cluster" in self.eligible_kinds
        clusters_ok = not self.eligible_cluster_ids or cluster_id in self.eligible_cluster_ids
        return kinds_ok and clusters_ok

    def ref(self) -> s.CallRef:
        return s.CallRef(
            self.id,
            self.title,
            self.funder_id,
            self.funder_name,
            self.opens_on,
            self.closes_on,
            self.max_ore,
        )


CALL_COLUMNS = (
    Call.id,
    Call.title,
    Call.funder,
    Call.funder.name.as_alias("funder_name"),
    Call.opens_on,
    Call.closes_on,
    Call.max_per_application_ore,
    Call.status,
    Call.conditions,
    Call.eligible_cluster_ids,
    Call.eligible_kinds,
)


def _call(row: dict[str, Any]) -> CallInfo:
    return CallInfo(
        id=row["id"],
        title=row["title"],
        funder_id=row["funder"],
        funder_name=row["funder_name"] or "",
        opens_on=row["opens_on"],
        closes_on=row["closes_on"],
        max_ore=int(row["max_per_application_ore"] or 0),
        status=row["status"],
        conditions=list(json_value(row["conditions"], [])),
        eligible_cluster_ids=[int(i) for i in json_value(row["eligible_cluster_ids"], [])],
        eligible_kinds=[str(k) for k in json_value(row["eligible_kinds"], [])],
    )


async def call_info(call_id: int) -> CallInfo:
    row = await Call.select(*CALL_COLUMNS).where(Call.id == call_id).first()
    if row is None:
        raise NotFound(NO_CALL)
    return _call(row)


async def open_calls(cluster_id: int, today: dt.date) -> list[CallInfo]:
    """Published calls open today that admit the cluster's projects."""
    rows = await (
        Call.select(*CALL_COLUMNS)
        .where((Call.status == "published") & (Call.opens_on <= today) & (Call.closes_on >= today))
        .order_by(Call.closes_on)
    )
    return [c for c in map(_call, rows) if c.admits(cluster_id)]


async def lines(application_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    budget = await (
        BudgetLine.select()
        .where(BudgetLine.application == application_id)
        .order_by(BudgetLine.year, BudgetLine.position, BudgetLine.id)
    )
    financing = await (
        FinancingLine.select()
        .where(FinancingLine.application == application_id)
        .order_by(FinancingLine.id)
    )
    return list(budget), list(financing)


def budget_rows(rows: list[dict[str, Any]]) -> list[BudgetRow]:
    return [
        BudgetRow(r["year"], r["category"], r["description"], r["fte_percent"], r["amount_ore"])
        for r in rows
    ]


def financing_rows(rows: list[dict[str, Any]]) -> list[FinancingRow]:
    return [FinancingRow(r["source"], r["description"], r["amount_ore"]) for r in rows]


async def evaluate_application(
    project_id: int, call: CallInfo, budget: list[BudgetRow], financing: list[FinancingRow]
) -> list[Result]:
    found = await workspace.grant_facts(project_id)
    facts = application_facts(
        budget,
        financing,
        research_groups=found.research_groups,
        municipalities=found.municipalities,
        user_representatives=found.user_representatives,
        approvals=found.approvals,
    )
    return evaluate(call_conditions(call.conditions, call.max_ore), facts)


def condition_out(r: Result) -> s.ConditionOut:
    return s.ConditionOut(
        kind=r.kind.value,
        name=_(CATALOGUE[r.kind][0]),
        outcome=r.outcome,
        hard=r.hard,
        message=translate(r.message, r.params),
        numbers=dict(r.numbers),
    )


def _sum(key: str, label: str, ore: int) -> s.SumOut:
    return s.SumOut(key, label, ore, format_nok(ore))


def totals_out(t: Totals) -> s.TotalsOut:
    return s.TotalsOut(
        total_ore=t.total_ore,
        total=format_nok(t.total_ore),
        by_year=[_sum(str(y), str(y), v) for y, v in t.by_year.items()],
        by_category=[_sum(k, _(CATEGORY_LABELS[k]), v) for k, v in t.by_category.items()],
        by_source=[_sum(k, _(SOURCE_LABELS[k]), v) for k, v in t.by_source.items()],
        financing_ore=t.financing_ore,
        requested_ore=t.requested_ore,
        requested=format_nok(t.requested_ore),
        gap_ore=t.gap_ore,
    )


WITHDRAWABLE = frozenset({"draft", "submitted", "changes_requested"})


def _budget_out(rows: list[dict[str, Any]]) -> list[s.BudgetLineOut]:
    return [
        s.BudgetLineOut(
            id=r["id"],
            year=r["year"],
            category=r["category"],
            category_label=_(CATEGORY_LABELS.get(r["category"], r["category"])),
            description=r["description"],
            fte_percent=r["fte_percent"],
            amount_ore=r["amount_ore"],
            amount=format_nok(r["amount_ore"]),
        )
        for r in rows
    ]


def _financing_out(rows: list[dict[str, Any]]) -> list[s.FinancingLineOut]:
    return [
        s.FinancingLineOut(
            id=r["id"],
            source=r["source"],
            source_label=_(SOURCE_LABELS.get(r["source"], r["source"])),
            description=r["description"],
            amount_ore=r["amount_ore"],
            amount=format_nok(r["amount_ore"]),
        )
        for r in rows
    ]


async def application_out(access: ApplicationAccess) -> s.ApplicationOut:
    app_id = access.facts.application_id
    row = await Application.select().where(Application.id == app_id).first()
    if row is None:  # pragma: no cover - the loader found it a moment ago
        raise NotFound(N_("No such application."))
    call = await call_info(row["call"])
    project = await workspace.project_summary(row["project"])
    budget, financing = await lines(app_id)
    b_rows, f_rows = budget_rows(budget), financing_rows(financing)
    results = await evaluate_application(row["project"], call, b_rows, f_rows)
    status = row["status"]
    return s.ApplicationOut(
        id=app_id,
        title=row["title"],
        summary=row["summary"],
        written_standard=row["written_standard"],
        status=status,
        status_label=_(STATUS_LABELS.get(status, status)),
        cluster_id=row["cluster"],
        call=call.ref(),
        project=s.Ref(project.id, project.title),
        requested_ore=row["requested_ore"],
        requested=format_nok(row["requested_ore"]),
        submitted_at=row["submitted_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        budget=_budget_out(budget),
        financing=_financing_out(financing),
        totals=totals_out(totals(b_rows, f_rows)),
        conditions=[condition_out(r) for r in results],
        may_edit=access.edit,
        may_submit=access.submit,
        may_withdraw=access.project.edit and status in WITHDRAWABLE,
    )


def _visible(actor: Principal) -> Any | None:
    """None = every application (admin)."""
    if actor.is_admin:
        return None
    where = workspace.visible_where(actor)
    clause = Application.project.is_in(Project.select(Project.id).where(where))
    funders = sorted(actor.org_ids(Role.FUNDER_OFFICER))
    if funders:
        clause = clause | (Application.call.funder.is_in(funders) & (Application.status != "draft"))
    return clause


async def list_applications(
    actor: Principal,
    *,
    status: str | None = None,
    call_id: int | None = None,
    project_id: int | None = None,
) -> list[s.ApplicationListItem]:
    query = Application.select(
        Application.id,
        Application.title,
        Application.status,
        Application.call,
        Application.call.title.as_alias("call_title"),
        Application.project,
        Application.project.title.as_alias("project_title"),
        Application.requested_ore,
        Application.submitted_at,
        Application.updated_at,
    ).order_by(Application.updated_at, ascending=False)
    visible = _visible(actor)
    if visible is not None:
        query = query.where(visible)
    if status:
        query = query.where(Application.status == status)
    if call_id:
        query = query.where(Application.call == call_id)
    if project_id:
        query = query.where(Application.project == project_id)
    return [
        s.ApplicationListItem(
            id=r["id"],
            title=r["title"],
            status=r["status"],
            status_label=_(STATUS_LABELS.get(r["status"], r["status"])),
            call=s.Ref(r["call"], r["call_title"]),
            project=s.Ref(r["project"], r["project_title"]),
            requested_ore=r["requested_ore"],
            requested=format_nok(r["requested_ore"]),
            submitted_at=r["submitted_at"],
            updated_at=r["updated_at"],
        )
        for r in await query.limit(500)
    ]
