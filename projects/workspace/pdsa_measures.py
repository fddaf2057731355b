"""Measures a project follows (outcome, process, balancing), their values over time and their
run charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import FieldError, Invalid, NotFound
from klynge.i18n import N_
from projects.workspace import pdsa_chart as chart
from projects.workspace import pdsa_rules as rules
from projects.workspace import pdsa_schemas as s
from projects.workspace.access import Access, require_edit, require_see
from projects.workspace.loading import load_access
from projects.workspace.tables import Measure, MeasureValue, PdsaCycle

NO_MEASURE = N_("No such measure.")
MAX_VALUES = 2000  # per measure: a run chart of years of weekly values fits easily


async def project_measure_ids(project_id: int) -> set[int]:
    rows = await Measure.select(Measure.id).where(Measure.project == project_id)
    return {int(r["id"]) for r in rows}


def _measure_out(row: Mapping[str, Any], values: list[s.ValueOut]) -> s.MeasureOut:
    return s.MeasureOut(
        id=row["id"],
        project_id=row["project"],
        name=row["name"],
        kind=row["kind"],
        unit=row["unit"],
        better=row["better"],
        baseline=row["baseline"],
        cycle_id=row["cycle"],
        values=values,
    )


async def _measures(project_id: int, measure_id: int | None = None) -> list[s.MeasureOut]:
    where = Measure.project == project_id
    if measure_id is not None:
        where = where & (Measure.id == measure_id)
    rows = await Measure.select().where(where).order_by(Measure.id)
    ids = [r["id"] for r in rows]
    values = await (
        MeasureValue.select()
        .where(MeasureValue.measure.is_in(ids or [-1]))
        .order_by(MeasureValue.measured_on)
        .order_by(MeasureValue.id)
    )
    by_measure: dict[int, list[s.ValueOut]] = {}
    for v in values:
        by_measure.setdefault(v["measure"], []).append(
            s.ValueOut(v["id"], v["measured_on"], float(v["value"]), v["note"])
        )
    return [_measure_out(r, by_measure.get(r["id"], [])) for r in rows]


async def _one(project_id: int, measure_id: int) -> s.MeasureOut:
    found = await _measures(project_id, measure_id)
    if not found:
        raise NotFound(NO_MEASURE)
    return found[0]


async def list_measures(actor: Principal | None, project_id: int) -> list[s.MeasureOut]:
    access = await load_access(actor, project_id)
    require_see(access)
    return await _measures(project_id)


async def create_measure(actor: Principal, project_id: int, data: s.MeasureCreate) -> s.MeasureOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    async with transaction():
        if data.cycle_id is not None:
            cycle = await (
                PdsaCycle.select(PdsaCycle.id)
                .where((PdsaCycle.id == data.cycle_id) & (PdsaCycle.project == project_id))
                .first()
            )
            if cycle is None:
                msg = N_("Choose a cycle of this project.")
                raise Invalid(N_("Some fields need attention."), [FieldError("cycle_id", msg)])
        inserted = await Measure.insert(
            Measure(
                project=project_id,
                cycle=data.cycle_id,
                name=data.name.strip(),
                kind=data.kind,
                unit=data.unit.strip(),
                better=data.better,
                baseline=data.baseline,
            )
        ).returning(Measure.id)
        measure_id = int(inserted[0]["id"])
        await audit.record(
            actor,
            "pdsa.measure_created",
            "pdsa_measure",
            measure_id,
            cluster_id=access.cluster_id,
            after={"name": data.name, "kind": data.kind, "baseline": data.baseline},
        )
    return await _one(project_id, measure_id)


async def _insert_values(
    actor: Principal, access: Access, measure_id: int, items: Sequence[rules.Pasted]
) -> s.MeasureOut:
    async with transaction():
        measure = await _one(access.project_id, measure_id)
        if len(measure.values) + len(items) > MAX_VALUES:
            raise Invalid(
                N_("A measure holds at most %(count)s values."), params={"count": MAX_VALUES}
            )
        await MeasureValue.insert(
            *[
                MeasureValue(
                    measure=measure_id, measured_on=i.measured_on, value=i.value, note=i.note
                )
                for i in items
            ]
        )
        await audit.record(
            actor,
            "pdsa.values_added",
            "pdsa_measure",
            measure_id,
            cluster_id=access.cluster_id,
            after={"values": [[i.measured_on.isoformat(), i.value, i.note] for i in items]},
        )
    return await _one(access.project_id, measure_id)


async def add_value(
    actor: Principal, project_id: int, measure_id: int, data: s.ValueIn
) -> s.MeasureOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    item = rules.Pasted(data.measured_on, data.value, data.note.strip())
    return await _insert_values(actor, access, measure_id, [item])


async def paste_values(
    actor: Principal, project_id: int, measure_id: int, data: s.ValuesPaste
) -> s.MeasureOut:
    """Values pasted as "date;value[;note]" lines; nothing is saved if a line is wrong."""
    access = await load_access(actor, project_id)
    require_edit(access)
    items, problems = rules.parse_lines(data.lines)
    if problems:
        raise Invalid(N_("Some lines could not be read."), problems)
    return await _insert_values(actor, access, measure_id, items)


async def run_chart(
    actor: Principal | None, project_id: int, measure_id: int, baseline_points: int | None
) -> s.RunChartOut:
    access = await load_access(actor, project_id)
    require_see(access)
    measure = await _one(project_id, measure_id)
    values = sorted(measure.values, key=lambda v: (v.measured_on, v.id))
    _, out = chart.run_chart(
        measure_id,
        measure.better,
        [v.measured_on for v in values],
        [v.value for v in values],
        baseline_points,
    )
    return out


async def measure_charts(project_id: int, cycles: Sequence[s.CycleOut]) -> list[chart.ChartView]:
    """Every measure of the project with what its run chart shows (for the page section)."""
    return [chart.chart_view(m, cycles) for m in await _measures(project_id)]
