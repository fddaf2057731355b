"""The project plan: goals, work packages, milestones and deliverables with dates and status;
its timeline (geometry in `timeline`) and the project page's plan section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from klynge import audit
from klynge.apps import Section
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import FieldError, Invalid, NotFound
from klynge.i18n import N_
from projects.workspace import plan_rules as rules
from projects.workspace import plan_schemas as s
from projects.workspace import timeline
from projects.workspace.access import Access, require_edit, require_see
from projects.workspace.loading import load_access
from projects.workspace.tables import PlanItem

NO_ITEM = N_("No such plan item.")
CHECK_FIELDS = N_("Some fields need attention.")

KIND_LABELS = {
    "goal": N_("Goal"),
    "work_package": N_("Work package"),
    "milestone": N_("Milestone"),
    "deliverable": N_("Deliverable"),
}
STATUS_LABELS = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
}
KIND_ORDER = {k: i for i, k in enumerate(KIND_LABELS)}


def _item_out(row: Mapping[str, Any], today: dt.date) -> s.PlanItemOut:
    return s.PlanItemOut(
        id=row["id"],
        project_id=row["project"],
        kind=rules.Kind(row["kind"]),
        title=row["title"],
        description=row["description"],
        parent_id=row["parent"],
        starts_on=row["starts_on"],
        due=row["due"],
        status=rules.Status(row["status"]),
        position=row["position"],
        overdue=rules.is_overdue(row["due"], row["status"], today),
        overdue_notified_at=row["overdue_notified_at"],
        updated_at=row["updated_at"],
    )


async def project_plan(project_id: int, today: dt.date | None = None) -> s.PlanOut:
    today = today or dt.date.today()
    rows = await PlanItem.select().where(PlanItem.project == project_id)
    items = sorted(
        (_item_out(r, today) for r in rows),
        key=lambda i: (
            KIND_ORDER[i.kind],
            i.position,
            i.starts_on or i.due or dt.date.max,
            i.id,
        ),
    )
    return s.PlanOut(
        project_id=project_id,
        today=today,
        items=items,
        overdue=sum(1 for i in items if i.overdue),
    )


async def get_plan(actor: Principal | None, project_id: int) -> s.PlanOut:
    access = await load_access(actor, project_id)
    require_see(access)
    return await project_plan(project_id)


async def get_item(actor: Principal | None, project_id: int, item_id: int) -> s.PlanItemOut:
    access = await load_access(actor, project_id)
    require_see(access)
    return await _one(project_id, item_id)


async def _one(project_id: int, item_id: int) -> s.PlanItemOut:
    row = await (
        PlanItem.select().where((PlanItem.id == item_id) & (PlanItem.project == project_id)).first()
    )
    if row is None:
        raise NotFound(NO_ITEM)
    return _item_out(row, dt.date.today())


async def _check(
    project_id: int,
    item_id: int | None,
    kind: str,
    parent_id: int | None,
    starts_on: dt.date | None,
    due: dt.date | None,
) -> None:
    parent_kind: str | None = None
    if parent_id is not None:
        row = await (
            PlanItem.select(PlanItem.kind)
            .where((PlanItem.id == parent_id) & (PlanItem.project == project_id))
            .first()
        )
        parent_kind = "" if row is None or parent_id == item_id else str(row["kind"])
    problems = rules.check_item(kind, parent_kind, starts_on, due)
    if problems:
        raise Invalid(CHECK_FIELDS, [FieldError(p.field, p.message) for p in problems])


async def create_item(actor: Principal, project_id: int, data: s.PlanItemCreate) -> s.PlanItemOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    await _check(project_id, None, data.kind, data.parent_id, data.starts_on, data.due)
    values = {
        "kind": str(data.kind),
        "title": data.title.strip(),
        "description": data.description,
        "parent": data.parent_id,
        "starts_on": data.starts_on,
        "due": data.due,
        "status": str(data.status),
        "position": data.position,
    }
    async with transaction():
        inserted = await PlanItem.insert(PlanItem(project=project_id, **values)).returning(
            PlanItem.id
        )
        item_id = int(inserted[0]["id"])
        await audit.record(
            actor, "create", "plan_item", item_id, cluster_id=access.cluster_id, after=values
        )
    return await _one(project_id, item_id)


def _changes(before: s.PlanItemOut, data: s.PlanItemUpdate) -> dict[str, Any]:
    """Column -> new value for what the update really changes."""
    wanted: dict[str, Any] = {}
    for name, column in (
        ("title", "title"),
        ("description", "description"),
        ("parent_id", "parent"),
        ("starts_on", "starts_on"),
        ("due", "due"),
        ("status", "status"),
        ("position", "position"),
    ):
        value = getattr(data, name)
        if name in data.clear:
            value = None
        elif value is None:
            continue
        value = value.value if isinstance(value, rules.Status) else value
        old = getattr(before, name)
        if (old.value if isinstance(old, rules.Status) else old) != value:
            wanted[column] = value
    return wanted


async def update_item(
    actor: Principal, project_id: int, item_id: int, data: s.PlanItemUpdate
) -> s.PlanItemOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    before = await _one(project_id, item_id)
    changes = _changes(before, data)
    if not changes:
        return before
    parent = changes.get("parent", before.parent_id)
    starts_on = changes.get("starts_on", before.starts_on)
    due = changes.get("due", before.due)
    await _check(project_id, item_id, before.kind, parent, starts_on, due)
    if "due" in changes:
        # A new due date is a new promise: if it falls overdue again, say so again.
        changes["overdue_notified_at"] = None
    changes["updated_at"] = dt.datetime.now(dt.UTC)
    async with transaction():
        await PlanItem.update(changes).where(PlanItem.id == item_id)
        old = {k: getattr(before, "parent_id" if k == "parent" else k, None) for k in changes}
        await audit.record(
            actor,
            "update",
            "plan_item",
            item_id,
            cluster_id=access.cluster_id,
            before=old,
            after=changes,
        )
    return await _one(project_id, item_id)


def timeline_of(plan: s.PlanOut) -> timeline.Timeline:
    return timeline.build(
        [
            timeline.Entry(i.id, i.kind.value, i.title, i.parent_id, i.starts_on, i.due, i.status)
            for i in plan.items
        ],
        plan.today,
    )


async def section(actor: Principal | None, access: Access) -> Section:
    """The project page's plan section: overdue badge, the timeline and the plan as a table."""
    plan = await project_plan(access.project_id)
    return Section(
        "projects/workspace/_plan.html",
        {
            "plan": plan,
            "plan_timeline": timeline_of(plan),
            "plan_titles": {i.id: i.title for i in plan.items},
            "plan_may_edit": access.edit,
            "plan_project_id": access.project_id,
            "plan_kind_labels": KIND_LABELS,
            "plan_status_labels": STATUS_LABELS,
        },
    )
