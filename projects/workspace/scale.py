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


async def write_workspaces(ctx: ScaleContext, plans: list[ProjectPlan], rng: random.Random) -> None:
    w, today = ctx.writer, ctx.now.date()
    participants: list[tuple[Any, ...]] = []
    sessions, actions, items, approvals = [], [], [], []
    cycles: list[tuple[Any, ...]] = []
    measures: list[tuple[Any, ...]] = []
    values: list[tuple[Any, ...]] = []
    plan_ids = await w.ids(PlanItem, len(plans) * len(PLAN))
    started = [p for p in plans if p.status in STARTED]
    session_ids = await w.ids(CodesignSession, len(started) * 2)
    cycle_ids = await w.ids(PdsaCycle, len(started) * 2)
    measure_ids = await w.ids(Measure, len(started) * 2)
    for n, plan in enumerate(plans):
        _participants(ctx, plan, participants)
        items += _plan_items(plan, plan_ids[n * len(PLAN) : (n + 1) * len(PLAN)], today)
        for kind in APPROVALS:
            done = plan.status in STARTED
            approvals.append(
                (
                    plan.id,
                    kind,
                    True,
                    "approved" if done else "applied",
                    "Sikt 123456" if kind == "data_protection" else "",
                    plan.starts_on if done else None,
                    plan.leader,
                )
            )
    for n, plan in enumerate(started):
        for k in range(2):
            session = session_ids[2 * n + k]
            held = plan.starts_on + dt.timedelta(days=30 + 150 * k)
            sessions.append(
                (
                    session,
                    plan.id,
                    held,
                    "in_person",
                    "Rådhuset",
                    {"leaders": 2, "employees": 4, "researchers": 2},
                    2,
                    "Samskaping av tiltaket",
                    "Neste steg avtalt",
                    plan.leader,
                )
            )
            owner = ctx.coordinators.get(plan.municipalities[0], plan.leader)
            actions.append(
                (
                    plan.id,
                    session,
                    "Følge opp avtalene fra samlingen",
                    owner,
                    held + dt.timedelta(days=21),
                    ctx.now if held < today else None,
                )
            )
        ids = {"cycle": cycle_ids[2 * n : 2 * n + 2], "measure": measure_ids[2 * n : 2 * n + 2]}
        _pdsa(plan, rng, cycles, measures, values, ids)
    await _write(ctx, participants, sessions, actions, items, approvals, (cycles, measures, values))
    ctx.progress(f"projects: {len(participants):,} participants, {len(values):,} PDSA values")


async def _write(
    ctx: ScaleContext,
    participants: list[tuple[Any, ...]],
    sessions: list[tuple[Any, ...]],
    actions: list[tuple[Any, ...]],
    items: list[tuple[Any, ...]],
    approvals: list[tuple[Any, ...]],
    pdsa: tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]],
) -> None:
    w = ctx.writer
    ids = await w.ids(Participant, len(participants))
    await w.copy(
        Participant,
        (
            "id",
            "project",
            "kind",
            "group",
            "municipality",
            "service",
            "account",
            "role",
            "label",
            "created_at",
        ),
        [(i, *r) for i, r in zip(ids, participants, strict=True)],
    )
    await w.copy(
        CodesignSession,
        (
            "id",
            "project",
            "held_on",
            "mode",
            "place",
            "attendance",
            "user_representatives",
            "agenda",
            "decisions",
            "created_by",
        ),
        sessions,
    )
    ids = await w.ids(ProjectAction, len(actions))
    await w.copy(
        ProjectAction,
        ("id", "project", "session", "title", "owner", "due", "done_at"),
        [(i, *r) for i, r in zip(ids, actions, strict=True)],
    )
    await w.copy(
        PlanItem,
        ("id", "project", "kind", "parent", "title", "starts_on", "due", "status", "position"),
        items,
    )
    ids = await w.ids(Approval, len(approvals))
    await w.copy(
        Approval,
        ("id", "project", "kind", "required", "status", "reference", "decided_on", "updated_by"),
        [(i, *r) for i, r in zip(ids, approvals, strict=True)],
    )
    cycles, measures, values = pdsa
    await w.copy(
        PdsaCycle,
        (
            "id",
            "project",
            "number",
            "title",
            "change_idea",
            "prediction",
            "started_on",
            "ended_on",
            "decision",
            "created_by",
        ),
        cycles,
    )
    await w.copy(
        Measure, ("id", "project", "cycle", "name", "kind", "unit", "better", "baseline"), measures
    )
    ids = await w.ids(MeasureValue, len(values))
    await w.copy(
        MeasureValue,
        ("id", "measure", "measured_on", "value"),
        [(i, *r) for i, r in zip(ids, values, strict=True)],
    )
