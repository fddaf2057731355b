"""The return-rate dashboard in the browser: /tilbakeforing (chart, tables and filters) with its
xlsx, and the public portal's aggregate figures per cluster (/kunnskap/tilbakeforing)."""

from __future__ import annotations

from dataclasses import astuple
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Template

from klynge.auth.guards import PUBLIC, requires_authenticated
from klynge.auth.principal import Principal
from klynge.i18n import gettext as _
from klynge.views.common import render
from projects.findings import dashboard
from projects.findings.dashboard_chart import answered_chart
from projects.findings.dashboard_export import workbook_bytes, xlsx_response
from projects.findings.dashboard_schemas import GroupOut

FILTERS = ("cluster_id", "project_id", "municipality_id")


def _filters(request: Request[Any, Any, Any]) -> dashboard.Filters:
    values = [(request.query_params.get(k) or "").strip() for k in FILTERS]
    return dashboard.Filters(*[int(v) if v.isdigit() else None for v in values])


def _chart(groups: list[GroupOut]) -> Any:
    return answered_chart(
        [
            (
                g.name,
                g.figures.deliveries,
                g.figures.answered,
                _("%(answered)s of %(deliveries)s answered")
                % {"answered": g.figures.answered, "deliveries": g.figures.deliveries},
            )
            for g in groups
        ]
    )


@get("/tilbakeforing", guards=[requires_authenticated], include_in_schema=False, name="return")
async def return_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    f = _filters(request)
    d = await dashboard.return_rates(actor, f)
    filtered = f != dashboard.Filters()
    options = await dashboard.return_rates(actor) if filtered else d
    chosen = zip(FILTERS, astuple(f), strict=True)
    query = urlencode({k: v for k, v in chosen if v is not None})
    return render(
        "projects/findings/dashboard_page.html",
        d=d,
        f=f,
        options=options,
        chart=_chart(d.projects),
        xlsx="/tilbakeforing.xlsx" + (f"?{query}" if query else ""),
    )


@get("/tilbakeforing.xlsx", guards=[requires_authenticated], include_in_schema=False)
async def return_xlsx(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Response[bytes]:
    d = await dashboard.return_rates(actor, _filters(request))
    return xlsx_response(workbook_bytes(d, actor.language), "tilbakeforing.xlsx")


@get("/kunnskap/tilbakeforing", opt=PUBLIC, include_in_schema=False, name="portal_return")
async def portal_page() -> Template:
    d = await dashboard.public_return_rates()
    return render("projects/findings/portal_return.html", d=d, chart=_chart(d.clusters))


HANDLERS = [return_page, return_xlsx, portal_page]
