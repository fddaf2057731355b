"""Admin pages for users: list and search, create, activate/deactivate, grant and revoke roles."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge import directory
from klynge.auth import accounts
from klynge.auth.guards import requires_admin
from klynge.auth.passwords import MIN_LENGTH
from klynge.auth.principal import Principal
from klynge.auth.roles import ROLE_ORG_KIND, OrgKind, Role
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.orgs import service as orgs
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

CREATE_FIELDS = ("name", "email", "password", "language")
GRANT_FIELDS = ("role", "org_id")

ORG_KIND_LABELS: dict[OrgKind, str] = {
    OrgKind.PLATFORM: N_("the whole platform"),
    OrgKind.CLUSTER: N_("a cluster"),
    OrgKind.MUNICIPALITY: N_("a municipality"),
    OrgKind.SERVICE: N_("a service"),
    OrgKind.RESEARCH_GROUP: N_("a research group"),
    OrgKind.FUNDER: N_("a funder"),
}
ORG_GROUP_LABELS: dict[OrgKind, str] = {
    OrgKind.CLUSTER: N_("Clusters"),
    OrgKind.MUNICIPALITY: N_("Municipalities"),
    OrgKind.SERVICE: N_("Services"),
    OrgKind.RESEARCH_GROUP: N_("Research groups"),
    OrgKind.FUNDER: N_("Funders"),
}


def _create_messages() -> dict[str, FieldMessage]:
    return {
        "name": N_("Enter the person's name."),
        "email": N_("Enter a valid work e-mail address, like ola.nordmann@kommune.no."),
        "password": (
            N_("Enter a password of at least %(count)s characters."),
            {"count": MIN_LENGTH},
        ),
        "language": N_("Choose bokmål, nynorsk or English, or leave it to the organisation."),
    }


@get("/admin/users", guards=[requires_admin], include_in_schema=False, name="admin_users")
async def users_page(request: Request[Any, Any, Any]) -> Template:
    return await _users_page(
        request.query_params.get("q", ""),
        notice=notice_text(request.query_params.get("notice")),
    )


async def _users_page(
    search: str, *, form: Form | None = None, notice: str = "", status: int = 200
) -> Template:
    return render(
        "core/admin/users.html",
        users=await accounts.list_accounts(search),
        search=search,
        form=form or Form("create", CREATE_FIELDS),
        failed=form if form and form.failed else None,
        notice=notice,
        here="/admin/users",
        status=status,
    )


@post("/admin/users", guards=[requires_admin], include_in_schema=False, name="admin_user_create")
async def user_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("create", CREATE_FIELDS, values=form_values(data))
    try:
        body = parse(accounts.AccountCreate, data, _create_messages())
        account = await accounts.create_account(actor, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _users_page("", form=form.fail(exc), status=exc.status)
    return see_other(f"/admin/users/{account.id}", notice="core.user-created")


# --- one user --------------------------------------------------------------------------------


async def _org_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every organisation a role can be held in, grouped by kind, for the picker."""
    clusters = await directory.cluster_names()
    services = await directory.all_services()
    groups: dict[OrgKind, list[tuple[str, str]]] = {
        OrgKind.CLUSTER: [(f"cluster:{cid}", name) for cid, name in clusters.items()],
        OrgKind.MUNICIPALITY: [
            (f"municipality:{m.id}", f"{m.name} ({m.number})")
            for m in await orgs.list_municipalities()
        ],
        OrgKind.SERVICE: [
            (f"service:{v['id']}", f"{v['name']} – {v['municipality_name']}") for v in services
        ],
        OrgKind.RESEARCH_GROUP: [
            (f"research_group:{g.id}", f"{g.name} ({g.institution})")
            for g in await orgs.list_research_groups()
        ],
        OrgKind.FUNDER: [(f"funder:{f.id}", f.name) for f in await orgs.list_funders()],
    }
    return [(_(ORG_GROUP_LABELS[kind]), options) for kind, options in groups.items()]


async def _user_page(
    actor: Principal,
    account_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    grant_form = failed if failed and failed.id == "grant" else Form("grant", GRANT_FIELDS)
    return render(
        "core/admin/user.html",
        account=await accounts.get_account(account_id),
        is_self=account_id == actor.account_id,
        grant_form=grant_form,
        org_choices=await _org_choices(),
        role_kinds={role: _(ORG_KIND_LABELS[kind]) for role, kind in ROLE_ORG_KIND.items()},
        failed=failed,
        notice=notice,
        here=f"/admin/users/{account_id}",
        status=status,
    )


@get(
    "/admin/users/{account_id:int}",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_user",
)
async def user_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], account_id: FromPath[int]
) -> Template:
    return await _user_page(
        actor, account_id, notice=notice_text(request.query_params.get("notice"))
    )


@post(
    "/admin/users/{account_id:int}/status",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_user_status",
)
async def user_status(
    actor: NamedDependency[Principal],
    account_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    active = text(data, "active") == "1"
    try:
        await accounts.update_account(actor, account_id, accounts.AccountUpdate(is_active=active))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _user_page(
            actor, account_id, failed=Form("status").fail(exc), status=exc.status
        )
    return see_other(
        f"/admin/users/{account_id}",
        notice="core.user-activated" if active else "core.user-deactivated",
    )


def _grant_input(data: dict[str, Any]) -> accounts.GrantIn:
    try:
        role = Role(text(data, "role"))
    except ValueError:
        raise Invalid(
            N_("Some fields need attention."), [FieldError("role", N_("Choose a role."))]
        ) from None
    kind = ROLE_ORG_KIND[role]
    if kind is OrgKind.PLATFORM:
        return accounts.GrantIn(role=role)
    prefix, _sep, raw = text(data, "org_id").partition(":")
    if not raw:
        problem = FieldError("org_id", N_("Choose the organisation the role belongs to."))
    elif prefix != kind.value or not raw.isdigit():
        # The label is filled in translated: params are not translated themselves.
        problem = FieldError(
            "org_id",
            N_("This role belongs to %(kind)s. Choose one from that group."),
            params={"kind": _(ORG_KIND_LABELS[kind])},
        )
    else:
        return accounts.GrantIn(role=role, org_id=int(raw))
    raise Invalid(N_("Some fields need attention."), [problem])


@post(
    "/admin/users/{account_id:int}/roles",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_user_grant",
)
async def user_grant(
    actor: NamedDependency[Principal],
    account_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("grant", GRANT_FIELDS, values=form_values(data))
    try:
        await accounts.grant_role(actor, account_id, _grant_input(data))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _user_page(actor, account_id, failed=form.fail(exc), status=exc.status)
    return see_other(f"/admin/users/{account_id}", notice="core.role-granted", fragment="roller")


@post(
    "/admin/users/{account_id:int}/roles/{grant_id:int}/revoke",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_user_revoke",
)
async def user_revoke(
    actor: NamedDependency[Principal], account_id: FromPath[int], grant_id: FromPath[int]
) -> Template | Redirect:
    try:
        await accounts.revoke_role(actor, account_id, grant_id)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _user_page(
            actor, account_id, failed=Form("revoke").fail(exc), status=exc.status
        )
    return see_other(f"/admin/users/{account_id}", notice="core.role-revoked", fragment="roller")


HANDLERS = [users_page, user_create, user_page, user_status, user_grant, user_revoke]
