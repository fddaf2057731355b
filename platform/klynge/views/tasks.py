"""The start page of a signed-in user, "My tasks": the caller's task list from every app
(klynge.tasks), then their roles and the join requests waiting for them."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from klynge import tasks
from klynge.auth import accounts
from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.orgs import service as orgs
from klynge.orgs.schemas import ClusterOut, MembershipOut
from klynge.views.common import notice_text, render

START_PAGE = "/oppgaver"


async def _pending(caller: Principal) -> list[tuple[ClusterOut, list[MembershipOut]]]:
    """Join requests waiting for the caller's decision, per cluster they advise."""
    pending = []
    for cluster_id in sorted(caller.org_ids(Role.ADVISER)):
        cluster = await orgs.get_cluster(caller, cluster_id)
        requests = await orgs.list_memberships(caller, cluster_id, "requested")
        if requests:
            pending.append((cluster, requests))
    return pending


async def _own_requests(caller: Principal) -> list[MembershipOut]:
    """The requests to join a cluster of the municipalities the caller coordinates."""
    own: list[MembershipOut] = []
    for municipality_id in sorted(caller.org_ids(Role.COORDINATOR)):
        own.extend(
            m
            for m in await orgs.memberships_of_municipality(caller, municipality_id)
            if m.status == "requested"
        )
    return own


@get(START_PAGE, guards=[requires_authenticated], include_in_schema=False, name="my_tasks")
async def my_tasks_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    return render(
        "core/tasks.html",
        tasks=await tasks.my_tasks(actor),
        grants=await accounts.grants_of(actor.account_id),
        pending=await _pending(actor),
        own_requests=await _own_requests(actor),
        notice=notice_text(request.query_params.get("notice")),
    )


HANDLERS = [my_tasks_page]
