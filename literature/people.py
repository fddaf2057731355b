"""Who and where a literature page may offer: the cluster's accounts (screeners), the
municipalities and services an actor may record a measure's use for, and an item's cluster."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.tables import Account, RoleAssignment
from klynge.directory import member_municipalities
from klynge.orgs.tables import Municipality, Service
from literature.tables import LiteratureCheck, LiteratureImport, Reference

_TABLES: dict[str, Any] = {
    "reference": Reference,
    "import": LiteratureImport,
    "check": LiteratureCheck,
}


async def cluster_of(kind: str, item_id: int) -> int | None:
    """The cluster of a reference, import or check (None when there is no such item)."""
    table = _TABLES[kind]
    row = await table.select(table.cluster).where(table.id == item_id).first()
    return None if row is None else int(row["cluster"])


async def cluster_accounts(cluster_id: int) -> list[tuple[int, str]]:
    """Active accounts with a role in the cluster or in one of its member municipalities or
    their services: who may be asked to screen."""
    munis = [m[0] for m in await member_municipalities(cluster_id)] or [-1]
    services = [
        r["id"] for r in await Service.select(Service.id).where(Service.municipality.is_in(munis))
    ] or [-1]
    grants = await RoleAssignment.select(RoleAssignment.account).where(
        (RoleAssignment.cluster == cluster_id)
        | RoleAssignment.municipality.is_in(munis)
        | RoleAssignment.service.is_in(services)
    )
    ids = sorted({g["account"] for g in grants}) or [-1]
    rows = (
        await Account.select(Account.id, Account.name)
        .where(Account.id.is_in(ids), Account.is_active == True)  # noqa: E712
        .order_by(Account.name)
    )
    return [(r["id"], r["name"]) for r in rows]


async def adopt_choices(actor: Principal) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Municipalities and services the actor may record a use for."""
    query = Municipality.select(Municipality.id, Municipality.name).order_by(Municipality.name)
    if not actor.is_admin:
        query = query.where(Municipality.id.is_in(sorted(actor.municipality_ids) or [-1]))
    munis = [(r["id"], r["name"]) for r in await query.where(Municipality.valid_to.is_null())]
    names = dict(munis)
    rows = (
        await Service.select(Service.id, Service.name, Service.municipality)
        .where(Service.municipality.is_in(list(names) or [-1]))
        .order_by(Service.name)
    )
    services = [(r["id"], f"{r['name']} ({names.get(r['municipality'], '')})") for r in rows]
    return munis, services
