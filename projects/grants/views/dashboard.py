"""Dashboard in the browser: the funder's grants dashboard (/finansiering, admins choose a
funder) with its xlsx, and the adviser's grants view of a cluster (/klynger/{id}/tilskudd)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from klynge.auth.guards import requires_cluster_adviser, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.i18n import gettext as _
from klynge.views.common import render
from projects.grants import dashboard, dashboard_labels
from projects.grants.dashboard_chart import count_chart, frame_chart
from projects.grants.dashboard_export import workbook_bytes, xlsx_response
from projects.grants.dashboard_schemas import DashboardOut
from projects.grants.money import format_nok, format_percent

requires_funder_officer = requires_role(Role.FUNDER_OFFICER)


def _chosen(request: Request[Any, Any, Any], funders: list[tuple[int, str]]) -> int | None:
    raw = (request.query_params.get("funder_id") or "").strip()
    if raw.isdigit():
        return int(raw)
    return funders[0][0] if len(funders) == 1 else None


def _context(d: DashboardOut) -> dict[str, Any]:
    frames = [(c.title, c.budget_ore, c.granted_ore, format_nok(c.granted_ore)) for c in d.calls]
    statuses = [
        (_(dashboard_labels.STATUS_LABELS[s.status]), s.count) for s in d.applications_by_status
    ]
    return {
        "d": d,
        "frame_chart": frame_chart(frames),
        "status_chart": count_chart(statuses),
        "nok": format_nok,
        "pct": lambda text: format_percent(Decimal(text)),
        "labels": dashboard_labels,
    }


@get("/finansiering", guards=[requires_funder_officer], include_in_schema=False, name="funding")
async def funding_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    funders = await dashboard.funders_of(actor)
    funder_id = _chosen(request, funders)
    context: dict[str, Any] = {"d": None}
    if funder_id is not None:
        context = _context(await dashboard.funder_dashboard(actor, funder_id))
    return render(
        "projects/grants/dashboard_page.html",
        funders=funders,
        funder_id=funder_id,
        xlsx=f"/finansiering.xlsx?funder_id={funder_id}",
        **context,
    )


@get("/finansiering.xlsx", guards=[requires_funder_officer], include_in_schema=False)
async def funding_xlsx(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Response[bytes]:
    funder_id = _chosen(request, await dashboard.funders_of(actor))
    d = await dashboard.funder_dashboard(actor, funder_id or 0)
    return xlsx_response(workbook_bytes(d, actor.language), "finansiering.xlsx")


@get(
    "/klynger/{cluster_id:int}/tilskudd",
    guards=[requires_cluster_adviser()],
    include_in_schema=False,
    name="cluster_grants",
)
async def cluster_grants_page(
    actor: NamedDependency[Principal], cluster_id: FromPath[int]
) -> Template:
    context = _context(await dashboard.cluster_dashboard(actor, cluster_id))
    return render(
        "projects/grants/dashboard_page.html",
        funders=[],
        funder_id=None,
        xlsx=f"/klynger/{cluster_id}/tilskudd.xlsx",
        **context,
    )


@get(
    "/klynger/{cluster_id:int}/tilskudd.xlsx",
    guards=[requires_cluster_adviser()],
    include_in_schema=False,
)
async def cluster_grants_xlsx(
    actor: NamedDependency[Principal], cluster_id: FromPath[int]
) -> Response[bytes]:
    d = await dashboard.cluster_dashboard(actor, cluster_id)
    return xlsx_response(workbook_bytes(d, actor.language), "tilskudd.xlsx")


HANDLERS = [funding_page, funding_xlsx, cluster_grants_page, cluster_grants_xlsx]
