"""Formative evaluation: PDSA cycles of a project (numbered, each with its Plan, Do, Study and
Act), and the project page's PDSA section with the measures and their run charts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from klynge import audit
from klynge.apps import Section
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Invalid, NotFound
from klynge.i18n import N_
from klynge.views.common import Form
from projects.tables import Project
from projects.workspace import pdsa_forms as forms
from projects.workspace import pdsa_measures as measures
from projects.workspace import pdsa_rules as rules
from projects.workspace import pdsa_schemas as s
from projects.workspace.access import Access, require_edit, require_see
from projects.workspace.loading import load_access
from projects.workspace.tables import Measure, PdsaCycle

NO_CYCLE = N_("No such PDSA cycle.")
TEMPLATE = "projects/workspace/_pdsa.html"
FIELDS = (
    "title",
    "change_idea",
    "prediction",
    "done_what",
    "started_on",
    "ended_on",
    "study",
    "learned",
    "decision",
    "next_test",
)


def _out(row: Mapping[str, Any], measure_ids: list[int], latest: int) -> s.CycleOut:
    return s.CycleOut(
        id=row["id"],
        project_id=row["project"],
        number=row["number"],
        title=row["title"],
        change_idea=row["change_idea"],
        prediction=row["prediction"],
        measure_ids=measure_ids,
        done_what=row["done_what"],
        started_on=row["started_on"],
        ended_on=row["ended_on"],
        study=row["study"],
        learned=row["learned"],
        decision=row["decision"],
        next_test=row["next_test"],
        phase=rules.current_phase(row),
        may_continue=rules.may_continue(row, latest),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


async def _cycles(project_id: int) -> list[s.CycleOut]:
    rows = (
        await PdsaCycle.select().where(PdsaCycle.project == project_id).order_by(PdsaCycle.number)
    )
    links = await Measure.select(Measure.id, Measure.cycle).where(
        (Measure.project == project_id) & Measure.cycle.is_not_null()
    )
    by_cycle: dict[int, list[int]] = {}
    for link in links:
        by_cycle.setdefault(link["cycle"], []).append(link["id"])
    latest = max((r["number"] for r in rows), default=0)
    return [_out(r, sorted(by_cycle.get(r["id"], [])), latest) for r in rows]


async def list_cycles(actor: Principal | None, project_id: int) -> list[s.CycleOut]:
    access = await load_access(actor, project_id)
    require_see(access)
    return await _cycles(project_id)


async def _load_cycle(project_id: int, cycle_id: int) -> dict[str, Any]:
    row = await (
        PdsaCycle.select()
        .where((PdsaCycle.id == cycle_id) & (PdsaCycle.project == project_id))
        .first()
    )
    if row is None:
        raise NotFound(NO_CYCLE)
    return row


async def _link_measures(project_id: int, cycle_id: int, measure_ids: list[int]) -> None:
    """The cycle follows exactly these measures (each measure names one cycle: the latest
    that chose it)."""
    known = await measures.project_measure_ids(project_id)
    unknown = [m for m in measure_ids if m not in known]
    if unknown:
        msg = N_("Choose measures of this project.")
        raise Invalid(N_("Some fields need attention."), [FieldError("measure_ids", msg)])
    await Measure.update({Measure.cycle: None}).where(
        (Measure.project == project_id) & (Measure.cycle == cycle_id)
    )
    if measure_ids:
        await Measure.update({Measure.cycle: cycle_id}).where(
            (Measure.project == project_id) & Measure.id.is_in(measure_ids)
        )


async def _insert_cycle(
    actor: Principal, access: Access, data: s.CycleCreate, *, action: str = "pdsa.cycle_created"
) -> s.CycleOut:
    project_id = access.project_id
    async with transaction():
        last = await (
            PdsaCycle.select(PdsaCycle.number)
            .where(PdsaCycle.project == project_id)
            .order_by(PdsaCycle.number, ascending=False)
            .first()
        )
        number = 1 if last is None else int(last["number"]) + 1
        inserted = await PdsaCycle.insert(
            PdsaCycle(
                project=project_id,
                number=number,
                title=data.title.strip(),
                change_idea=data.change_idea,
                prediction=data.prediction,
                created_by=actor.account_id,
            )
        ).returning(PdsaCycle.id)
        cycle_id = int(inserted[0]["id"])
        await _link_measures(project_id, cycle_id, list(dict.fromkeys(data.measure_ids)))
        after = {"number": number, "title": data.title, "change_idea": data.change_idea}
        await audit.record(
            actor, action, "pdsa_cycle", cycle_id, cluster_id=access.cluster_id, after=after
        )
    return next(c for c in await _cycles(project_id) if c.id == cycle_id)


async def create_cycle(actor: Principal, project_id: int, data: s.CycleCreate) -> s.CycleOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    return await _insert_cycle(actor, access, data)


async def update_cycle(
    actor: Principal, project_id: int, cycle_id: int, data: s.CycleUpdate
) -> s.CycleOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    async with transaction():
        row = await _load_cycle(project_id, cycle_id)
        changes = {name: getattr(data, name) for name in FIELDS if getattr(data, name) is not None}
        merged = {**row, **changes}
        problems = rules.date_problems(merged["started_on"], merged["ended_on"])
        if problems:
            raise Invalid(N_("Some fields need attention."), problems)
        if changes:
            values = {getattr(PdsaCycle, k): v for k, v in changes.items()}
            values[PdsaCycle.updated_at] = dt.datetime.now(dt.UTC)
            await PdsaCycle.update(values).where(PdsaCycle.id == cycle_id)
        if data.measure_ids is not None:
            await _link_measures(project_id, cycle_id, list(dict.fromkeys(data.measure_ids)))
            changes["measure_ids"] = data.measure_ids
        before = {k: row[k] for k in changes if k in row}
        await audit.record(
            actor,
            "pdsa.cycle_updated",
            "pdsa_cycle",
            cycle_id,
            cluster_id=access.cluster_id,
            before=before,
            after=changes,
        )
    return next(c for c in await _cycles(project_id) if c.id == cycle_id)


async def start_next_cycle(actor: Principal, project_id: int, cycle_id: int) -> s.CycleOut:
    """After adopt/adapt on the latest cycle: the next cycle, its change idea the next test and
    its measures those of the cycle before."""
    access = await load_access(actor, project_id)
    require_edit(access)
    cycles = await _cycles(project_id)
    previous = next((c for c in cycles if c.id == cycle_id), None)
    if previous is None:
        raise NotFound(NO_CYCLE)
    if not previous.may_continue:
        raise Conflict(
            N_(
                "A next cycle starts from the latest cycle after the decision to adopt or "
                "adapt, with what the next cycle tests written down."
            )
        )
    data = s.CycleCreate(change_idea=previous.next_test, measure_ids=previous.measure_ids)
    return await _insert_cycle(actor, access, data, action="pdsa.cycle_continued")


async def _context(access: Access, failed: Form | None = None) -> dict[str, Any]:
    cycles = await _cycles(access.project_id)
    charts = await measures.measure_charts(access.project_id, cycles)
    return {
        "visible": True,
        "project_id": access.project_id,
        "may_edit": access.edit,
        "cycles": cycles,
        "measures": charts,
        "forms": forms.section_forms(cycles, [c.measure.id for c in charts], failed),
    }


async def section(actor: Principal | None, access: Access) -> Section:
    """The project page's PDSA section: the cycles in sequence, the measures with their run
    charts, and the forms for the team."""
    if not access.see:
        return Section(TEMPLATE, {"visible": False})
    return Section(TEMPLATE, await _context(access))


async def page(
    actor: Principal, project_id: int, failed: Form | None = None
) -> tuple[str, Section]:
    """The PDSA page of a project (its title and the section), where a form that failed is
    shown again with its problems."""
    access = await load_access(actor, project_id)
    require_see(access)
    row = await Project.select(Project.title).where(Project.id == project_id).first()
    title = "" if row is None else str(row["title"])
    return title, Section(TEMPLATE, await _context(access, failed))
