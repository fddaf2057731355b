"""The findings deliveries in the browser: publishing an outcome and the adviser's extra
recipients (forms of the outcome page's deliveries partial), /leveranser (the caller's
deliveries, unanswered first) and /leveranser/{id} (the findings, "mark as read", and the three
questions, with the answer shown after)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import Conflict, DomainError, Invalid
from klynge.i18n import N_
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
)
from projects.findings import deliveries, publishing
from projects.findings import deliveries_schemas as s
from projects.findings.deliveries_notices import LABELS

GUARDS = [requires_authenticated]
FIELDS = ("relevant", "will_use", "change")
MESSAGES: dict[str, Any] = {
    "relevant": N_("Choose whether the findings are relevant for you."),
    "will_use": N_("Choose whether you will use the findings."),
    "change": N_("Write at most 10 000 characters."),
}


def _ids(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [int(v) for v in values if isinstance(v, str) and v.strip().isdigit()]


@post(
    "/resultater/{outcome_id:int}/publiser", guards=GUARDS, include_in_schema=False,
    name="findings_outcome_publish",
)  # fmt: skip
async def publish(actor: NamedDependency[Principal], outcome_id: FromPath[int]) -> Redirect:
    try:
        await publishing.publish(actor, outcome_id)
    except (Invalid, Conflict):
        return see_other(
            f"/resultater/{outcome_id}",
            notice="projects.findings-deliveries-publish-refused",
            fragment="leveranser",
        )
    return see_other(
        f"/resultater/{outcome_id}",
        notice="projects.findings-deliveries-published",
        fragment="leveranser",
    )


@post(
    "/resultater/{outcome_id:int}/mottakere", guards=GUARDS, include_in_schema=False,
    name="findings_outcome_recipients",
)  # fmt: skip
async def add_recipients(
    actor: NamedDependency[Principal],
    outcome_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Redirect:
    chosen = _ids(data.get("municipality_ids"))
    try:
        if not chosen:
            raise Invalid(N_("Choose one or more municipalities."))
        await publishing.add_recipients(actor, outcome_id, chosen)
    except (Invalid, Conflict):
        return see_other(
            f"/resultater/{outcome_id}",
            notice="projects.findings-deliveries-add-refused",
            fragment="leveranser",
        )
    return see_other(
        f"/resultater/{outcome_id}",
        notice="projects.findings-deliveries-added",
        fragment="leveranser",
    )


@get("/leveranser", guards=GUARDS, include_in_schema=False, name="findings_deliveries")
async def my_deliveries(actor: NamedDependency[Principal]) -> Template:
    items = await deliveries.my_deliveries(actor)
    return render("projects/findings/deliveries.html", items=items, labels=LABELS)


async def _page(
    actor: Principal, delivery_id: int, *, form: Form | None = None, notice: str = "",
    status: int = 200,
) -> Template:  # fmt: skip
    detail = await deliveries.get_delivery(actor, delivery_id)
    answer = detail.delivery.answer
    if form is None:
        values = {k: getattr(answer, k) for k in FIELDS} if answer else {}
        form = Form("answer", FIELDS, values=values)
    return render(
        "projects/findings/delivery.html",
        status=status,
        detail=detail,
        d=detail.delivery,
        o=detail.outcome,
        form=form,
        failed=form if form.failed else None,
        notice=notice,
        labels=LABELS,
    )


@get(
    "/leveranser/{delivery_id:int}",
    guards=GUARDS,
    include_in_schema=False,
    name="findings_delivery",
)
async def delivery_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], delivery_id: FromPath[int]
) -> Template:
    notice = notice_text(request.query_params.get("notice"))
    return await _page(actor, delivery_id, notice=notice)


@post(
    "/leveranser/{delivery_id:int}/lest", guards=GUARDS, include_in_schema=False,
    name="findings_delivery_read",
)  # fmt: skip
async def mark_read(actor: NamedDependency[Principal], delivery_id: FromPath[int]) -> Redirect:
    await deliveries.mark_read(actor, delivery_id)
    return see_other(f"/leveranser/{delivery_id}", notice="projects.findings-deliveries-read")


@post(
    "/leveranser/{delivery_id:int}/svar", guards=GUARDS, include_in_schema=False,
    name="findings_delivery_answer",
)  # fmt: skip
async def answer(
    actor: NamedDependency[Principal],
    delivery_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("answer", FIELDS, values=form_values(data))
    try:
        body = {k: data[k] for k in FIELDS if isinstance(data.get(k), str)}
        await deliveries.answer(actor, delivery_id, parse(s.AnswerIn, body, MESSAGES))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, delivery_id, form=form.fail(exc), status=exc.status)
    return see_other(
        f"/leveranser/{delivery_id}",
        notice="projects.findings-deliveries-answered",
        fragment="svar",
    )


HANDLERS: list[Any] = [publish, add_recipients, my_deliveries, delivery_page, mark_read, answer]
