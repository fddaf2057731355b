"""Use cases for accounts and their roles (administered by platform admins)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec

from klynge import audit, text
from klynge.auth.passwords import WeakPassword, check_strength, hash_password
from klynge.auth.principal import Principal
from klynge.auth.roles import ROLE_ORG_KIND, OrgKind, Role
from klynge.auth.service import LANGUAGES, normalise_email
from klynge.auth.tables import Account, RoleAssignment
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Invalid, NotFound
from klynge.i18n import N_
from klynge.orgs.tables import Cluster, Funder, Municipality, ResearchGroup, Service

Email = Annotated[
    str, msgspec.Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]

_ORG_TABLES: dict[OrgKind, Any] = {
    OrgKind.CLUSTER: Cluster,
    OrgKind.MUNICIPALITY: Municipality,
    OrgKind.SERVICE: Service,
    OrgKind.RESEARCH_GROUP: ResearchGroup,
    OrgKind.FUNDER: Funder,
}


class AccountCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    email: Email
    password: Annotated[str, msgspec.Meta(max_length=1024)]
    language: str = ""


class AccountUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    is_active: bool | None = None
    language: str | None = None


class GrantIn(msgspec.Struct, forbid_unknown_fields=True):
    role: Role
    org_id: int | None = None


class GrantOut(msgspec.Struct):
    id: int
    role: Role
    org_kind: OrgKind
    org_id: int | None
    org_name: str


class AccountOut(msgspec.Struct):
    id: int
    name: str
    email: str
    is_active: bool
    language: str
    created_at: dt.datetime
    roles: list[GrantOut] = msgspec.field(default_factory=list)


def _language(value: str) -> str:
    if value not in ("", *LANGUAGES):
        raise Invalid(N_("Unknown language."), [FieldError("language", N_("Choose nb, nn or en."))])
    return value


async def org_name(kind: OrgKind, org_id: int | None) -> str:
    if kind is OrgKind.PLATFORM or org_id is None:
        return "Klynge"
    table = _ORG_TABLES[kind]
    row = await table.select(table.name).where(table.id == org_id).first()
    return str(row["name"]) if row else "?"


async def grants_of(account_id: int) -> list[GrantOut]:
    out = []
    for row in (
        await RoleAssignment.select()
        .where(RoleAssignment.account == account_id)
        .order_by(RoleAssignment.id)
    ):
        role = Role(row["role"])
        kind = ROLE_ORG_KIND[role]
        org_id = None if kind is OrgKind.PLATFORM else row[kind.value]
        out.append(GrantOut(row["id"], role, kind, org_id, await org_name(kind, org_id)))
    return out


async def _out(row: dict[str, Any]) -> AccountOut:
    return AccountOut(
        id=row["id"],
        name=row["name"],
        email=row["email"],
        is_active=row["is_active"],
        language=row["language"],
        created_at=row["created_at"],
        roles=await grants_of(row["id"]),
    )


_COLUMNS = (
    Account.id,
    Account.name,
    Account.email,
    Account.is_active,
    Account.language,
    Account.created_at,
)


async def create_account(actor: Principal | None, data: AccountCreate) -> AccountOut:
    email = normalise_email(data.email)
    try:
        check_strength(data.password, email=email)
    except WeakPassword as exc:
        problem = FieldError("password", exc.message, params=exc.params)
        raise Invalid(exc.message, [problem], params=exc.params) from None
    language = _language(data.language)
    async with transaction():
        if await Account.exists().where(Account.email == email):
            raise Conflict(
                N_("The e-mail address is already in use."),
                [FieldError("email", N_("The e-mail address is already in use."))],
            )
        row = (
            await Account.insert(
                Account(
                    name=data.name.strip(),
                    email=email,
                    password_hash=hash_password(data.password),
                    language=language,
                )
            ).returning(*_COLUMNS)
        )[0]
        await audit.record(actor, "account.create", "account", row["id"], after=row)
    return await _out(row)


async def list_accounts(search: str = "") -> list[AccountOut]:
    rows = await Account.select(*_COLUMNS).order_by(Account.name)
    if search.strip():
        rows = [r for r in rows if text.contains(search, r["name"], r["email"])]
    return [await _out(r) for r in rows]


async def get_account(account_id: int) -> AccountOut:
    row = await Account.select(*_COLUMNS).where(Account.id == account_id).first()
    if row is None:
        raise NotFound(N_("We could not find the user."))
    return await _out(row)


async def update_account(actor: Principal, account_id: int, data: AccountUpdate) -> AccountOut:
    async with transaction():
        before = await Account.select(*_COLUMNS).where(Account.id == account_id).first()
        if before is None:
            raise NotFound(N_("We could not find the user."))
        changes: dict[Any, Any] = {}
        if data.name is not None:
            changes[Account.name] = data.name.strip()
        if data.is_active is not None:
            if account_id == actor.account_id and not data.is_active:
                raise Conflict(N_("You cannot deactivate your own account."))
            changes[Account.is_active] = data.is_active
        if data.language is not None:
            changes[Account.language] = _language(data.language)
        if changes:
            await Account.update(changes).where(Account.id == account_id)
        after = await Account.select(*_COLUMNS).where(Account.id == account_id).first()
        await audit.record(
            actor, "account.update", "account", account_id, before=before, after=after
        )
    return await get_account(account_id)


async def set_own_language(actor: Principal, language: str) -> None:
    await Account.update({Account.language: _language(language)}).where(
        Account.id == actor.account_id
    )


async def grant_role(actor: Principal, account_id: int, data: GrantIn) -> AccountOut:
    from klynge.orgs.grants import grant

    kind = ROLE_ORG_KIND[data.role]
    org: dict[str, int | None] = {}
    if kind is not OrgKind.PLATFORM:
        if data.org_id is None:
            raise Invalid(
                N_("The role must be tied to an organisation."),
                [FieldError("org_id", N_("Choose an organisation."))],
            )
        table = _ORG_TABLES[kind]
        if not await table.exists().where(table.id == data.org_id):
            raise Invalid(
                N_("Unknown organisation."), [FieldError("org_id", N_("Unknown organisation."))]
            )
        org[kind.value] = data.org_id
    async with transaction():
        await grant(actor, account_id, data.role.value, **org)
    return await get_account(account_id)


async def revoke_role(actor: Principal, account_id: int, grant_id: int) -> AccountOut:
    async with transaction():
        row = (
            await RoleAssignment.select()
            .where(RoleAssignment.id == grant_id, RoleAssignment.account == account_id)
            .first()
        )
        if row is None:
            raise NotFound(N_("We could not find the role."))
        if row["role"] == Role.PLATFORM_ADMIN.value and account_id == actor.account_id:
            raise Conflict(N_("You cannot remove your own administrator role."))
        await RoleAssignment.delete().where(RoleAssignment.id == grant_id)
        await audit.record(
            actor, "role.revoke", "account", account_id, cluster_id=row["cluster"], before=row
        )
    return await get_account(account_id)
