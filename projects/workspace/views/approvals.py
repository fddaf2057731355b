"""The status box and the approvals checklist in the browser: the forms post here and go back to
the project page; a page of its own (/prosjekter/{id}/godkjenninger) shows a form again with
its problems."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.i18n import gettext as _
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)
from projects.workspace import approvals, transitions
from projects.workspace import approvals_schemas as s

ITEM_FIELDS = ("status", "reference", "decided_on", "document_id")
DECISION_FIELDS = ("required", "required_reason")
ADD_FIELDS = ("label", "required", "required_reason")


def _messages() -> dict[str, str]:
    return {
        "status": _("Choose a status."),
        "decided_on": _("Write the date as YYYY-MM-DD."),
        "document_id": _("Choose one of the project's documents."),
        "required": _("Choose whether the item is required."),
        "required_reason": _("Write why the item is or is not required."),
        "label": _("Write the name of the approval."),
        "to": _("Choose a status."),
    }


def _back(project_id: int, notice: str, anchor: str = "godkjenninger") -> Redirect:
    return see_other(f"/prosjekter/{project_id}", notice=f"projects.{notice}", fragment=anchor)


async def _page(
    actor: Principal,
    project_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    data = await approvals.page(actor, project_id)
    return render(
        "projects/workspace/approvals_page.html",
        failed=failed,
        notice=notice,
        here=f"/prosjekter/{project_id}/godkjenninger",
        status=status,
        **data,
    )


@get(
    "/prosjekter/{project_id:int}/godkjenninger",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_approvals",
)
async def approvals_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], project_id: FromPath[int]
) -> Template:
    notice = notice_text(request.query_params.get("notice"))
    return await _page(actor, project_id, notice=notice)


@post(
    "/prosjekter/{project_id:int}/status",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_status",
)
async def status_change(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Redirect:
    body = {"to": text(data, "to"), "reason": text(data, "reason", strip=False)}
    try:
        await transitions.transition(
            actor, project_id, parse(s.TransitionRequest, body, _messages())
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        refused = "lifecycle-reason-needed" if body["to"] == "stopped" else "lifecycle-refused"
        return _back(project_id, refused, "prosjektstatus")
    return _back(project_id, "lifecycle-changed", "prosjektstatus")


async def _save(
    actor: Principal,
    project_id: int,
    form: Form,
    call: Any,
) -> Template | Redirect:
    try:
        await call
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, project_id, failed=form.fail(exc), status=exc.status)
    return _back(project_id, "approvals-saved")


@post(
    "/prosjekter/{project_id:int}/godkjenninger/{approval_id:int}",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_approval_update",
)
async def approval_update(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    approval_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form(f"approval-{approval_id}", ITEM_FIELDS, values=form_values(data))
    body: dict[str, Any] = {name: text(data, name) for name in ITEM_FIELDS}
    body["clear"] = [name for name in ("decided_on", "document_id") if not body[name]]
    try:
        update = parse(s.ApprovalUpdate, body, _messages())
    except DomainError as exc:
        return await _page(actor, project_id, failed=form.fail(exc), status=exc.status)
    call = approvals.update_approval(actor, project_id, approval_id, update)
    return await _save(actor, project_id, form, call)


@post(
    "/prosjekter/{project_id:int}/godkjenninger/{approval_id:int}/krav",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_approval_decide",
)
async def approval_decide(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    approval_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form(f"decision-{approval_id}", DECISION_FIELDS, values=form_values(data))
    body = {name: text(data, name, strip=False).strip() for name in DECISION_FIELDS}
    try:
        update = parse(s.ApprovalUpdate, body, _messages())
    except DomainError as exc:
        return await _page(actor, project_id, failed=form.fail(exc), status=exc.status)
    call = approvals.update_approval(actor, project_id, approval_id, update)
    return await _save(actor, project_id, form, call)


@post(
    "/prosjekter/{project_id:int}/godkjenninger",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_approval_create",
)
async def approval_create(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("approval-new", ADD_FIELDS, values=form_values(data))
    body = {name: text(data, name, strip=False).strip() for name in ADD_FIELDS}
    try:
        create = parse(s.ApprovalCreate, body, _messages())
    except DomainError as exc:
        return await _page(actor, project_id, failed=form.fail(exc), status=exc.status)
    return await _save(actor, project_id, form, approvals.add_approval(actor, project_id, create))


HANDLERS: list[Any] = [
    approvals_page,
    status_change,
    approval_update,
    approval_decide,
    approval_create,
]
