"""The organisations directory: who belongs to which cluster, municipality, service, research
group and funder. The one public core interface apps use to ask about organisations."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.orgs.tables import Cluster, ClusterMembership, Municipality, Service


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
