"""Co-design sessions and follow-up actions in the browser: the session form (new and edit),
the action form, marking an action done, and "My actions"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.i18n import N_
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    safe_next,
    see_other,
    text,
)
from projects.workspace import codesign
from projects.workspace import codesign_actions as actions
from projects.workspace import codesign_schemas as s

SESSION_FIELDS = (
    "held_on",
    "mode",
    "place",
    "agenda",
    "decisions",
    *(f"attendance-{role}" for role in s.ROLES),
)
ACTION_FIELDS = ("title", "owner_id", "due", "session_id")
MESSAGES = {
    "held_on": N_("Give the date as YYYY-MM-DD."),
    "mode": N_("Choose how the session was held."),
    "attendance": N_("Give the number of participants as a whole number, 0 or more."),
    "title": N_("Write what is to be done."),
    "due": N_("Give the date as YYYY-MM-DD."),
    "owner_id": N_("Choose someone who takes part in the project."),
}


def _session_body(data: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {n: text(data, n) for n in ("held_on", "mode", "place")}
    body.update({n: text(data, n, strip=False).strip() for n in ("agenda", "decisions")})
    body["attendance"] = {
        role: value for role in s.ROLES if (value := text(data, f"attendance-{role}"))
    }
    return body


def _session_values(session: s.SessionOut) -> dict[str, Any]:
    values: dict[str, Any] = {
        "held_on": session.held_on.isoformat(),
        "mode": session.mode.value,
        "place": session.place,
        "agenda": session.agenda,
        "decisions": session.decisions,
    }
    counts = msgspec.to_builtins(session.attendance)
    values.update({f"attendance-{role}": str(counts[role]) for role in s.ROLES})
    return values


async def _session_page(
    actor: Principal, project_id: int, form: Form, session_id: int | None, status: int = 200
) -> Template:
    head = await actions.project_head(actor, project_id)
    base = f"/prosjekter/{project_id}/moter"
    return render(
        "projects/workspace/codesign_session_form.html",
        status=status,
        project=head,
        form=form,
        failed=form if form.failed else None,
        session_id=session_id,
        action=f"{base}/{session_id}/endre" if session_id else f"{base}/ny",
        modes=list(codesign.MODE_LABELS.items()),
        roles=[(r, codesign.ROLE_LABELS[r]) for r in s.ROLES],
    )


@get(
    "/prosjekter/{project_id:int}/moter/ny",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="codesign_session_new",
)
async def session_new(actor: NamedDependency[Principal], project_id: FromPath[int]) -> Template:
    values = {"held_on": dt.date.today().isoformat(), "mode": s.Mode.IN_PERSON.value}
    return await _session_page(actor, project_id, Form("session", SESSION_FIELDS, values), None)


@post(
    "/prosjekter/{project_id:int}/moter/ny",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="codesign_session_create",
)
async def session_create(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("session", SESSION_FIELDS, form_values(data))
    try:
        body = parse(s.SessionCreate, _session_body(data), MESSAGES)
        out = await codesign.create_session(actor, project_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _session_page(actor, project_id, form.fail(exc), None, exc.status)
    return see_other(
        f"/prosjekter/{project_id}",
        notice="projects.codesign-session-saved",
        fragment=f"mote-{out.id}",
    )


@get(
    "/prosjekter/{project_id:int}/moter/{session_id:int}/endre",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="codesign_session_edit",
)
async def session_edit(
    actor: NamedDependency[Principal], project_id: FromPath[int], session_id: FromPath[int]
) -> Template:
    session = await codesign.get_session(actor, project_id, session_id)
    form = Form("session", SESSION_FIELDS, _session_values(session))
    return await _session_page(actor, project_id, form, session_id)


@post(
    "/prosjekter/{project_id:int}/moter/{session_id:int}/endre",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="codesign_session_update",
)
async def session_update(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    session_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("session", SESSION_FIELDS, form_values(data))
    try:
        body = parse(s.SessionCreate, _session_body(data), MESSAGES)
        update = msgspec.convert(msgspec.to_builtins(body), s.SessionUpdate)
        await codesign.update_session(actor, project_id, session_id, update)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _session_page(actor, project_id, form.fail(exc), session_id, exc.status)
    return see_other(
        f"/prosjekter/{project_id}",
        notice="projects.codesign-session-saved",
        fragment=f"mote-{session_id}",
    )


async def _action_page(
    actor: Principal, project_id: int, form: Form, status: int = 200
) -> Template:
    head = await actions.project_head(actor, project_id)
    sessions = await codesign.list_sessions(actor, project_id)
    return render(
        "projects/workspace/codesign_action_form.html",
        status=status,
        project=head,
        form=form,
        failed=form if form.failed else None,
        sessions=sessions,
        action=f"/prosjekter/{project_id}/handlinger/ny",
    )


@get(
    "/prosjekter/{project_id:int}/handlinger/ny",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="codesign_action_new",
)
async def action_new(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    mote: FromQuery[int | None] = None,
) -> Template:
    values = {"session_id": str(mote) if mote else ""}
    return await _action_page(actor, project_id, Form("action", ACTION_FIELDS, values))


@post(
    "/prosjekter/{project_id:int}/handlinger/ny",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="codesign_action_create",
)
async def action_create(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("action", ACTION_FIELDS, form_values(data))
    body = {name: text(data, name) for name in ACTION_FIELDS}
    try:
        await actions.create_action(actor, project_id, parse(s.ActionCreate, body, MESSAGES))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _action_page(actor, project_id, form.fail(exc), exc.status)
    return see_other(
        f"/prosjekter/{project_id}", notice="projects.codesign-action-saved", fragment="handlinger"
    )


@post(
    "/prosjekter/{project_id:int}/handlinger/{action_id:int}/ferdig",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="codesign_action_done",
)
async def action_done(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    action_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Redirect:
    await actions.mark_done(actor, project_id, action_id)
    back = safe_next(text(data, "next"), f"/prosjekter/{project_id}#handlinger")
    path, _, fragment = back.partition("#")
    return see_other(path, notice="projects.codesign-action-done", fragment=fragment)


@get(
    "/mine-handlinger", guards=[requires_authenticated], include_in_schema=False, name="my_actions"
)
async def my_actions(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    return render(
        "projects/workspace/codesign_my_actions.html",
        actions=await actions.my_actions(actor),
        notice=notice_text(request.query_params.get("notice")),
    )


HANDLERS: list[Any] = [
    session_new,
    session_create,
    session_edit,
    session_update,
    action_new,
    action_create,
    action_done,
    my_actions,
]
