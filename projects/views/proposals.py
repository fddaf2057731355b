"""Project proposals in the browser: the list (advisers: their clusters'; researchers: their
groups'), the proposal form for matched needs, a proposal's page with the adviser's review and
the researcher's revision after "ask for changes", and the projects accepted proposals made."""

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
from projects import proposal_pages as pages
from projects import proposals
from projects import schemas as s
from projects.paging import page_number
from projects.views import common as c

PROPOSAL_FIELDS = (
    "group_id",
    "need_ids",
    "title",
    "aims",
    "research_questions",
    "design",
    "methods",
    "municipality_ids",
    "service_ids",
    "user_representatives",
    "how",
    "ethics",
    "ethics_note",
    "budget_nok",
    "start",
    "end",
    "timeline",
)
REVIEW_FIELDS = ("decision", "reason")


def _messages() -> dict[str, str]:
    return {
        "group_id": _("Choose the research group."),
        "need_ids": _("Choose at least one need."),
        "title": _("Write a title."),
        "aims": _("Write the aims."),
        "research_questions": _("Write the research questions."),
        "design": _("Describe the design and methods."),
        "budget_nok": _("Write the amount in whole kroner, for example 2500000."),
        "start": _("Write the date as YYYY-MM-DD."),
        "end": _("Write the date as YYYY-MM-DD."),
        "methods": _("Choose from the list."),
        "ethics": _("Choose from the list."),
        "decision": _("Choose a decision."),
        "reason": _("Write a reason."),
    }


def _remap(form: Form) -> Form:
    errors: dict[str, str] = {}
    for name, message in form.errors.items():
        parts = [p for p in name.split(".") if not p.isdigit() and p != "codesign"]
        key = parts[-1] if parts else name
        errors[key] = f"{errors[key]} {message}" if key in errors else message
    form.errors = errors
    return form


def _body(data: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {
        name: text(data, name, strip=False).strip()
        for name in (
            "title",
            "aims",
            "research_questions",
            "design",
            "ethics_note",
            "timeline",
            "group_id",
            "start",
            "end",
        )
    }
    body["budget_nok"] = text(data, "budget_nok").replace(" ", "").replace("\u00a0", "")
    body["need_ids"] = c.int_list(data.get("need_ids", []))
    body["methods"] = c.as_list(data, "methods")
    body["ethics"] = c.as_list(data, "ethics")
    body["codesign"] = {
        "municipality_ids": c.int_list(data.get("municipality_ids", [])),
        "service_ids": c.int_list(data.get("service_ids", [])),
        "user_representatives": text(data, "user_representatives", strip=False).strip(),
        "how": text(data, "how", strip=False).strip(),
    }
    if not body["need_ids"]:
        body.pop("need_ids")
    return body


async def _new_page(actor: Principal, form: Form, *, status: int = 200) -> Template:
    need_ids = c.int_list(form.value("need_ids", []))
    return render(
        "projects/proposal_form.html",
        form=form,
        failed=form if form.failed else None,
        proposal=None,
        action="/forslag/ny",
        here="/forslag/ny",
        status=status,
        **await pages.form_choices(actor, need_ids),
        **c.labels(),
    )


# Every logged-in user: the use case shows each only the proposals they may see (advisers,
# the groups' researchers, and the services and municipalities that asked the need).
@get("/forslag", guards=[requires_authenticated], include_in_schema=False, name="proposals")
async def proposals_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    overview = await pages.proposals_overview(actor, page_number(request.query_params.get("side")))
    return render(
        "projects/proposals.html",
        proposals=overview["proposals"].items,
        page=overview["proposals"],
        projects=overview["projects"],
        may_propose=overview["may_propose"],
        notice=notice_text(request.query_params.get("notice")),
        **c.labels(),
    )


@get("/forslag/ny", guards=[c.RESEARCHERS], include_in_schema=False, name="proposal_new")
async def proposal_new(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    values: dict[str, Any] = {}
    need_id = c.int_or_none(request.query_params.get("need_id", ""))
    group_id = c.int_or_none(request.query_params.get("group_id", ""))
    if need_id is not None:
        values["need_ids"] = [str(need_id)]
    if group_id is not None:
        values["group_id"] = str(group_id)
    return await _new_page(actor, Form("proposal", PROPOSAL_FIELDS, values=values))


@post("/forslag/ny", guards=[c.RESEARCHERS], include_in_schema=False, name="proposal_create")
async def proposal_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("proposal", PROPOSAL_FIELDS, values=form_values(data))
    try:
        out = await proposals.create_proposal(actor, parse(s.ProposalIn, _body(data), _messages()))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _new_page(actor, _remap(form.fail(exc)), status=exc.status)
    return see_other(f"/forslag/{out.id}", notice="projects.proposal-created")


def _values(out: s.ProposalOut) -> dict[str, Any]:
    codesign = out.codesign or {}
    return {
        "group_id": str(out.group_id),
        "need_ids": [str(n) for n in out.need_ids],
        "title": out.title,
        "aims": out.aims,
        "research_questions": out.research_questions,
        "design": out.design,
        "methods": list(out.methods),
        "municipality_ids": [str(m) for m in codesign.get("municipality_ids", [])],
        "service_ids": [str(m) for m in codesign.get("service_ids", [])],
        "user_representatives": codesign.get("user_representatives", ""),
        "how": codesign.get("how", ""),
        "ethics": list(out.ethics),
        "ethics_note": out.ethics_note,
        "budget_nok": "" if out.budget_nok is None else str(out.budget_nok),
        "start": out.start.isoformat() if out.start else "",
        "end": out.end.isoformat() if out.end else "",
        "timeline": out.timeline,
    }


async def _proposal_page(
    actor: Principal,
    proposal_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    detail = await pages.proposal_detail(actor, proposal_id)
    out = detail["proposal"]
    forms = {
        "review": Form("review", REVIEW_FIELDS),
        "proposal": Form("proposal", PROPOSAL_FIELDS, values=_values(out)),
    }
    if failed is not None:
        forms[failed.id] = failed
    return render(
        "projects/proposal.html",
        proposal=out,
        forms=forms,
        form=forms["proposal"],
        failed=failed,
        manager=detail["manager"],
        may_revise=detail["may_revise"],
        need_titles=detail["need_titles"],
        municipality_names=detail["municipality_names"],
        service_names=detail["service_names"],
        action=f"/forslag/{proposal_id}/revider",
        notice=notice,
        here=f"/forslag/{proposal_id}",
        status=status,
        **detail["context"],
        **c.labels(),
    )


@get(
    "/forslag/{proposal_id:int}",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="proposal",
)
async def proposal_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], proposal_id: FromPath[int]
) -> Template:
    return await _proposal_page(
        actor, proposal_id, notice=notice_text(request.query_params.get("notice"))
    )


@post(
    "/forslag/{proposal_id:int}/vurdering",
    guards=[c.ADVISERS],
    include_in_schema=False,
    name="proposal_review",
)
async def proposal_review(
    actor: NamedDependency[Principal],
    proposal_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("review", REVIEW_FIELDS, values=form_values(data))
    body = {"decision": text(data, "decision"), "reason": text(data, "reason", strip=False)}
    try:
        await proposals.review(actor, proposal_id, parse(s.ReviewIn, body, _messages()))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _proposal_page(actor, proposal_id, failed=form.fail(exc), status=exc.status)
    return see_other(f"/forslag/{proposal_id}", notice="projects.proposal-reviewed")


@post(
    "/forslag/{proposal_id:int}/revider",
    guards=[c.RESEARCHERS],
    include_in_schema=False,
    name="proposal_revise",
)
async def proposal_revise(
    actor: NamedDependency[Principal],
    proposal_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("proposal", PROPOSAL_FIELDS, values=form_values(data))
    try:
        await proposals.resubmit(actor, proposal_id, parse(s.ProposalIn, _body(data), _messages()))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _proposal_page(
            actor, proposal_id, failed=_remap(form.fail(exc)), status=exc.status
        )
    return see_other(f"/forslag/{proposal_id}", notice="projects.proposal-resubmitted")


HANDLERS = [
    proposals_page,
    proposal_new,
    proposal_create,
    proposal_page,
    proposal_review,
    proposal_revise,
]
