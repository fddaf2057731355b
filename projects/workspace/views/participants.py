"""Participants: HTML pages. The section's forms post here and go back to the project page; a
form with problems is shown again on the participants page (or the join page) with them."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.i18n import N_
from klynge.views.common import Form, form_failed, form_values, notice_text, parse, render
from klynge.views.common import see_other as _see_other
from projects.workspace import participant_schemas as s
from projects.workspace import participants, participants_contact, participants_join

CHOOSE = N_("Choose from the list.")
MESSAGES = {
    "kind": CHOOSE,
    "group_id": CHOOSE,
    "municipality_id": CHOOSE,
    "service_id": CHOOSE,
    "account_id": CHOOSE,
    "contact_id": CHOOSE,
    "role": CHOOSE,
    "label": N_("Write what they represent, e.g. the user organisation or youth council."),
    "decision": N_("Choose a decision."),
    "response": N_("Choose an answer."),
    "reason": N_("Check what you wrote in this field."),
    "note": N_("Check what you wrote in this field."),
}
JOIN_FIELDS = ("municipality_id", "note")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not k.startswith("_") and k != "form"}


def see_other(project_id: int, notice: str, anchor: str = "deltakere") -> Redirect:
    return _see_other(f"/prosjekter/{project_id}", notice=f"projects.{notice}", fragment=anchor)


async def _page(
    actor: Principal,
    project_id: int,
    *,
    form: Form | None = None,
    status: int = 200,
    group_query: str = "",
) -> Template:
    context = await participants.participants_page(actor, project_id, group_query)
    if form is not None:
        key = form.id.removeprefix("participant-")
        if key in context["data"]["forms"]:
            context["data"]["forms"][key] = form
    return render(
        "projects/workspace/participants_page.html",
        failed=form if form is not None and form.failed else None,
        status=status,
        **context,
    )


@get(
    "/prosjekter/{project_id:int}/deltakere",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_participants",
)
async def participants_view(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], project_id: FromPath[int]
) -> Template:
    group_query = request.query_params.get("gruppe", "").strip()[:200]
    page = await _page(actor, project_id, group_query=group_query)
    page.context["notice"] = notice_text(request.query_params.get("notice"))
    return page


@post(
    "/prosjekter/{project_id:int}/deltakere",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_participant_add",
)
async def participant_add(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    kind = str(data.get("kind", ""))
    form = Form(f"participant-{kind}", participants.ADD_FIELDS, values=form_values(data))
    try:
        body = parse(s.ParticipantCreate, _clean(data), MESSAGES)
        added = await participants.add_participant(actor, project_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, project_id, form=form.fail(exc), status=exc.status)
    notice = "participants-invited" if added.status == "invited" else "participants-added"
    return see_other(project_id, notice)


@post(
    "/prosjekter/{project_id:int}/deltakere/{participant_id:int}/beslutning",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_participant_decide",
)
async def participant_decide(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    participant_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("participant-decision", ("decision", "reason"), values=form_values(data))
    try:
        body = parse(s.ParticipantDecision, _clean(data), MESSAGES)
        decided = await participants.decide_request(actor, project_id, participant_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, project_id, form=form.fail(exc), status=exc.status)
    notice = "participants-approved" if decided.status == "active" else "participants-declined"
    return see_other(project_id, notice)


@post(
    "/prosjekter/{project_id:int}/deltakere/{participant_id:int}/avslutt",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_participant_leave",
)
async def participant_leave(
    actor: NamedDependency[Principal], project_id: FromPath[int], participant_id: FromPath[int]
) -> Template | Redirect:
    try:
        await participants.remove_participant(actor, project_id, participant_id)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        form = Form("participant-leave").fail(exc)
        return await _page(actor, project_id, form=form, status=exc.status)
    return see_other(project_id, "participants-removed")


@post(
    "/prosjekter/{project_id:int}/deltakere/{participant_id:int}/kontakt",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_participant_contact",
)
async def participant_contact(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    participant_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form(f"contact-{participant_id}", ("account_id",), values=form_values(data))
    try:
        body = parse(s.ContactUpdate, _clean(data), MESSAGES)
        await participants_contact.set_contact(actor, project_id, participant_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, project_id, form=form.fail(exc), status=exc.status)
    return see_other(project_id, "participants-contact")


async def _join_page(
    actor: Principal, project_id: int, *, form: Form | None = None, status: int = 200
) -> Template:
    context = await participants_join.join_page(actor, project_id)
    return render(
        "projects/workspace/join.html",
        join_form=form if form is not None and form.id == "join" else Form("join", JOIN_FIELDS),
        failed=form if form is not None and form.failed else None,
        status=status,
        **context,
    )


@get(
    "/prosjekter/{project_id:int}/bli-med",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_join",
)
async def join_view(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], project_id: FromPath[int]
) -> Template:
    page = await _join_page(actor, project_id)
    page.context["notice"] = notice_text(request.query_params.get("notice"))
    return page


@post(
    "/prosjekter/{project_id:int}/bli-med",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_join_request",
)
async def join_request(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("join", JOIN_FIELDS, values=form_values(data))
    try:
        body = parse(s.JoinRequest, _clean(data), MESSAGES)
        await participants_join.request_join(actor, project_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _join_page(actor, project_id, form=form.fail(exc), status=exc.status)
    return _see_other(f"/prosjekter/{project_id}/bli-med", notice="projects.participants-requested")


@post(
    "/prosjekter/{project_id:int}/deltakere/{participant_id:int}/svar",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_invitation_respond",
)
async def invitation_respond(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    participant_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form(f"answer-{participant_id}", ("response", "contact_id", "note"))
    form.values = form_values(data)
    try:
        body = parse(s.InvitationResponse, _clean(data), MESSAGES)
        answered = await participants_join.respond(actor, project_id, participant_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _join_page(actor, project_id, form=form.fail(exc), status=exc.status)
    if answered.status == "active":
        return see_other(project_id, "participants-accepted")
    return _see_other("/", notice="projects.participants-refused")


HANDLERS: list[Any] = [
    participants_view,
    participant_add,
    participant_decide,
    participant_leave,
    participant_contact,
    join_view,
    join_request,
    invitation_respond,
]
