"""The funder's review panel in the browser (/soknader/{id}/vurdering): reviews with scores,
asking for changes, the decision form; and the decision letter (/soknader/{id}/vedtak.docx)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
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
from projects.grants import decisions, letters, reviews
from projects.grants import reviews_schemas as s
from projects.grants.controllers.reviews import DOCX
from projects.grants.money import format_nok, parse_nok

MESSAGES: dict[str, Any] = {
    "comment": N_("Write what should be changed."),
    "decision": N_("Choose granted or declined."),
    "amount_ore": N_("Write the amount in kroner, for example 250 000."),
    "starts_on": N_("Write the date as YYYY-MM-DD."),
    "ends_on": N_("Write the date as YYYY-MM-DD."),
    "reason": N_("Write the reason for declining."),
    "scores": N_("Choose a score from 1 to 5."),
}
STATUS_LABELS = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "changes_requested": N_("Changes requested"),
    "granted": N_("Granted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}
DECISION_FIELDS = ("decision", "amount", "starts_on", "ends_on", "extra_conditions", "reason")


def _here(application_id: int) -> str:
    return f"/soknader/{application_id}/vurdering"


async def _page(
    actor: Principal, application_id: int, *, failed: Form | None = None, notice: str = "",
    status: int = 200,
) -> Template:  # fmt: skip
    data = await reviews.list_reviews(actor, application_id)
    return render(
        "projects/grants/reviews_panel.html",
        data=data,
        rows=reviews.scores_table(data.criteria, data.reviews),
        failed=failed,
        # One form per panel form, so their fields' ids (and labels) differ.
        forms={
            name: failed if failed is not None and failed.id == name else Form(name)
            for name in ("review", "changes", "decision")
        },
        notice=notice,
        here=_here(application_id),
        nok=format_nok,
        status_labels=STATUS_LABELS,
        status=status,
    )


@get(
    "/soknader/{application_id:int}/vurdering",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="grant_review_panel",
)
async def review_panel(
    request: Request[Any, Any, Any],
    actor: NamedDependency[Principal],
    application_id: FromPath[int],
) -> Template:
    notice = notice_text(request.query_params.get("notice"))
    return await _page(actor, application_id, notice=notice)


async def _save(
    actor: Principal, application_id: int, form: Form, call: Awaitable[Any], notice: str
) -> Template | Redirect:
    try:
        await call
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, application_id, failed=form.fail(exc), status=exc.status)
    return see_other(_here(application_id), notice=f"projects.{notice}")


@post(
    "/soknader/{application_id:int}/vurdering",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="grant_review_add",
)
async def review_add(
    actor: NamedDependency[Principal], application_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:  # fmt: skip
    form = Form("review", ("comment",), values=form_values(data))
    criteria = (await reviews.list_reviews(actor, application_id)).criteria
    scores = [
        {"criterion": c, "score": text(data, f"score-{i}")}
        for i, c in enumerate(criteria)
        if text(data, f"score-{i}")
    ]
    try:
        body = parse(s.ReviewCreate, {"comment": text(data, "comment"), "scores": scores}, MESSAGES)
    except DomainError as exc:
        return await _page(actor, application_id, failed=form.fail(exc), status=exc.status)
    return await _save(
        actor,
        application_id,
        form,
        reviews.add_review(actor, application_id, body),
        "grants-reviews-saved",
    )


@post(
    "/soknader/{application_id:int}/endringer",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="grant_review_changes",
)
async def review_changes(
    actor: NamedDependency[Principal], application_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:  # fmt: skip
    form = Form("changes", ("comment",), values=form_values(data))
    try:
        body = parse(s.ChangesRequest, {"comment": text(data, "comment")}, MESSAGES)
    except DomainError as exc:
        return await _page(actor, application_id, failed=form.fail(exc), status=exc.status)
    call = reviews.request_changes(actor, application_id, body)
    return await _save(actor, application_id, form, call, "grants-reviews-changes-requested")


def _decision_body(data: dict[str, Any]) -> dict[str, Any]:
    body = {name: text(data, name) for name in DECISION_FIELDS if name != "amount"}
    amount = text(data, "amount")
    if amount:
        try:
            body["amount_ore"] = parse_nok(amount)
        except ValueError:
            raise Invalid(
                N_("Some fields need attention."), [FieldError("amount", MESSAGES["amount_ore"])]
            ) from None
    return body


@post(
    "/soknader/{application_id:int}/vedtak",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="grant_decide",
)
async def decide(
    actor: NamedDependency[Principal], application_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:  # fmt: skip
    form = Form("decision", DECISION_FIELDS, values=form_values(data))
    try:
        body = parse(s.Decision, _decision_body(data), MESSAGES)
    except DomainError as exc:
        return await _page(actor, application_id, failed=form.fail(exc), status=exc.status)
    return await _save(
        actor,
        application_id,
        form,
        decisions.decide(actor, application_id, body),
        "grants-reviews-decided",
    )


@get(
    "/soknader/{application_id:int}/vedtak.docx",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="grant_decision_letter",
)
async def decision_letter(
    actor: NamedDependency[Principal], application_id: FromPath[int]
) -> Response[bytes]:
    filename, content = await letters.decision_letter(actor, application_id)
    return Response(
        content, media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )  # fmt: skip


HANDLERS: list[Any] = [review_panel, review_add, review_changes, decide, decision_letter]
