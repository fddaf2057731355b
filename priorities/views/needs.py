"""Knowledge needs in the browser: list and search, submit and edit (the need's own page is in
need_page, the Excel template and import in need_import)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
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
from priorities import need_pages, needs
from priorities import schemas as s
from priorities.need_read import NeedFilter
from priorities.need_rules import submitter_roles
from priorities.views import common as c

SUBMITTERS = requires_role(*submitter_roles())
NEED_MEMBER = c.requires_cluster_member("need")
PER_PAGE = 25
NEED_FIELDS = (
    "cluster_id",
    "title",
    "question",
    "background",
    "age_from",
    "age_to",
    "target_group",
    "service_ids",
    "prevention_level",
    "intended_use",
    "language",
    "municipality_id",
    "service_id",
)


def _messages() -> dict[str, str]:
    return {
        "cluster_id": N_("Choose the cluster."),
        "municipality_id": N_("Choose the municipality you submit for."),
        "title": N_("Write a short title of at most 200 characters."),
        "question": N_("Write the question, at most 4,000 characters."),
        "background": N_("The background can be at most 10,000 characters."),
        "target_group": N_("The target group can be at most 10,000 characters."),
        "age_from": N_("Write an age from 0 to 24."),
        "age_to": N_("Write an age from 0 to 24."),
        "service_ids": N_("Choose at least one service the need concerns."),
        "prevention_level": N_("Choose a prevention level."),
        "intended_use": N_("Choose what the answer will be used for."),
        "language": N_("Choose bokmål or nynorsk."),
        "service_id": N_("Choose a service in the municipality."),
    }


# --- list ------------------------------------------------------------------------------------


@get("/behov", guards=[requires_authenticated], include_in_schema=False, name="needs")
async def needs_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    query = request.query_params
    status = query.get("status", "")
    level = query.get("prevention_level", "")
    cross = query.get("cross_service", "")
    try:
        page = max(1, int(query.get("page", "1")))
    except ValueError:
        page = 1
    filters = {
        "status": status if status in c.STATUS_LABELS else "",
        "service_id": c.int_or_none(query.get("service_id")),
        "municipality_id": c.int_or_none(query.get("municipality_id")),
        "prevention_level": level if level in c.PREVENTION_LABELS else "",
        "cross_service": cross if cross in ("yes", "no") else "",
        "q": query.get("q", "").strip()[:200],
    }
    index = await need_pages.needs_index(
        actor,
        NeedFilter(
            status=filters["status"] or None,
            service_id=filters["service_id"],
            municipality_id=filters["municipality_id"],
            prevention_level=filters["prevention_level"] or None,
            cross_service={"yes": True, "no": False}.get(filters["cross_service"]),
            q=filters["q"],
        ),
        page,
        PER_PAGE,
    )
    result = index.result
    pages = max(1, -(-result.total // PER_PAGE))
    params = {k: v for k, v in filters.items() if v not in ("", None)}
    return render(
        "priorities/needs.html",
        result=result,
        filters=filters,
        params=params,
        pages=pages,
        services=index.services,
        municipalities=index.municipalities,
        may_submit=index.may_submit,
        notice=notice_text(query.get("notice")),
        **c.labels(),
    )


# --- submit and edit -------------------------------------------------------------------------


async def _form_page(
    actor: Principal,
    form: Form,
    *,
    cluster_id: int | None,
    need: s.NeedOut | None = None,
    status: int = 200,
) -> Template:
    choices = await need_pages.need_form(actor, cluster_id)
    fresh = need is None and not form.failed and "service_id" not in form.values
    if fresh and choices.default_service is not None:
        form.values["service_id"] = str(choices.default_service)
    return render(
        "priorities/need_form.html",
        form=form,
        failed=form if form.failed else None,
        need=need,
        cluster_id=choices.cluster_id,
        clusters=choices.clusters,
        services=choices.services,
        municipalities=choices.municipalities,
        own_services=choices.own_services,
        here=f"/behov/{need.id}/endre" if need else "/behov/ny",
        status=status,
        **c.labels(),
    )


def _need_data(data: dict[str, Any]) -> dict[str, Any]:
    """Form fields as the use case's input (lists for the checkboxes, numbers as text)."""
    out: dict[str, Any] = {}
    for name in NEED_FIELDS:
        if name == "service_ids":
            if name in data:
                out[name] = c.int_list(data[name])
            continue
        if name in data:
            out[name] = text(data, name)
    return out


@get("/behov/ny", guards=[SUBMITTERS], include_in_schema=False, name="need_new")
async def need_new(request: Request[Any, Any, Any], actor: NamedDependency[Principal]) -> Template:
    cluster_id = c.int_or_none(request.query_params.get("cluster_id"))
    form = Form("need", NEED_FIELDS, values={"language": "nb", "age_from": "0", "age_to": "24"})
    return await _form_page(actor, form, cluster_id=cluster_id)


@post("/behov/ny", guards=[SUBMITTERS], include_in_schema=False, name="need_create")
async def need_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("need", NEED_FIELDS, values=form_values(data))
    values = _need_data(data)
    submit = text(data, "action") == "submit"
    try:
        if not values.get("service_ids"):
            values.pop("service_ids", None)
        body = parse(s.NeedCreate, {**values, "submit": submit}, _messages())
        out = await needs.create_need(actor, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _form_page(
            actor,
            form.fail(exc),
            cluster_id=c.int_or_none(data.get("cluster_id")),
            status=exc.status,
        )
    return see_other(
        f"/behov/{out.id}",
        notice="priorities.need-submitted" if submit else "priorities.need-saved",
    )


@get("/behov/{need_id:int}/endre", guards=[NEED_MEMBER], include_in_schema=False, name="need_edit")
async def need_edit(
    actor: NamedDependency[Principal], need_id: FromPath[int]
) -> Template | Redirect:
    need, may_edit = await need_pages.editable_need(actor, need_id)
    if not may_edit:
        return see_other(f"/behov/{need_id}", notice="priorities.need-no-edit")
    values: dict[str, Any] = {
        name: str(getattr(need, name))
        for name in (
            "title",
            "question",
            "background",
            "age_from",
            "age_to",
            "target_group",
            "prevention_level",
            "intended_use",
            "language",
        )
    }
    values["service_ids"] = [str(x.id) for x in need.services]
    return await _form_page(
        actor, Form("need", NEED_FIELDS, values=values), cluster_id=need.cluster_id, need=need
    )


@post(
    "/behov/{need_id:int}/endre",
    guards=[SUBMITTERS],
    include_in_schema=False,
    name="need_update",
)
async def need_update(
    actor: NamedDependency[Principal], need_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("need", NEED_FIELDS, values=form_values(data))
    values = _need_data(data)
    for name in ("cluster_id", "municipality_id", "service_id"):
        values.pop(name, None)
    submit = text(data, "action") == "submit"
    try:
        if not values.get("service_ids"):
            values["service_ids"] = ""  # reported as missing, not left unchanged
        required = {"title", "question", "service_ids", "prevention_level", "intended_use"}
        missing = [FieldError(k, _messages()[k]) for k in sorted(required) if not values.get(k)]
        if missing:
            raise Invalid(N_("Some fields need attention."), missing)
        body = parse(s.NeedUpdate, values, _messages())
        was = await need_pages.save_need(actor, need_id, body, submit=submit)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        need, _may = await need_pages.editable_need(actor, need_id)
        return await _form_page(
            actor, form.fail(exc), cluster_id=need.cluster_id, need=need, status=exc.status
        )
    notice = (
        "priorities.need-submitted"
        if submit and was == s.NeedStatus.DRAFT
        else "priorities.need-updated"
    )
    return see_other(f"/behov/{need_id}", notice=notice)


HANDLERS = [
    needs_page,
    need_new,
    need_create,
    need_edit,
    need_update,
]
