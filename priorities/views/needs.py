"""Knowledge needs in the browser: list and search, submit and edit, the need's page with its
history, endorsements, merge, and the Excel template and import."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth import access
from klynge.auth.guards import requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import gettext as _
from klynge.jobs import runner
from klynge.scoping import ensure_cluster_visible
from klynge.settings import Settings
from klynge.views.common import (
    N_,
    NOTICES,
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)
from priorities import jobs, needs
from priorities import schemas as s
from priorities.views import common as c

SUBMITTERS = requires_role(*needs.submitter_roles())
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
NOTICES.update(
    {
        "need-saved": N_("The need was saved as a draft."),
        "need-submitted": N_("The need was submitted to the cluster."),
        "need-updated": N_("The need was updated."),
        "need-withdrawn": N_("The need was withdrawn."),
        "need-endorsed": N_("Your municipality now shares this need."),
        "need-merged": N_("The needs were merged into this one."),
        "need-no-edit": N_("You cannot edit this need."),
    }
)


def _messages() -> dict[str, str]:
    return {
        "cluster_id": _("Choose the cluster."),
        "municipality_id": _("Choose the municipality you submit for."),
        "title": _("Write a short title of at most 200 characters."),
        "question": _("Write the question, at most 4,000 characters."),
        "background": _("The background can be at most 10,000 characters."),
        "target_group": _("The target group can be at most 10,000 characters."),
        "age_from": _("Write an age from 0 to 24."),
        "age_to": _("Write an age from 0 to 24."),
        "service_ids": _("Choose at least one service the need concerns."),
        "prevention_level": _("Choose a prevention level."),
        "intended_use": _("Choose what the answer will be used for."),
        "language": _("Choose bokmål or nynorsk."),
        "service_id": _("Choose a service in the municipality."),
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
    result = await needs.list_needs(
        actor,
        status=filters["status"] or None,
        service_id=filters["service_id"],
        municipality_id=filters["municipality_id"],
        prevention_level=filters["prevention_level"] or None,
        cross_service={"yes": True, "no": False}.get(filters["cross_service"]),
        q=filters["q"],
        page=page,
        per_page=PER_PAGE,
    )
    clusters = sorted(actor.cluster_ids) if not actor.is_admin else None
    names = await c.cluster_names(clusters)
    services: list[dict[str, Any]] = []
    municipalities: dict[int, str] = {}
    for cluster_id in names:
        services += await c.cluster_services(cluster_id)
        municipalities.update(dict(await c.member_municipalities(cluster_id)))
    pages = max(1, -(-result.total // PER_PAGE))
    params = {k: v for k, v in filters.items() if v not in ("", None)}
    return render(
        "priorities/needs.html",
        result=result,
        filters=filters,
        params=params,
        pages=pages,
        services=services,
        municipalities=sorted(municipalities.items(), key=lambda m: m[1]),
        may_submit=access.holds_any(actor, *needs.submitter_roles()),
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
    if actor.is_admin:
        clusters = await c.cluster_names()
    else:
        clusters = await c.cluster_names(sorted(actor.cluster_ids))
    if cluster_id not in clusters:
        cluster_id = next(iter(clusters), None)
    services = await c.cluster_services(cluster_id) if cluster_id else []
    municipalities = await c.own_municipalities(actor, cluster_id) if cluster_id else []
    munis = {m[0] for m in municipalities}
    own_services = [
        x
        for x in services
        if actor.is_admin
        or (cluster_id and actor.advises(cluster_id))
        or x["id"] in actor.org_ids(Role.SERVICE_LEADER, Role.SERVICE_EMPLOYEE)
        or any(x["municipality"] == name for i, name in municipalities if i in munis)
    ]
    return render(
        "priorities/need_form.html",
        form=form,
        failed=form if form.failed else None,
        need=need,
        cluster_id=cluster_id,
        clusters=clusters,
        services=services,
        municipalities=municipalities,
        own_services=own_services,
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
    return see_other(f"/behov/{out.id}", notice="need-submitted" if submit else "need-saved")


def _may_edit(actor: Principal, need: s.NeedOut, row: dict[str, Any]) -> bool:
    manager = needs.may_manage(actor, need.cluster_id)
    mine = row["submitted_by"] == actor.account_id or actor.coordinates(row["municipality"])
    return manager or (mine and need.status in needs.OPEN_FOR_SUBMITTER)


@get("/behov/{need_id:int}/endre", guards=[NEED_MEMBER], include_in_schema=False, name="need_edit")
async def need_edit(
    actor: NamedDependency[Principal], need_id: FromPath[int]
) -> Template | Redirect:
    row = await needs.load_visible(actor, need_id)
    need = await needs.need_out(row)
    if not _may_edit(actor, need, row):
        return see_other(f"/behov/{need_id}", notice="need-no-edit")
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
    need: s.NeedOut | None = None
    try:
        need = await needs.need_out(await needs.load_visible(actor, need_id))
        if not values.get("service_ids"):
            values["service_ids"] = ""  # reported as missing, not left unchanged
        required = {"title", "question", "service_ids", "prevention_level", "intended_use"}
        missing = [FieldError(k, _messages()[k]) for k in sorted(required) if not values.get(k)]
        if missing:
            raise Invalid(_("Some fields need attention."), missing)
        body = parse(s.NeedUpdate, values, _messages())
        await needs.update_need(actor, need_id, body)
        if submit and need.status == s.NeedStatus.DRAFT:
            await needs.submit_need(actor, need_id)
    except DomainError as exc:
        if not form_failed(exc) or need is None:
            raise
        return await _form_page(
            actor, form.fail(exc), cluster_id=need.cluster_id, need=need, status=exc.status
        )
    notice = "need-submitted" if submit and need.status == s.NeedStatus.DRAFT else "need-updated"
    return see_other(f"/behov/{need_id}", notice=notice)


# --- the need's page -------------------------------------------------------------------------


async def _need_page(
    actor: Principal,
    need_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    row = await needs.load_visible(actor, need_id)
    need = await needs.need_out(row, detail=True)
    forms = {
        "endorse": Form("endorse", ("municipality_id", "note")),
        "withdraw": Form("withdraw", ("reason",)),
        "merge": Form("merge", ("source_ids", "reason")),
    }
    if failed is not None:
        forms[failed.id] = failed
    manager = needs.may_manage(actor, need.cluster_id)
    submitter = row["submitted_by"] == actor.account_id or actor.coordinates(row["municipality"])
    sharing = {need.municipality.id, *(x.id for x in need.submitters)} | {
        e.municipality.id for e in need.endorsements
    }
    endorse_for = [
        m for m in await c.own_municipalities(actor, need.cluster_id) if m[0] not in sharing
    ]
    if not actor.is_admin:
        endorse_for = [m for m in endorse_for if m[0] in actor.municipality_ids]
    merge_candidates: list[s.NeedOut] = []
    if manager and need.status not in needs.INACTIVE:
        listed = await needs.list_needs(actor, cluster_id=need.cluster_id, per_page=200)
        merge_candidates = [
            n
            for n in listed.items
            if n.id != need.id and n.status not in ("merged", "withdrawn", "draft")
        ]
    from literature import checks as literature_checks

    warnings: list[s.Warning] = []
    if manager or submitter:
        warnings = needs.check_text({f: getattr(need, f) for f in needs.FREE_TEXT})
    return render(
        "priorities/need.html",
        need=need,
        forms=forms,
        failed=failed,
        notice=notice,
        manager=manager,
        may_edit=_may_edit(actor, need, row),
        may_submit=need.status == "draft" and (submitter or manager),
        may_withdraw=submitter and need.status in needs.OPEN_FOR_SUBMITTER,
        endorse_for=endorse_for if need.status not in needs.INACTIVE else [],
        merge_candidates=merge_candidates,
        warnings=warnings,
        import_municipalities=await c.own_municipalities(actor, need.cluster_id),
        literature_checks=await literature_checks.list_checks(actor, need_id=need_id),
        here=f"/behov/{need_id}",
        status=status,
        **c.labels(),
    )


@get("/behov/{need_id:int}", guards=[NEED_MEMBER], include_in_schema=False, name="need")
async def need_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], need_id: FromPath[int]
) -> Template:
    return await _need_page(actor, need_id, notice=notice_text(request.query_params.get("notice")))


@post(
    "/behov/{need_id:int}/send-inn",
    guards=[SUBMITTERS],
    include_in_schema=False,
    name="need_submit",
)
async def need_submit(actor: NamedDependency[Principal], need_id: FromPath[int]) -> Redirect:
    await needs.submit_need(actor, need_id)
    return see_other(f"/behov/{need_id}", notice="need-submitted")


@post(
    "/behov/{need_id:int}/trekk",
    guards=[SUBMITTERS],
    include_in_schema=False,
    name="need_withdraw",
)
async def need_withdraw(
    actor: NamedDependency[Principal], need_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("withdraw", ("reason",), values=form_values(data))
    try:
        body = parse(
            s.Transition,
            {"reason": text(data, "reason")},
            {"reason": _("The reason can be at most 2,000 characters.")},
        )
        await needs.withdraw_need(actor, need_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _need_page(actor, need_id, failed=form.fail(exc), status=exc.status)
    return see_other(f"/behov/{need_id}", notice="need-withdrawn")


@post(
    "/behov/{need_id:int}/samme-behov",
    guards=[SUBMITTERS],
    include_in_schema=False,
    name="need_endorse",
)
async def need_endorse(
    actor: NamedDependency[Principal], need_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("endorse", ("municipality_id", "note"), values=form_values(data))
    try:
        body = parse(
            s.EndorsementCreate,
            {"municipality_id": text(data, "municipality_id"), "note": text(data, "note")},
            {
                "municipality_id": _("Choose your municipality."),
                "note": _("The note can be at most 2,000 characters."),
            },
        )
        await needs.endorse(actor, need_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _need_page(
            actor, need_id, failed=form.fail(exc, "municipality_id"), status=exc.status
        )
    return see_other(f"/behov/{need_id}", notice="need-endorsed", fragment="samme-behov")


@post(
    "/behov/{need_id:int}/sla-sammen",
    guards=[requires_role(Role.ADVISER)],
    include_in_schema=False,
    name="need_merge",
)
async def need_merge(
    actor: NamedDependency[Principal], need_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("merge", ("source_ids", "reason"), values=form_values(data))
    try:
        sources = c.int_list(data.get("source_ids", []))
        if not sources:
            raise Invalid(
                _("Some fields need attention."),
                [FieldError("source_ids", _("Choose at least one need to merge into this one."))],
            )
        body = s.MergeRequest(target_id=need_id, source_ids=sources, reason=text(data, "reason"))
        await needs.merge(actor, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _need_page(
            actor, need_id, failed=form.fail(exc, "source_ids"), status=exc.status
        )
    return see_other(f"/behov/{need_id}", notice="need-merged")


# --- Excel template and import ---------------------------------------------------------------


@post("/behov/mal", guards=[SUBMITTERS], include_in_schema=False, name="need_template")
async def need_template(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Response[bytes]:
    """The Excel template (a POST form, so that the download never counts as a page)."""
    from priorities.controllers import _xlsx
    from priorities.needs_xlsx import build_template

    cluster_id = c.int_or_none(data.get("cluster_id"))
    if cluster_id is None:
        raise Invalid(_("Choose the cluster."))
    ensure_cluster_visible(actor, cluster_id)
    services = await jobs.cluster_services(cluster_id)
    return _xlsx(
        "kunnskapsbehov-mal.xlsx", build_template([(i, name) for name, i in services.items()])
    )


@post("/behov/import", guards=[SUBMITTERS], include_in_schema=False, name="need_import")
async def need_import(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    dispatcher: NamedDependency[runner.Dispatcher],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    upload = data.get("file")
    cluster_id = c.int_or_none(data.get("cluster_id"))
    municipality_id = c.int_or_none(data.get("municipality_id"))
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid(
            _("Some fields need attention."), [FieldError("file", _("Choose a .xlsx file."))]
        )
    if cluster_id is None or municipality_id is None:
        raise Invalid(_("Choose the municipality you submit for."))
    job_id = await jobs.start_import(
        actor,
        dispatcher,
        settings,
        upload,
        cluster_id=cluster_id,
        municipality_id=municipality_id,
        submit=text(data, "submit") == "1",
    )
    return see_other(f"/jobs/{job_id}")


HANDLERS = [
    needs_page,
    need_new,
    need_create,
    need_template,
    need_import,
    need_edit,
    need_update,
    need_page,
    need_submit,
    need_withdraw,
    need_endorse,
    need_merge,
]
