"""Belonging: my organisations, a cluster's overview with its join requests, and a
municipality's requests to join clusters (request, withdraw, leave)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth import accounts
from klynge.auth.guards import (
    requires_authenticated,
    requires_cluster_adviser,
    requires_cluster_member,
    requires_municipality_coordinator,
)
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_, gettext
from klynge.orgs import schemas as s
from klynge.orgs import service as orgs
from klynge.orgs.schemas import SERVICE_TYPE_LABELS, ServiceType
from klynge.scoping import can_manage_cluster
from klynge.views.common import (
    FieldMessage,
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)


@get(
    "/mine-organisasjoner",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="my_organisations",
)
async def my_organisations(actor: NamedDependency[Principal]) -> Template:
    grants = await accounts.grants_of(actor.account_id)
    # An admin "belongs" to every cluster; listing them all here would bury their own roles.
    clusters = [] if actor.is_admin else await orgs.list_clusters(actor)
    return render("core/my_organisations.html", grants=grants, clusters=clusters)


# --- cluster overview ------------------------------------------------------------------------


async def _cluster_page(
    actor: Principal,
    cluster_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    cluster = await orgs.get_cluster(actor, cluster_id)
    memberships = await orgs.list_memberships(actor, cluster_id)
    forms: dict[str, Form] = {}
    for membership in memberships:
        for kind in ("decide", "leave"):
            key = f"{kind}-{membership.id}"
            forms[key] = failed if failed and failed.id == key else Form(key, ("reason",))
    return render(
        "core/cluster.html",
        cluster=cluster,
        pending=[m for m in memberships if m.status == "requested"],
        memberships=memberships,
        motor_id=cluster.motor_municipality.id,
        manage=can_manage_cluster(actor, cluster_id),
        forms=forms,
        failed=failed,
        notice=notice,
        here=f"/klynger/{cluster_id}",
        status=status,
    )


@get(
    "/klynger/{cluster_id:int}",
    guards=[requires_cluster_member()],
    include_in_schema=False,
    name="cluster",
)
async def cluster_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], cluster_id: FromPath[int]
) -> Template:
    return await _cluster_page(
        actor, cluster_id, notice=notice_text(request.query_params.get("notice"))
    )


@post(
    "/klynger/{cluster_id:int}/soknader/{membership_id:int}",
    guards=[requires_cluster_adviser()],
    include_in_schema=False,
    name="cluster_decide",
)
async def cluster_decide(
    actor: NamedDependency[Principal],
    cluster_id: FromPath[int],
    membership_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form(f"decide-{membership_id}", ("reason",), values=form_values(data))
    decision = text(data, "decision")
    try:
        if decision not in ("approve", "decline"):
            raise Invalid(N_("Choose approve or decline."))
        body = parse(
            s.MembershipDecision,
            {"approve": decision == "approve", "reason": text(data, "reason")},
            _reason_messages(),
        )
        await orgs.decide_membership(actor, membership_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _cluster_page(actor, cluster_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/klynger/{cluster_id}",
        notice="core.approved" if decision == "approve" else "core.declined",
        fragment="soknader",
    )


@post(
    "/klynger/{cluster_id:int}/medlemskap/{membership_id:int}/avslutt",
    guards=[requires_cluster_adviser()],
    include_in_schema=False,
    name="cluster_member_leave",
)
async def cluster_member_leave(
    actor: NamedDependency[Principal],
    cluster_id: FromPath[int],
    membership_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form(f"leave-{membership_id}", ("reason",), values=form_values(data))
    try:
        body = parse(s.MembershipEnd, {"reason": text(data, "reason")}, _reason_messages())
        await orgs.leave_cluster(actor, membership_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _cluster_page(actor, cluster_id, failed=form.fail(exc), status=exc.status)
    return see_other(f"/klynger/{cluster_id}", notice="core.left", fragment="medlemmer")


def _reason_messages() -> dict[str, FieldMessage]:
    return {"reason": N_("The reason can be at most 2,000 characters.")}


# --- a municipality and its cluster memberships ------------------------------------------------


async def _municipality_page(
    actor: Principal,
    municipality_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    municipality = await orgs.get_municipality(municipality_id)
    memberships = await orgs.memberships_of_municipality(actor, municipality_id)
    taken = {m.cluster_id for m in memberships if m.status in orgs.OPEN_STATUSES}
    if actor.is_admin:
        choices = [(c.id, c.name, c.description) for c in await orgs.list_clusters(actor)]
    else:
        choices = [
            (c["id"], c["name"], c["description"]) for c in await orgs.list_public_clusters()
        ]
    forms: dict[str, Form] = {
        "join": Form("join", ("cluster_id", "note")),
        "service": Form("service", SERVICE_FIELDS),
    }
    for membership in memberships:
        for kind in ("withdraw", "leave"):
            key = f"{kind}-{membership.id}"
            forms[key] = Form(key, ("reason",))
    if failed is not None:
        forms[failed.id] = failed
    return render(
        "core/municipality.html",
        municipality=municipality,
        memberships=memberships,
        services=await orgs.list_services(municipality_id),
        service_type_options=[(t.value, gettext(SERVICE_TYPE_LABELS[t])) for t in ServiceType],
        choices=[c for c in choices if c[0] not in taken],
        choice_options=[(c[0], c[1]) for c in choices if c[0] not in taken],
        forms=forms,
        failed=failed,
        notice=notice,
        here=f"/kommuner/{municipality_id}",
        status=status,
    )


@get(
    "/kommuner/{municipality_id:int}",
    guards=[requires_municipality_coordinator()],
    include_in_schema=False,
    name="municipality",
)
async def municipality_page(
    request: Request[Any, Any, Any],
    actor: NamedDependency[Principal],
    municipality_id: FromPath[int],
) -> Template:
    return await _municipality_page(
        actor, municipality_id, notice=notice_text(request.query_params.get("notice"))
    )


@post(
    "/kommuner/{municipality_id:int}/soknader",
    guards=[requires_municipality_coordinator()],
    include_in_schema=False,
    name="municipality_request",
)
async def municipality_request(
    actor: NamedDependency[Principal],
    municipality_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("join", ("cluster_id", "note"), values=form_values(data))
    try:
        raw = text(data, "cluster_id")
        if not raw.isdigit():
            raise Invalid(
                N_("Some fields need attention."),
                [FieldError("cluster_id", N_("Choose the cluster you want to join."))],
            )
        body = parse(
            s.MembershipRequest,
            {"municipality_id": municipality_id, "note": text(data, "note")},
            {"note": N_("The note can be at most 2,000 characters.")},
        )
        await orgs.request_membership(actor, int(raw), body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _municipality_page(
            actor, municipality_id, failed=form.fail(exc), status=exc.status
        )
    return see_other(f"/kommuner/{municipality_id}", notice="core.requested", fragment="soknader")


SERVICE_FIELDS = ("service_type", "name", "description")


@post(
    "/kommuner/{municipality_id:int}/tjenester",
    guards=[requires_municipality_coordinator()],
    include_in_schema=False,
    name="municipality_add_service",
)
async def municipality_add_service(
    actor: NamedDependency[Principal],
    municipality_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    """The coordinator registers a service of their own municipality."""
    form = Form("service", SERVICE_FIELDS, values=form_values(data))
    try:
        body = parse(
            s.ServiceCreate,
            {k: text(data, k) for k in SERVICE_FIELDS},
            {
                "service_type": N_("Choose the kind of service."),
                "name": N_("Write the service's name (at most 200 characters)."),
                "description": N_("The description can be at most 10,000 characters."),
            },
        )
        await orgs.create_service(actor, municipality_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _municipality_page(
            actor, municipality_id, failed=form.fail(exc), status=exc.status
        )
    return see_other(
        f"/kommuner/{municipality_id}", notice="core.service-added", fragment="tjenester"
    )


@post(
    "/kommuner/{municipality_id:int}/soknader/{membership_id:int}/trekk",
    guards=[requires_municipality_coordinator()],
    include_in_schema=False,
    name="municipality_withdraw",
)
async def municipality_withdraw(
    actor: NamedDependency[Principal],
    municipality_id: FromPath[int],
    membership_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    return await _end_membership(
        actor, municipality_id, membership_id, data, "withdraw", orgs.withdraw_membership
    )


@post(
    "/kommuner/{municipality_id:int}/medlemskap/{membership_id:int}/forlat",
    guards=[requires_municipality_coordinator()],
    include_in_schema=False,
    name="municipality_leave",
)
async def municipality_leave(
    actor: NamedDependency[Principal],
    municipality_id: FromPath[int],
    membership_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    return await _end_membership(
        actor, municipality_id, membership_id, data, "leave", orgs.leave_cluster
    )


_END_NOTICES = {"withdraw": "core.withdrawn", "leave": "core.left"}


async def _end_membership(
    actor: Principal,
    municipality_id: int,
    membership_id: int,
    data: dict[str, Any],
    kind: str,
    use_case: Callable[[Principal, int, s.MembershipEnd], Awaitable[s.MembershipOut]],
) -> Template | Redirect:
    """Withdraw a pending request or leave a cluster: same form, same failure handling."""
    form = Form(f"{kind}-{membership_id}", ("reason",), values=form_values(data))
    try:
        body = parse(s.MembershipEnd, {"reason": text(data, "reason")}, _reason_messages())
        await use_case(actor, membership_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _municipality_page(
            actor, municipality_id, failed=form.fail(exc), status=exc.status
        )
    return see_other(f"/kommuner/{municipality_id}", notice=_END_NOTICES[kind], fragment="soknader")


HANDLERS = [
    my_organisations,
    cluster_page,
    cluster_decide,
    cluster_member_leave,
    municipality_page,
    municipality_request,
    municipality_add_service,
    municipality_withdraw,
    municipality_leave,
]
