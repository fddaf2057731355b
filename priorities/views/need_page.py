"""The need's page in the browser: history, endorsements, similar needs, and the actions on it
(submit, withdraw, endorse, merge)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
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
from priorities.need_merge import merge
from priorities.views import common as c
from priorities.views.needs import NEED_MEMBER, SUBMITTERS

# --- the need's page -------------------------------------------------------------------------


async def _need_page(
    actor: Principal,
    need_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    view = await need_pages.need_view(actor, need_id)
    forms = {
        "endorse": Form("endorse", ("municipality_id", "note")),
        "withdraw": Form("withdraw", ("reason",)),
        "merge": Form("merge", ("source_ids", "reason")),
    }
    if failed is not None:
        forms[failed.id] = failed
    return render(
        "priorities/need.html",
        need=view.need,
        forms=forms,
        failed=failed,
        notice=notice,
        manager=view.manager,
        may_edit=view.may_edit,
        may_submit=view.may_submit,
        may_withdraw=view.may_withdraw,
        endorse_for=view.endorse_for,
        merge_candidates=view.merge_candidates,
        warnings=view.warnings,
        import_municipalities=view.import_municipalities,
        sections=view.sections,
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
    return see_other(f"/behov/{need_id}", notice="priorities.need-submitted")


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
            {"reason": N_("The reason can be at most 2,000 characters.")},
        )
        await needs.withdraw_need(actor, need_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _need_page(actor, need_id, failed=form.fail(exc), status=exc.status)
    return see_other(f"/behov/{need_id}", notice="priorities.need-withdrawn")


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
                "municipality_id": N_("Choose your municipality."),
                "note": N_("The note can be at most 2,000 characters."),
            },
        )
        await needs.endorse(actor, need_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _need_page(
            actor, need_id, failed=form.fail(exc, "municipality_id"), status=exc.status
        )
    return see_other(f"/behov/{need_id}", notice="priorities.need-endorsed", fragment="samme-behov")


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
                N_("Some fields need attention."),
                [FieldError("source_ids", N_("Choose at least one need to merge into this one."))],
            )
        body = s.MergeRequest(target_id=need_id, source_ids=sources, reason=text(data, "reason"))
        await merge(actor, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _need_page(
            actor, need_id, failed=form.fail(exc, "source_ids"), status=exc.status
        )
    return see_other(f"/behov/{need_id}", notice="priorities.need-merged")


HANDLERS = [
    need_page,
    need_submit,
    need_withdraw,
    need_endorse,
    need_merge,
]
