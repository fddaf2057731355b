"""The public, low-threshold portal (no login): summarised research behind public measures and
published verdicts, measures by topic, target group and service, and the answered needs."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from klynge.auth.guards import PUBLIC
from klynge.errors import DomainError
from klynge.orgs.schemas import ServiceType
from klynge.views.common import Form, form_failed, render
from literature import measures, portal_reads, service
from literature.search import SearchPage
from literature.views import common as c

PER_PAGE = 20
# The newest answered needs; all of them (thousands at national scale) on request.
VERDICTS_SHOWN = 20


@get("/kunnskap", opt=PUBLIC, include_in_schema=False, name="portal")
async def portal_page(request: Request[Any, Any, Any]) -> Template:
    query = request.query_params
    service_type = query.get("service_type", "")
    filters = {
        "q": query.get("q", "").strip()[:200],
        "target_group": query.get("target_group", "").strip()[:200],
        "service_type": service_type if service_type in {t.value for t in ServiceType} else "",
    }
    page = max(1, c.int_or_none(query.get("page", "1")) or 1)
    form = Form("portal", ("q", "target_group", "service_type"))
    research = None
    status = 200
    try:
        research = await service.search_public(
            service.SearchParams(q=filters["q"], page=page, per_page=PER_PAGE)
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        form.fail(exc)
        status = exc.status
    # Anonymous on purpose: the portal shows the same to everyone.
    found = await measures.list_measures(
        None,
        q=filters["q"],
        target_group=filters["target_group"],
        service_type=filters["service_type"],
    )
    if filters["q"] or query.get("besvarte") == "alle":
        verdicts = await portal_reads.public_verdicts(filters["q"], with_reviews=False)
        verdicts_total = len(verdicts)
    else:  # the newest only, and their number: not every verdict read (issue 17)
        verdicts, verdicts_total = await portal_reads.public_verdicts_newest(VERDICTS_SHOWN)
    params = {k: v for k, v in filters.items() if v}
    return render(
        "literature/portal.html",
        form=form,
        failed=form if form.failed else None,
        filters=filters,
        research=research,
        pages=_pages(research, browsing=not filters["q"]),
        params=params,
        measures=found.items,
        verdicts=verdicts if query.get("besvarte") == "alle" else verdicts[:VERDICTS_SHOWN],
        verdicts_total=verdicts_total,
        status=status,
        **c.labels(),
    )


def _pages(research: SearchPage | None, browsing: bool) -> int:
    """The pages to link: without a query the list is not counted, so up to the next one."""
    if research is None:
        return 1
    if browsing and research.capped:
        return research.page + 1
    return max(1, -(-research.total // PER_PAGE))


@get("/kunnskap/behov/{check_id:int}", opt=PUBLIC, include_in_schema=False, name="portal_need")
async def portal_need(check_id: FromPath[int]) -> Template:
    return render(
        "literature/portal_need.html",
        verdict=await portal_reads.public_verdict(check_id),
        **c.labels(),
    )


HANDLERS = [portal_page, portal_need]
