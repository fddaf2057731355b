"""A need's matched research groups with the explanation in words (a publication that drove a
match can be taken out of the group's profile there), running the cluster's matching (a job
with a progress bar), and the adviser's conflicts of interest."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import DomainError, NotFound
from klynge.i18n import gettext as _
from klynge.jobs import runner
from klynge.views.common import (
    N_,
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)
from priorities import api as priorities
from projects import groups, match_lists, matches, publications
from projects import schemas as s
from projects.views import common as c

CONFLICT_FIELDS = ("group_id", "scope", "reason")


async def _matches_page(
    actor: Principal,
    need_id: int,
    *,
    job_id: str | None = None,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    listed = await match_lists.need_matches(actor, need_id)
    need = await priorities.load_need(need_id)
    manager = c.manages(actor, need["cluster"])
    form = failed or Form("conflict", CONFLICT_FIELDS, values={"scope": "need"})
    return render(
        "projects/matches.html",
        need=need,
        listed=listed,
        manager=manager,
        in_cluster=access.in_cluster(actor, need["cluster"]),
        researcher_groups=set(actor.org_ids(Role.RESEARCHER)),
        all_groups=await groups.list_groups() if manager else [],
        form=form,
        failed=failed,
        job=await c.job_or_none(actor, job_id),
        notice=notice,
        here=f"/behov/{need_id}/matcher",
        status=status,
        **c.labels(),
    )


@get(
    "/behov/{need_id:int}/matcher",
    guards=[c.NEED_READER],
    include_in_schema=False,
    name="need_matches",
)
async def matches_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], need_id: FromPath[int]
) -> Template:
    return await _matches_page(
        actor,
        need_id,
        job_id=request.query_params.get("jobb"),
        notice=notice_text(request.query_params.get("notice")),
    )


@post(
    "/behov/{need_id:int}/matcher/kjor",
    guards=[c.ADVISERS],
    include_in_schema=False,
    name="need_matching_run",
)
async def matching_run(
    actor: NamedDependency[Principal],
    dispatcher: NamedDependency[runner.Dispatcher],
    need_id: FromPath[int],
) -> Redirect:
    need = await priorities.load_need(need_id)
    job = await matches.start_matching(actor, dispatcher, need["cluster"])
    return see_other(f"/behov/{need_id}/matcher?jobb={job.id}", fragment="matching")


@post(
    "/behov/{need_id:int}/matcher/konflikt",
    guards=[c.ADVISERS],
    include_in_schema=False,
    name="need_conflict_add",
)
async def conflict_add(
    actor: NamedDependency[Principal],
    need_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("conflict", CONFLICT_FIELDS, values=form_values(data))
    need = await priorities.load_need(need_id)
    body: dict[str, Any] = {
        "group_id": text(data, "group_id"),
        "reason": text(data, "reason", strip=False).strip(),
    }
    if text(data, "scope") != "cluster":
        body["need_id"] = str(need_id)
    try:
        await matches.add_conflict(
            actor,
            need["cluster"],
            parse(s.ConflictIn, body, {"group_id": _("Choose the research group.")}),
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _matches_page(actor, need_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/behov/{need_id}/matcher", notice="projects.conflict-added", fragment="konflikt"
    )


@post(
    "/behov/{need_id:int}/matcher/utelat",
    guards=[c.NEED_READER],
    include_in_schema=False,
    name="need_match_exclude_publication",
)
async def exclude_publication(
    actor: NamedDependency[Principal],
    need_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Redirect:
    """An adviser of the cluster (or the group's researcher) takes a publication that drove a
    match out of the group's profile; the use case decides who may."""
    ids = c.int_list(text(data, "publication_id"))
    if not ids:
        raise NotFound(N_("We could not find the publication."))
    need = await priorities.load_need(need_id)
    group_id = await publications.exclude_publication(actor, ids[0], need["cluster"])
    return see_other(
        f"/behov/{need_id}/matcher",
        notice="projects.publication-excluded",
        fragment=f"gruppe-{group_id}",
    )


HANDLERS = [matches_page, matching_run, conflict_add, exclude_publication]
