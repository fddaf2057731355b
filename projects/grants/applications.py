"""Applications from projects: start one to an open call, edit its title, summary, budget and
financing plan while it is a draft (or sent back), see its live conditions, submit it (refused
while a hard condition fails) and withdraw it. One transaction per use case, each audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from klynge import audit, directory
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid
from klynge.i18n import N_
from klynge.notifications import notify
from projects.grants import application_data as data
from projects.grants import applications_schemas as s
from projects.grants.access import require_edit, require_submit
from projects.grants.budget_rules import (
    BudgetRow,
    FinancingRow,
    Problem,
    allowed_years,
    check_financing,
    check_line,
    totals,
)
from projects.grants.budget_xlsx import BudgetFileProblem, budget_workbook, read_budget
from projects.grants.conditions import blocking
from projects.grants.loading import link_funder, load_application_access
from projects.grants.tables import Application, BudgetLine, FinancingLine
from projects.workspace import api as workspace

CALL_NOT_OPEN = N_("The call is not open for applications.")
NOT_ELIGIBLE = N_("The project's cluster cannot apply to this call.")
ALREADY = N_("The project already has an application to this call.")
CHECK_LINES = N_("Some lines need attention.")
CONDITIONS_FAIL = N_("The application does not meet the call's conditions yet.")
NOT_WITHDRAWABLE = N_("The application can no longer be withdrawn.")


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


async def start_application(actor: Principal, body: s.ApplicationCreate) -> int:
    """A new draft from a project (its leader or the adviser) to an open call."""
    project_access = await workspace.load_access(actor, body.project_id)
    workspace.require_see(project_access)
    workspace.require_manage(project_access)
    call = await data.call_info(body.call_id)
    if not call.is_open(today()):
        raise Conflict(CALL_NOT_OPEN)
    project = await workspace.project_summary(body.project_id)
    if not call.admits(project.cluster_id):
        raise Conflict(NOT_ELIGIBLE)
    async with transaction():
        taken = await Application.exists().where(
            (Application.project == body.project_id)
            & (Application.call == body.call_id)
            & (Application.status != "withdrawn")
        )
        if taken:
            raise Conflict(ALREADY)
        title = " ".join((body.title or project.title).split())[:200]
        row = await Application.insert(
            Application(
                call=call.id,
                project=project.id,
                cluster=project.cluster_id,
                title=title,
                summary=(body.summary or "").strip(),
                written_standard=project.summary_language
                if project.summary_language in ("nb", "nn")
                else "nb",
                created_by=actor.account_id,
            )
        ).returning(Application.id)
        app_id = int(row[0]["id"])
        await audit.record(
            actor,
            "application.created",
            "grant_application",
            app_id,
            cluster_id=project.cluster_id,
            after={"call_id": call.id, "project_id": project.id, "title": title},
        )
    return app_id


async def get_application(actor: Principal | None, application_id: int) -> s.ApplicationOut:
    access = await load_application_access(actor, application_id)
    return await data.application_out(access)


async def update_application(
    actor: Principal, application_id: int, body: s.ApplicationUpdate
) -> s.ApplicationOut:
    access = await load_application_access(actor, application_id)
    require_edit(access)
    changes: dict[Any, Any] = {}
    if body.title is not None:
        changes[Application.title] = " ".join(body.title.split())
    if body.summary is not None:
        changes[Application.summary] = body.summary.strip()
    if changes:
        async with transaction():
            changes[Application.updated_at] = dt.datetime.now(dt.UTC)
            await Application.update(changes).where(Application.id == application_id)
            await audit.record(
                actor,
                "application.updated",
                "grant_application",
                application_id,
                cluster_id=access.facts.cluster_id,
                after={c._meta.name: v for c, v in changes.items() if c._meta.name != "updated_at"},
            )
    return await data.application_out(access)


def _raise(problems: list[FieldError]) -> None:
    if problems:
        raise Invalid(CHECK_LINES, problems)


def _field_errors(prefix: str, index: int, found: Sequence[Problem]) -> list[FieldError]:
    return [FieldError(f"{prefix}.{index}.{p.field}", p.message, params=p.params) for p in found]


async def years_of(project_id: int) -> range:
    project = await workspace.project_summary(project_id)
    return allowed_years(project.starts_on, project.ends_on, today())


def checked_budget(body: s.BudgetIn, years: range) -> list[BudgetRow]:
    rows: list[BudgetRow] = []
    problems: list[FieldError] = []
    for i, line in enumerate(body.lines):
        row, found = check_line(
            line.year, line.category.value, line.description, line.fte_percent, line.amount, years
        )
        problems += _field_errors("lines", i, found)
        if row is not None:
            rows.append(row)
    _raise(problems)
    return rows


async def store_budget(
    actor: Principal, access: Any, rows: Sequence[BudgetRow], action: str
) -> None:
    """Replace the budget (inside the caller's transaction) and keep the amount applied for."""
    app_id = access.facts.application_id
    await BudgetLine.delete().where(BudgetLine.application == app_id)
    if rows:
        await BudgetLine.insert(
            *[
                BudgetLine(
                    application=app_id,
                    year=r.year,
                    category=r.category,
                    description=r.description,
                    fte_percent=r.fte_percent,
                    amount_ore=r.amount_ore,
                    position=i,
                )
                for i, r in enumerate(rows)
            ]
        )
    await touch(app_id)
    await audit.record(
        actor,
        action,
        "grant_application",
        app_id,
        cluster_id=access.facts.cluster_id,
        after={"lines": len(rows), "total_ore": sum(r.amount_ore for r in rows)},
    )


async def touch(app_id: int) -> None:
    financing = await FinancingLine.select(FinancingLine.source, FinancingLine.amount_ore).where(
        (FinancingLine.application == app_id) & (FinancingLine.source == "this_funder")
    )
    requested = sum(int(r["amount_ore"]) for r in financing)
    await Application.update(
        {Application.requested_ore: requested, Application.updated_at: dt.datetime.now(dt.UTC)}
    ).where(Application.id == app_id)


async def replace_budget(
    actor: Principal, application_id: int, body: s.BudgetIn
) -> s.ApplicationOut:
    access = await load_application_access(actor, application_id)
    require_edit(access)
    rows = checked_budget(body, await years_of(access.facts.project_id))
    async with transaction():
        await store_budget(actor, access, rows, "application.budget_replaced")
    return await data.application_out(access)


async def replace_financing(
    actor: Principal, application_id: int, body: s.FinancingIn
) -> s.ApplicationOut:
    access = await load_application_access(actor, application_id)
    require_edit(access)
    rows: list[FinancingRow] = []
    problems: list[FieldError] = []
    for i, line in enumerate(body.lines):
        row, found = check_financing(line.source.value, line.description, line.amount)
        problems += _field_errors("lines", i, found)
        if row is not None:
            rows.append(row)
    _raise(problems)
    async with transaction():
        await FinancingLine.delete().where(FinancingLine.application == application_id)
        if rows:
            await FinancingLine.insert(
                *[
                    FinancingLine(
                        application=application_id,
                        source=r.source,
                        description=r.description,
                        amount_ore=r.amount_ore,
                    )
                    for r in rows
                ]
            )
        await touch(application_id)
        await audit.record(
            actor,
            "application.financing_replaced",
            "grant_application",
            application_id,
            cluster_id=access.facts.cluster_id,
            after={"lines": len(rows), "requested_ore": totals([], rows).requested_ore},
        )
    return await data.application_out(access)


async def conditions(actor: Principal | None, application_id: int) -> s.ConditionsOut:
    access = await load_application_access(actor, application_id)
    out = await data.application_out(access)
    return s.ConditionsOut(
        application_id=application_id,
        may_submit=not any(c.hard and c.outcome == "not_met" for c in out.conditions),
        conditions=out.conditions,
    )


async def submit_application(actor: Principal, application_id: int) -> s.ApplicationOut:
    """Refused (422, each failed hard condition named) while a hard condition fails."""
    access = await load_application_access(actor, application_id)
    require_submit(access)
    facts = access.facts
    call = await data.call_info(facts.call_id)
    if facts.status == "draft" and not call.is_open(today()):
        raise Conflict(CALL_NOT_OPEN)
    budget, financing = await data.lines(application_id)
    results = await data.evaluate_application(
        facts.project_id, call, data.budget_rows(budget), data.financing_rows(financing)
    )
    failed = blocking(results)
    if failed:
        raise Invalid(
            CONDITIONS_FAIL, [FieldError(r.kind.value, r.message, params=r.params) for r in failed]
        )
    async with transaction():
        now = dt.datetime.now(dt.UTC)
        await touch(application_id)
        await Application.update(
            {Application.status: "submitted", Application.submitted_at: now}
        ).where(Application.id == application_id)
        await link_funder(facts.project_id, facts.funder_id)
        await audit.record(
            actor,
            "application.submitted",
            "grant_application",
            application_id,
            cluster_id=facts.cluster_id,
            before={"status": facts.status},
            after={"status": "submitted"},
        )
        await _tell(facts.funder_id, facts.cluster_id, application_id, facts.status)
    return await get_application(actor, application_id)


async def _tell(funder_id: int, cluster_id: int, application_id: int, before: str) -> None:
    row = await Application.select(Application.title).where(Application.id == application_id)
    title = row[0]["title"] if row else ""
    text = (
        N_("The application «%(title)s» was submitted again after changes.")
        if before == "changes_requested"
        else N_("New application submitted: «%(title)s».")
    )
    link = f"/soknader/{application_id}"
    recipients = set(await directory.funder_officers(funder_id))
    recipients |= set(await directory.cluster_advisers(cluster_id))
    for account_id in sorted(recipients):
        await notify(
            "grants.application_submitted",
            text,
            params={"title": title},
            link=link,
            cluster_id=cluster_id,
            account_id=account_id,
        )


async def withdraw_application(actor: Principal, application_id: int) -> s.ApplicationOut:
    access = await load_application_access(actor, application_id)
    if not access.project.edit:
        raise Forbidden(N_("Only the project team can withdraw the application."))
    if access.facts.status not in data.WITHDRAWABLE:
        raise Conflict(NOT_WITHDRAWABLE)
    async with transaction():
        await Application.update(
            {Application.status: "withdrawn", Application.updated_at: dt.datetime.now(dt.UTC)}
        ).where(Application.id == application_id)
        await audit.record(
            actor,
            "application.withdrawn",
            "grant_application",
            application_id,
            cluster_id=access.facts.cluster_id,
            before={"status": access.facts.status},
            after={"status": "withdrawn"},
        )
    return await get_application(actor, application_id)


async def budget_template(actor: Principal, application_id: int) -> tuple[str, bytes]:
    """The budget as an xlsx template with its current lines, in the caller's language."""
    access = await load_application_access(actor, application_id)
    budget, _financing = await data.lines(application_id)
    years = await years_of(access.facts.project_id)
    content = budget_workbook(data.budget_rows(budget), actor.language, years)
    return f"budsjett-soknad-{application_id}.xlsx", content


async def upload_budget(actor: Principal, application_id: int, content: bytes) -> s.ApplicationOut:
    """Replace the budget from an uploaded sheet: all of it, or (any problem) nothing."""
    access = await load_application_access(actor, application_id)
    require_edit(access)
    try:
        rows = read_budget(content, await years_of(access.facts.project_id))
    except BudgetFileProblem as exc:
        errors = [FieldError(a, m, row=n, params=p) for a, m, p, n in exc.cells]
        raise Invalid(
            exc.message,
            errors or [FieldError("file", exc.message, params=exc.params)],
            params=exc.params,
        ) from None
    async with transaction():
        await store_budget(actor, access, rows, "application.budget_uploaded")
    return await data.application_out(access)
