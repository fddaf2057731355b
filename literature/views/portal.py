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
from literature import measures, service
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
    verdicts = await service.public_verdicts(filters["q"], with_reviews=False)
    params = {k: v for k, v in filters.items() if v}
    return render(
        "literature/portal.html",
        form=form,
        failed=form if form.failed else None,
        filters=filters,
        research=research,
        pages=max(1, -(-research.total // PER_PAGE)) if research else 1,
        params=params,
        measures=found.items,
        verdicts=verdicts if query.get("besvarte") == "alle" else verdicts[:VERDICTS_SHOWN],
        verdicts_total=len(verdicts),
        status=status,
        **c.labels(),
    )


@get("/kunnskap/behov/{check_id:int}", opt=PUBLIC, include_in_schema=False, name="portal_need")
async def portal_need(check_id: FromPath[int]) -> Template:
    return render(
        "literature/portal_need.html",
        verdict=await service.public_verdict(check_id),
        **c.labels(),
    )


HANDLERS = [portal_page, portal_need]
