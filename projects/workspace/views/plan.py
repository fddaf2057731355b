"""The project plan in the browser: adding and editing plan items, and a quick status change
from the plan table."""

from __future__ import annotations

from typing import Any

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.i18n import N_
from klynge.views.common import Form, form_failed, form_values, parse, render, see_other, text
from projects.workspace import codesign_actions as actions
from projects.workspace import plan
from projects.workspace import plan_schemas as s

FIELDS = ("kind", "title", "description", "parent_id", "starts_on", "due", "status", "position")
MESSAGES = {
    "kind": N_("Choose what kind of item this is."),
    "title": N_("Write a title."),
    "starts_on": N_("Give the date as YYYY-MM-DD."),
    "due": N_("Give the date as YYYY-MM-DD."),
    "status": N_("Choose a status."),
    "position": N_("Give the order as a whole number, 0 or more."),
    "parent_id": N_("Choose a work package of this project."),
}


def _body(data: dict[str, Any]) -> dict[str, Any]:
    body = {name: text(data, name) for name in FIELDS}
    body["description"] = text(data, "description", strip=False).strip()
    return body


def _values(item: s.PlanItemOut) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "title": item.title,
        "description": item.description,
        "parent_id": str(item.parent_id or ""),
        "starts_on": item.starts_on.isoformat() if item.starts_on else "",
        "due": item.due.isoformat() if item.due else "",
        "status": item.status.value,
        "position": str(item.position),
    }


async def _page(
    actor: Principal, project_id: int, form: Form, item_id: int | None, status: int = 200
) -> Template:
    head = await actions.project_head(actor, project_id)
    current = await plan.get_plan(actor, project_id)
    base = f"/prosjekter/{project_id}/plan"
    return render(
        "projects/workspace/plan_item_form.html",
        status=status,
        project=head,
        form=form,
        failed=form if form.failed else None,
        item_id=item_id,
        action=f"{base}/{item_id}/endre" if item_id else f"{base}/ny",
        kinds=list(plan.KIND_LABELS.items()),
        statuses=list(plan.STATUS_LABELS.items()),
        packages=[(i.id, i.title) for i in current.items if i.kind == "work_package"],
    )


@get(
    "/prosjekter/{project_id:int}/plan/ny",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="plan_item_new",
)
async def item_new(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    kind: FromQuery[str | None] = None,
) -> Template:
    chosen = kind if kind in plan.KIND_LABELS else "milestone"
    values = {"kind": chosen, "status": "planned", "position": "0"}
    return await _page(actor, project_id, Form("plan", FIELDS, values), None)


@post(
    "/prosjekter/{project_id:int}/plan/ny",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="plan_item_create",
)
async def item_create(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("plan", FIELDS, form_values(data))
    try:
        out = await plan.create_item(
            actor, project_id, parse(s.PlanItemCreate, _body(data), MESSAGES)
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, project_id, form.fail(exc), None, exc.status)
    return see_other(
        f"/prosjekter/{project_id}", notice="projects.plan-item-saved", fragment=f"plan-{out.id}"
    )


@get(
    "/prosjekter/{project_id:int}/plan/{item_id:int}/endre",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="plan_item_edit",
)
async def item_edit(
    actor: NamedDependency[Principal], project_id: FromPath[int], item_id: FromPath[int]
) -> Template:
    item = await plan.get_item(actor, project_id, item_id)
    return await _page(actor, project_id, Form("plan", FIELDS, _values(item)), item_id)


def _update(data: dict[str, Any]) -> s.PlanItemUpdate:
    """The edit form sends every field: an empty optional field clears it."""
    body = _body(data)
    body.pop("kind", None)
    clear = [name for name in ("parent_id", "starts_on", "due") if not body.get(name)]
    parsed = parse(s.PlanItemUpdate, body, MESSAGES)
    parsed.clear = [s.Clearable(name) for name in clear]
    return parsed


@post(
    "/prosjekter/{project_id:int}/plan/{item_id:int}/endre",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="plan_item_update",
)
async def item_update(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    item_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("plan", FIELDS, form_values(data))
    try:
        await plan.update_item(actor, project_id, item_id, _update(data))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, project_id, form.fail(exc), item_id, exc.status)
    return see_other(
        f"/prosjekter/{project_id}", notice="projects.plan-item-saved", fragment=f"plan-{item_id}"
    )


@post(
    "/prosjekter/{project_id:int}/plan/{item_id:int}/status",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="plan_item_status",
)
async def item_status(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    item_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Redirect:
    update = parse(s.PlanItemUpdate, {"status": text(data, "status")}, MESSAGES)
    await plan.update_item(actor, project_id, item_id, update)
    return see_other(
        f"/prosjekter/{project_id}", notice="projects.plan-item-saved", fragment=f"plan-{item_id}"
    )


HANDLERS: list[Any] = [item_new, item_create, item_edit, item_update, item_status]
