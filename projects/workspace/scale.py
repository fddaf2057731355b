"""Project workspaces for the national-scale demo: participants (the group and its leader, the
municipalities with their coordinators, the asking service, a youth council by role), co-design
sessions with actions, the plan, PDSA cycles with measures and values, and the approvals."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from klynge.scale.context import ScaleContext
from projects.workspace.tables import (
    Approval,
    CodesignSession,
    Measure,
    MeasureValue,
    Participant,
    PdsaCycle,
    PlanItem,
    ProjectAction,
)

if TYPE_CHECKING:
    from projects.scale import ProjectPlan

APPROVALS = ("rek", "data_protection", "confidentiality", "consent", "owner")
STARTED = ("running", "completed", "stopped")
PLAN = (
    ("goal", "Bedre hjelp til målgruppen gjennom samskapt kunnskap"),
    ("work_package", "Kartlegging og samskaping med tjenestene"),
    ("milestone", "Kartlegging ferdig"),
    ("work_package", "Utprøving og evaluering"),
    ("milestone", "Utprøving ferdig"),
    ("deliverable", "Sluttrapport og anbefalinger til kommunene"),
)
MEASURES = (
    ("Andel elever med over 10 % fravær", "outcome", "%", "down"),
    ("Antall samarbeidsmøter per måned", "process", "møter", "up"),
    ("Ventetid til første samtale", "balancing", "dager", "down"),
)


def _participants(ctx: ScaleContext, plan: ProjectPlan, rows: list[tuple[Any, ...]]) -> None:
    need = plan.needs[0]
    at = dt.datetime.combine(plan.starts_on, dt.time(9), dt.UTC)
    rows.append(
        (plan.id, "research_group", plan.group.id, None, None, plan.leader, "leader", "", at)
    )
    for m in plan.municipalities:
        rows.append((plan.id, "municipality", None, m, None, ctx.coordinators.get(m), "", "", at))
    service = next(
        (s for s in ctx.services_of(need["municipality"]) if s.id == need["service"]), None
    )
    if service:
        rows.append((plan.id, "service", None, None, service.id, service.leader, "", "", at))
    youth = ctx.user_representatives.get(need["municipality"])
    label = f"Ungdomsrådet i {ctx.municipality_names[need['municipality']]}"
    rows.append((plan.id, "user_representative", None, None, None, youth, "youth", label, at))


def _plan_items(plan: ProjectPlan, ids: range, now: dt.date) -> list[tuple[Any, ...]]:
    rows = []
    parent = None
    for n, ((kind, title), item) in enumerate(zip(PLAN, ids, strict=True)):
        due = plan.starts_on + dt.timedelta(days=120 * (n + 1))
        status = "done" if due < now and plan.status in STARTED else "planned"
        if kind == "work_package":
            parent = item
        owner = parent if kind in ("milestone", "deliverable") else None
        rows.append((item, plan.id, kind, owner, title, plan.starts_on, due, status, n))
    return rows


def _pdsa(
    plan: ProjectPlan,
    rng: random.Random,
    cycles: list[tuple[Any, ...]],
    measures: list[tuple[Any, ...]],
    values: list[tuple[Any, ...]],
    ids: dict[str, range],
) -> None:
    for n in range(2):
        cycle, measure = ids["cycle"][n], ids["measure"][n]
        start = plan.starts_on + dt.timedelta(days=60 + 90 * n)
        decision = ("adopt", "adapt")[n] if plan.status == "completed" else ""
        cycles.append(
            (
                cycle,
                plan.id,
                n + 1,
                f"Syklus {n + 1}: fast kontaktperson",
                "Fast kontaktperson for hver elev med høyt fravær",
                "Fraværet går ned",
                start,
                start + dt.timedelta(days=60),
                decision,
                plan.leader,
            )
        )
        name, kind, unit, better = MEASURES[n % len(MEASURES)]
        base = rng.uniform(8, 20)
        measures.append((measure, plan.id, cycle, name, kind, unit, better, round(base, 1)))
        for week in range(10):
            value = base * (1 - 0.02 * week) + rng.gauss(0, 1.2)
            values.append((measure, start + dt.timedelta(days=7 * week), round(value, 1)))


class _Rows:
    def __init__(self) -> None:
        self.participants: list[tuple[Any, ...]] = []
        self.sessions: list[tuple[Any, ...]] = []
        self.actions: list[tuple[Any, ...]] = []
        self.items: list[tuple[Any, ...]] = []
        self.approvals: list[tuple[Any, ...]] = []
        self.cycles: list[tuple[Any, ...]] = []
        self.measures: list[tuple[Any, ...]] = []
        self.values: list[tuple[Any, ...]] = []


def _approvals(plan: ProjectPlan, rows: _Rows) -> None:
    done = plan.status in STARTED
    for kind in APPROVALS:
        reference = "Sikt 123456" if kind == "data_protection" else ""
        status = "approved" if done else "applied"
        decided = plan.starts_on if done else None
        rows.approvals.append((plan.id, kind, True, status, reference, decided, plan.leader))


def _sessions(ctx: ScaleContext, plan: ProjectPlan, ids: range, rows: _Rows) -> None:
    today = ctx.now.date()
    for k, session in enumerate(ids):
        held = plan.starts_on + dt.timedelta(days=30 + 150 * k)
        attendance = {"leaders": 2, "employees": 4, "researchers": 2}
        rows.sessions.append(
            (session, plan.id, held, "in_person", "Rådhuset", attendance, 2,
             "Samskaping av tiltaket", "Neste steg avtalt", plan.leader)
        )  # fmt: skip
        owner = ctx.coordinators.get(plan.municipalities[0], plan.leader)
        due = held + dt.timedelta(days=21)
        done = ctx.now if held < today else None
        rows.actions.append(
            (plan.id, session, "Følge opp avtalene fra samlingen", owner, due, done)
        )


async def write_workspaces(ctx: ScaleContext, plans: list[ProjectPlan], rng: random.Random) -> None:
    w, rows = ctx.writer, _Rows()
    plan_ids = await w.ids(PlanItem, len(plans) * len(PLAN))
    started = [p for p in plans if p.status in STARTED]
    session_ids = await w.ids(CodesignSession, len(started) * 2)
    cycle_ids = await w.ids(PdsaCycle, len(started) * 2)
    measure_ids = await w.ids(Measure, len(started) * 2)
    for n, plan in enumerate(plans):
        _participants(ctx, plan, rows.participants)
        rows.items += _plan_items(
            plan, plan_ids[n * len(PLAN) : (n + 1) * len(PLAN)], ctx.now.date()
        )
        _approvals(plan, rows)
    for n, plan in enumerate(started):
        _sessions(ctx, plan, session_ids[2 * n : 2 * n + 2], rows)
        ids = {"cycle": cycle_ids[2 * n : 2 * n + 2], "measure": measure_ids[2 * n : 2 * n + 2]}
        _pdsa(plan, rng, rows.cycles, rows.measures, rows.values, ids)
    await _write(ctx, rows)
    ctx.progress(
        f"projects: {len(rows.participants):,} participants, {len(rows.values):,} PDSA values"
    )


PARTICIPANT_COLUMNS = (
    "project", "kind", "group", "municipality", "service", "account", "role", "label", "created_at",
)  # fmt: skip
SESSION_COLUMNS = (
    "id", "project", "held_on", "mode", "place", "attendance", "user_representatives", "agenda",
    "decisions", "created_by",
)  # fmt: skip
ACTION_COLUMNS = ("project", "session", "title", "owner", "due", "done_at")
ITEM_COLUMNS = (
    "id",
    "project",
    "kind",
    "parent",
    "title",
    "starts_on",
    "due",
    "status",
    "position",
)
APPROVAL_COLUMNS = (
    "project",
    "kind",
    "required",
    "status",
    "reference",
    "decided_on",
    "updated_by",
)
CYCLE_COLUMNS = (
    "id", "project", "number", "title", "change_idea", "prediction", "started_on", "ended_on",
    "decision", "created_by",
)  # fmt: skip
MEASURE_COLUMNS = ("id", "project", "cycle", "name", "kind", "unit", "better", "baseline")


async def _write(ctx: ScaleContext, rows: _Rows) -> None:
    w = ctx.writer
    await w.add(Participant, PARTICIPANT_COLUMNS, rows.participants)
    await w.copy(CodesignSession, SESSION_COLUMNS, rows.sessions)
    await w.add(ProjectAction, ACTION_COLUMNS, rows.actions)
    await w.copy(PlanItem, ITEM_COLUMNS, rows.items)
    await w.add(Approval, APPROVAL_COLUMNS, rows.approvals)
    await w.copy(PdsaCycle, CYCLE_COLUMNS, rows.cycles)
    await w.copy(Measure, MEASURE_COLUMNS, rows.measures)
    await w.add(MeasureValue, ("measure", "measured_on", "value"), rows.values)
