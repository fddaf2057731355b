"""The organisations directory: who belongs to which cluster, municipality, service, research
group and funder. The one public core interface apps use to ask about organisations."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.auth.tables import Account, RoleAssignment
from klynge.orgs.tables import Cluster, ClusterMembership, Municipality, ResearchGroup, Service


async def member_municipalities(cluster_id: int) -> list[tuple[int, str]]:
    """(id, name) of the cluster's member municipalities, by name."""
    rows = await ClusterMembership.select(
        ClusterMembership.municipality, ClusterMembership.municipality.name
    ).where(ClusterMembership.cluster == cluster_id, ClusterMembership.status == "member")
    return sorted(((r["municipality"], r["municipality.name"]) for r in rows), key=lambda r: r[1])


async def cluster_services(cluster_id: int) -> list[dict[str, Any]]:
    """The services of the cluster's member municipalities, with their municipality."""
    munis = dict(await member_municipalities(cluster_id))
    rows = (
        await Service.select(Service.id, Service.name, Service.municipality)
        .where(Service.municipality.is_in(list(munis) or [-1]))
        .order_by(Service.name)
    )
    return [
        {"id": r["id"], "name": r["name"], "municipality": munis.get(r["municipality"], "")}
        for r in rows
    ]


async def own_municipalities(actor: Principal, cluster_id: int) -> list[tuple[int, str]]:
    """Municipalities the actor may act for in the cluster: their own; an adviser's, all."""
    members = await member_municipalities(cluster_id)
    if actor.is_admin or actor.advises(cluster_id):
        return members
    return [m for m in members if m[0] in actor.municipality_ids]


async def cluster_names(ids: list[int] | None = None) -> dict[int, str]:
    """Cluster id -> name (all clusters, or those in `ids`)."""
    query = Cluster.select(Cluster.id, Cluster.name).order_by(Cluster.name)
    if ids is not None:
        query = query.where(Cluster.id.is_in(ids or [-1]))
    return {r["id"]: r["name"] for r in await query}


async def municipality_names(ids: list[int]) -> dict[int, str]:
    rows = await Municipality.select(Municipality.id, Municipality.name).where(
        Municipality.id.is_in(ids or [-1])
    )
    return {r["id"]: r["name"] for r in rows}


async def all_services() -> list[dict[str, Any]]:
    """Every service (id, name, municipality_name), by name."""
    return list(
        await Service.select(
            Service.id, Service.name, Service.municipality.name.as_alias("municipality_name")
        ).order_by(Service.name)
    )


async def cluster_advisers(cluster_id: int) -> list[int]:
    """Account ids of the cluster's R&D advisers (active accounts)."""
    rows = await RoleAssignment.select(
        RoleAssignment.account, RoleAssignment.account.is_active.as_alias("active")
    ).where(RoleAssignment.cluster == cluster_id, RoleAssignment.role == Role.ADVISER.value)
    return sorted({r["account"] for r in rows if r["active"]})


async def funder_officers(funder_id: int) -> list[int]:
    """Account ids of the funder's officers (active accounts)."""
    rows = await RoleAssignment.select(
        RoleAssignment.account, RoleAssignment.account.is_active.as_alias("active")
    ).where(RoleAssignment.funder == funder_id, RoleAssignment.role == Role.FUNDER_OFFICER.value)
    return sorted({r["account"] for r in rows if r["active"]})


async def org_people(
    *,
    municipality_ids: list[int] | None = None,
    service_ids: list[int] | None = None,
    group_ids: list[int] | None = None,
    roles: tuple[Role, ...] = (),
) -> list[dict[str, Any]]:
    """Active accounts holding a role in the given organisations (a municipality's people
    include those of its services): [{"id", "name", "role", "org_id", "service_id",
    "municipality_id"}] by name, where `municipality_id` is the municipality the role is held
    in (directly or through a service; None for a research group). `roles` narrows to those
    roles."""
    munis = municipality_ids or []
    services = list(service_ids or [])
    if munis:
        rows = await Service.select(Service.id).where(Service.municipality.is_in(munis))
        services += [r["id"] for r in rows]
    where = (
        RoleAssignment.municipality.is_in(munis or [-1])
        | RoleAssignment.service.is_in(services or [-1])
        | RoleAssignment.research_group.is_in(group_ids or [-1])
    )
    query = RoleAssignment.select(
        RoleAssignment.account,
        RoleAssignment.account.name.as_alias("name"),
        RoleAssignment.role,
        RoleAssignment.municipality,
        RoleAssignment.service,
        RoleAssignment.service.municipality.as_alias("service_municipality"),
        RoleAssignment.research_group,
        RoleAssignment.account.is_active.as_alias("active"),
    ).where(where)
    if roles:
        query = query.where(RoleAssignment.role.is_in([r.value for r in roles]))
    people = [
        {
            "id": r["account"],
            "name": r["name"],
            "role": r["role"],
            "org_id": r["municipality"] or r["service"] or r["research_group"],
            "service_id": r["service"],
            "municipality_id": r["municipality"] or r["service_municipality"],
        }
        for r in await query
        if r["active"]
    ]
    return sorted(people, key=lambda p: (p["name"], p["id"]))


async def service_municipalities(service_ids: list[int]) -> dict[int, int]:
    """Service id -> its municipality's id."""
    rows = await Service.select(Service.id, Service.municipality).where(
        Service.id.is_in(service_ids or [-1])
    )
    return {r["id"]: r["municipality"] for r in rows}


async def service_names(ids: list[int]) -> dict[int, str]:
    rows = await Service.select(Service.id, Service.name).where(Service.id.is_in(ids or [-1]))
    return {r["id"]: r["name"] for r in rows}


async def group_names(ids: list[int]) -> dict[int, str]:
    rows = await ResearchGroup.select(ResearchGroup.id, ResearchGroup.name).where(
        ResearchGroup.id.is_in(ids or [-1])
    )
    return {r["id"]: r["name"] for r in rows}


async def account_names(ids: list[int]) -> dict[int, str]:
    rows = await Account.select(Account.id, Account.name).where(Account.id.is_in(ids or [-1]))
    return {r["id"]: r["name"] for r in rows}


async def research_groups(q: str = "", limit: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the research groups whose name holds `q` (every one when empty), by
    name; at most `limit` (there are thousands at national scale)."""
    query = ResearchGroup.select(ResearchGroup.id, ResearchGroup.name).order_by(ResearchGroup.name)
    if q.strip():
        # LIKE's wildcards typed by the user are taken literally.
        words = q.strip().replace("\\", "").replace("%", "").replace("_", "")
        query = query.where(ResearchGroup.name.ilike(f"%{words}%"))
    if limit is not None:
        query = query.limit(limit)
    return [(r["id"], r["name"]) for r in await query]
