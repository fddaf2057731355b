"""Calls in the browser: the list (/utlysninger), the form to create and change a call, the call
itself with its conditions in words, and the public portal's calls (/kunnskap/utlysninger)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import PUBLIC, requires_authenticated
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
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
)
from projects.grants import calls
from projects.grants import calls_schemas as s
from projects.grants.conditions import CATALOGUE, Kind

FIELDS = (
    "funder_id", "title", "description", "opens_on", "closes_on", "budget",
    "max_per_application", "eligible_kinds", "eligible_cluster_ids", "measure_ids",
    "service_areas", "criteria", "progress_months", "final", "is_public", "conditions",
)  # fmt: skip
PARAM_FIELDS = tuple(
    f"{kind.value}-{param}" for kind, (_n, params) in CATALOGUE.items() for param in params
)
LISTS = ("eligible_kinds", "eligible_cluster_ids", "measure_ids", "service_areas")


def _messages() -> dict[str, str]:
    return {
        "funder_id": _("Choose one of the funders you work for."),
        "title": _("Write the title of the call."),
        "opens_on": _("Write the date as YYYY-MM-DD."),
        "closes_on": _("Write the date as YYYY-MM-DD."),
        "budget": _("Write an amount in kroner, e.g. 1 500 000."),
        "max_per_application": _("Write an amount in kroner, e.g. 1 500 000."),
        "report_schedule": _("Choose a number from 1 to 24."),
        "conditions": _("Check the conditions' parameters."),
    }


def _all(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name, [])
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _int(text: str) -> int | str:
    return int(text) if text.strip().isdigit() else text


def _conditions(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The checked conditions of the form, each with its parameter inputs (`<kind>-<param>`)."""
    chosen = set(_all(data, "conditions"))
    items = []
    for kind, (_name, params) in CATALOGUE.items():
        if kind.value not in chosen:
            continue
        values: dict[str, Any] = {}
        for param in params:
            if param == "kinds":
                values["kinds"] = _all(data, f"{kind.value}-kinds")
            elif param in ("percent", "own_percent", "count"):
                text = _all(data, f"{kind.value}-{param}")
                values[param] = _int(text[0]) if text else None
        hard = f"{kind.value}-soft" not in data
        items.append({"kind": kind.value, "params": values, "hard": hard})
    return items


def _body(data: dict[str, Any], *, create: bool) -> dict[str, Any]:
    def one(name: str) -> str:
        found = _all(data, name)
        return found[0] if found else ""

    body: dict[str, Any] = {name: one(name) for name in ("title", "opens_on", "closes_on")}
    body |= {
        "description": one("description"),
        "budget": one("budget") or "0",
        "max_per_application": one("max_per_application") or "0",
        "criteria": [c.strip() for c in one("criteria").splitlines() if c.strip()],
        "report_schedule": {
            "progress_months": _int(one("progress_months") or "6"),
            "final": "final" in data,
        },
        "conditions": _conditions(data),
        "is_public": "is_public" in data,
    }
    body |= {name: [_int(v) for v in _all(data, name)] for name in LISTS}
    if create:
        body["funder_id"] = _int(one("funder_id"))
    return body


def _form(data: dict[str, Any]) -> Form:
    values = form_values(data)
    for name in (*LISTS, "conditions"):
        values[name] = _all(data, name)
    for kind in Kind:
        values[f"{kind.value}-kinds"] = _all(data, f"{kind.value}-kinds")
    return Form("call", FIELDS + PARAM_FIELDS, values=values)


def _fail(form: Form, exc: DomainError, body: dict[str, Any]) -> Form:
    """Errors on `conditions.<i>.<param>` belong to the inputs `<kind>-<param>`."""
    form.fail(exc)
    chosen = [c["kind"] for c in body.get("conditions", [])]
    for name in list(form.errors):
        parts = name.split(".")
        if parts[0] == "conditions" and len(parts) == 3 and parts[1].isdigit():
            form.errors[f"{chosen[int(parts[1])]}-{parts[2]}"] = form.errors.pop(name)
        elif name == "report_schedule.progress_months":
            form.errors["progress_months"] = form.errors.pop(name)
    return form


def _values(call: s.CallOut) -> dict[str, Any]:
    values: dict[str, Any] = {
        "funder_id": str(call.funder.id),
        "title": call.title,
        "description": call.description,
        "opens_on": call.opens_on.isoformat(),
        "closes_on": call.closes_on.isoformat(),
        "budget": call.budget.removesuffix("\u00a0kr"),
        "max_per_application": call.max_per_application.removesuffix("\u00a0kr"),
        "eligible_kinds": call.eligible_kinds,
        "eligible_cluster_ids": [str(c.id) for c in call.eligible_clusters],
        "measure_ids": [str(m.id) for m in call.measures],
        "service_areas": call.service_areas,
        "criteria": "\n".join(call.criteria),
        "progress_months": str(call.report_schedule.get("progress_months", 6)),
        "conditions": [c.kind for c in call.conditions],
    }
    values |= {"final": "1"} if call.report_schedule.get("final", True) else {}
    values |= {"is_public": "1"} if call.is_public else {}
    for c in call.conditions:
        values |= {
            f"{c.kind}-{k}": (v if isinstance(v, list) else str(v)) for k, v in c.params.items()
        }
        values |= {} if c.hard else {f"{c.kind}-soft": "1"}
    return values


async def _form_page(
    actor: Principal, form: Form, call: s.CallOut | None = None, status: int = 200
) -> Template:
    return render(
        "projects/grants/calls_form.html",
        form=form,
        failed=form if form.failed else None,
        call=call,
        status=status,
        **await calls.form_choices(actor),
    )


@get("/utlysninger", guards=[requires_authenticated], include_in_schema=False, name="calls")
async def list_page(request: Request[Any, Any, Any], actor: NamedDependency[Principal]) -> Template:
    page = await calls.list_calls(actor)
    return render(
        "projects/grants/calls_list.html",
        page=page,
        may_create=calls.may_create(actor),
        notice=notice_text(request.query_params.get("notice")),
    )


@get("/utlysninger/ny", guards=[requires_authenticated], include_in_schema=False, name="call_new")
async def new_page(actor: NamedDependency[Principal]) -> Template:
    values = {"eligible_kinds": ["cluster"], "progress_months": "6", "final": "1", "conditions": []}
    return await _form_page(actor, Form("call", FIELDS, values=values))


@post(
    "/utlysninger/ny", guards=[requires_authenticated], include_in_schema=False, name="call_create"
)
async def create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form, body = _form(data), _body(data, create=True)
    try:
        call = await calls.create_call(actor, parse(s.CallCreate, body, _messages()))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _form_page(actor, _fail(form, exc, body), status=exc.status)
    return see_other(f"/utlysninger/{call.id}", notice="projects.grants-calls-created")


@get(
    "/utlysninger/{call_id:int}/rediger",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="call_edit",
)
async def edit_page(actor: NamedDependency[Principal], call_id: FromPath[int]) -> Template:
    call = await calls.get_call(actor, call_id)
    calls.require_manage(call)
    return await _form_page(actor, Form("call", FIELDS, values=_values(call)), call)


@post(
    "/utlysninger/{call_id:int}/rediger",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="call_update",
)
async def update(
    actor: NamedDependency[Principal], call_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    call = await calls.get_call(actor, call_id)
    calls.require_manage(call)
    form, body = _form(data), _body(data, create=False)
    if call.status != "draft":  # published: the money, applicants and conditions are fixed
        for name in ("budget", "max_per_application", "eligible_kinds", "eligible_cluster_ids",
                     "conditions", "report_schedule"):  # fmt: skip
            body.pop(name)
    try:
        await calls.update_call(actor, call_id, parse(s.CallUpdate, body, _messages()))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _form_page(actor, _fail(form, exc, body), call, status=exc.status)
    return see_other(f"/utlysninger/{call_id}", notice="projects.grants-calls-saved")


def _may_apply(actor: Principal | None, call: s.CallOut) -> bool:
    """A link to apply for anyone who may lead a project: not the funder's own staff."""
    if actor is None or not call.is_open or call.manage:
        return False
    return not (actor.has(Role.FUNDER_OFFICER) and len(actor.roles) == 1)


@get(
    "/utlysninger/{call_id:int}",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="call",
)
async def call_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], call_id: FromPath[int]
) -> Template:
    call = await calls.get_call(actor, call_id)
    return render(
        "projects/grants/calls_call.html",
        call=call,
        public=False,
        labels=calls.labels(),
        may_apply=_may_apply(actor, call),
        notice=notice_text(request.query_params.get("notice")),
    )


async def _move(actor: Principal, call_id: int, use_case: Any, notice: str) -> Redirect:
    await use_case(actor, call_id)
    return see_other(f"/utlysninger/{call_id}", notice=f"projects.{notice}")


@post(
    "/utlysninger/{call_id:int}/publiser",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="call_publish",
)
async def publish(actor: NamedDependency[Principal], call_id: FromPath[int]) -> Redirect:
    return await _move(actor, call_id, calls.publish_call, "grants-calls-published")


@post(
    "/utlysninger/{call_id:int}/steng",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="call_close",
)
async def close(actor: NamedDependency[Principal], call_id: FromPath[int]) -> Redirect:
    return await _move(actor, call_id, calls.close_call, "grants-calls-closed")


@get("/kunnskap/utlysninger", opt=PUBLIC, include_in_schema=False, name="portal_calls")
async def portal_list() -> Template:
    page = await calls.list_calls(None, public_only=True)
    return render("projects/grants/calls_portal.html", page=page)


@get("/kunnskap/utlysninger/{call_id:int}", opt=PUBLIC, include_in_schema=False, name="portal_call")
async def portal_call(call_id: FromPath[int]) -> Template:
    call = await calls.get_call(None, call_id)
    return render(
        "projects/grants/calls_call.html",
        call=call,
        public=True,
        labels=calls.labels(),
        may_apply=False,
    )


HANDLERS: list[Any] = [
    list_page,
    new_page,
    create,
    edit_page,
    update,
    call_page,
    publish,
    close,
    portal_list,
    portal_call,
]
