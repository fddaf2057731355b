"""One line at a time, as the application page's forms edit them: add, change or delete a budget
line or a financing line (the whole budget is checked and stored again, one transaction), and
the choices of the "new application" page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import FieldError, Invalid, NotFound
from klynge.i18n import N_
from projects.grants import application_data as data
from projects.grants import applications as use
from projects.grants.access import require_edit
from projects.grants.budget_rules import BudgetRow, check_financing, check_line
from projects.grants.loading import load_application_access
from projects.grants.tables import FinancingLine
from projects.workspace import api as workspace

NO_LINE = N_("No such line.")
BUDGET_FIELDS = ("year", "category", "description", "fte_percent", "amount")
FINANCING_FIELDS = ("source", "description", "amount")


def _year(text: str) -> int | str:
    return int(text) if text.strip().isdigit() else text


def _line(form: Mapping[str, str], years: range) -> BudgetRow:
    row, found = check_line(
        _year(form.get("year", "")),
        form.get("category", ""),
        form.get("description", ""),
        form.get("fte_percent", ""),
        form.get("amount", ""),
        years,
    )
    if row is None:
        errors = [FieldError(p.field, p.message, params=p.params) for p in found]
        raise Invalid(N_("Some fields need attention."), errors)
    return row


async def _change(
    actor: Principal, application_id: int, form: Mapping[str, str] | None, line_id: int | None
) -> None:
    """Add (line_id None), change (form and line_id) or delete (form None) one budget line."""
    access = await load_application_access(actor, application_id)
    require_edit(access)
    years = await use.years_of(access.facts.project_id)
    budget, _financing = await data.lines(application_id)
    ids = [r["id"] for r in budget]
    rows = data.budget_rows(budget)
    if line_id is not None and line_id not in ids:
        raise NotFound(NO_LINE)
    if form is not None:
        new = _line(form, years)
        if line_id is None:
            rows.append(new)
        else:
            rows[ids.index(line_id)] = new
    elif line_id is not None:
        del rows[ids.index(line_id)]
    async with transaction():
        await use.store_budget(actor, access, rows, "application.budget_changed")


async def add_budget_line(actor: Principal, application_id: int, form: Mapping[str, str]) -> None:
    await _change(actor, application_id, form, None)


async def update_budget_line(
    actor: Principal, application_id: int, line_id: int, form: Mapping[str, str]
) -> None:
    await _change(actor, application_id, form, line_id)


async def delete_budget_line(actor: Principal, application_id: int, line_id: int) -> None:
    await _change(actor, application_id, None, line_id)


async def add_financing_line(
    actor: Principal, application_id: int, form: Mapping[str, str]
) -> None:
    access = await load_application_access(actor, application_id)
    require_edit(access)
    row, found = check_financing(
        form.get("source", ""), form.get("description", ""), form.get("amount", "")
    )
    if row is None:
        errors = [FieldError(p.field, p.message, params=p.params) for p in found]
        raise Invalid(N_("Some fields need attention."), errors)
    async with transaction():
        await FinancingLine.insert(
            FinancingLine(
                application=application_id,
                source=row.source,
                description=row.description,
                amount_ore=row.amount_ore,
            )
        )
        await use.touch(application_id)
        await audit.record(
            actor,
            "application.financing_added",
            "grant_application",
            application_id,
            cluster_id=access.facts.cluster_id,
            after={"source": row.source, "amount_ore": row.amount_ore},
        )


async def delete_financing_line(actor: Principal, application_id: int, line_id: int) -> None:
    access = await load_application_access(actor, application_id)
    require_edit(access)
    async with transaction():
        found = await FinancingLine.exists().where(
            (FinancingLine.id == line_id) & (FinancingLine.application == application_id)
        )
        if not found:
            raise NotFound(NO_LINE)
        await FinancingLine.delete().where(FinancingLine.id == line_id)
        await use.touch(application_id)
        await audit.record(
            actor,
            "application.financing_deleted",
            "grant_application",
            application_id,
            cluster_id=access.facts.cluster_id,
            before={"line_id": line_id},
        )


async def start_choices(
    actor: Principal, project_id: int | None
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(projects the caller may apply from, open calls for the chosen project's cluster)."""
    projects: list[tuple[int, str]] = []
    cluster_of: dict[int, int] = {}
    for item in await workspace.list_projects(actor, limit=100):
        access = await workspace.load_access(actor, item.id)
        if access.manage:
            projects.append((item.id, item.title))
            cluster_of[item.id] = item.cluster_id
    calls: list[tuple[int, str]] = []
    if project_id in cluster_of:
        found = await data.open_calls(cluster_of[project_id], use.today())
        calls = [(c.id, f"{c.title} ({c.funder_name})") for c in found]
    return projects, calls


def form_lines(values: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    return {n: str(values.get(n, "") or "").strip() for n in names}
