"""Use cases for clusters: list, show, create (with the motor municipality as first member)
and update."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.auth.tables import RoleAssignment
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.i18n import N_
from klynge.orgs import schemas as s
from klynge.orgs.grants import grant
from klynge.orgs.memberships import MOTOR_REASON, record_transition
from klynge.orgs.municipalities import get_municipality, municipality_out
from klynge.orgs.tables import Cluster, ClusterMembership, Municipality
from klynge.privacy import guard_text
from klynge.scoping import can_manage_cluster, cluster_filter, ensure_cluster_visible


async def _cluster_out(row: Mapping[str, Any]) -> s.ClusterOut:
    motor = await get_municipality(row["motor_municipality"])
    advisers = await RoleAssignment.select(
        RoleAssignment.account.id, RoleAssignment.account.name, RoleAssignment.account.email
    ).where(RoleAssignment.cluster == row["id"], RoleAssignment.role == "adviser")
    members = await ClusterMembership.select(ClusterMembership.municipality).where(
        ClusterMembership.cluster == row["id"], ClusterMembership.status == "member"
    )
    member_rows = (
        await Municipality.select()
        .where(Municipality.id.is_in([m["municipality"] for m in members] or [-1]))
        .order_by(Municipality.name)
    )
    return s.ClusterOut(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        is_public=bool(row["is_public"]),
        created_at=row["created_at"],
        motor_municipality=motor,
        advisers=[
            s.AccountRef(a["account.id"], a["account.name"], a["account.email"]) for a in advisers
        ],
        members=[municipality_out(m) for m in member_rows],
    )


async def list_clusters(principal: Principal | None) -> list[s.ClusterOut]:
    query = Cluster.select().order_by(Cluster.name)
    where = cluster_filter(Cluster.id, principal)
    if where is not None:
        query = query.where(where)
    return [await _cluster_out(r) for r in await query]


async def list_public_clusters() -> list[dict[str, Any]]:
    """What anyone may see of clusters: names and descriptions of public ones."""
    return (
        await Cluster.select(Cluster.id, Cluster.name, Cluster.description)
        .where(Cluster.is_public.eq(True))
        .order_by(Cluster.name)
    )


async def get_cluster(principal: Principal | None, cluster_id: int) -> s.ClusterOut:
    ensure_cluster_visible(principal, cluster_id)
    row = await Cluster.select().where(Cluster.id == cluster_id).first()
    if row is None:
        raise NotFound(N_("We could not find the cluster."))
    return await _cluster_out(row)


async def create_cluster(actor: Principal, data: s.ClusterCreate) -> s.ClusterOut:
    guard_text({"description": data.description})
    async with transaction():
        if await Cluster.exists().where(Cluster.name == data.name.strip()):
            raise Conflict(
                N_("A cluster with this name already exists."),
                [FieldError("name", N_("The name is taken."))],
            )
        if not await Municipality.exists().where(Municipality.id == data.motor_municipality_id):
            raise Invalid(
                N_("The motor municipality does not exist."),
                [FieldError("motor_municipality_id", N_("Unknown municipality."))],
            )
        row = (
            await Cluster.insert(
                Cluster(
                    name=data.name.strip(),
                    motor_municipality=data.motor_municipality_id,
                    description=data.description,
                    is_public=data.is_public,
                )
            ).returning(*Cluster.all_columns())
        )[0]
        # The motor municipality is the cluster's first member.
        membership = (
            await ClusterMembership.insert(
                ClusterMembership(
                    cluster=row["id"],
                    municipality=data.motor_municipality_id,
                    status="member",
                    requested_by=actor.account_id,
                    decided_by=actor.account_id,
                    decided_at=dt.datetime.now(dt.UTC),
                    decision_reason=MOTOR_REASON,
                )
            ).returning(ClusterMembership.id)
        )[0]
        await record_transition(membership["id"], actor, "", "member", MOTOR_REASON)
        for account_id in data.adviser_ids:
            await grant(actor, account_id, "adviser", cluster=row["id"])
        await audit.record(
            actor, "cluster.create", "cluster", row["id"], cluster_id=row["id"], after=row
        )
    return await get_cluster(actor, row["id"]) if actor.is_admin else await _cluster_out(row)


async def update_cluster(actor: Principal, cluster_id: int, data: s.ClusterUpdate) -> s.ClusterOut:
    if not can_manage_cluster(actor, cluster_id):
        raise Forbidden()
    if data.description is not None:
        guard_text({"description": data.description})
    async with transaction():
        before = await Cluster.select().where(Cluster.id == cluster_id).first()
        if before is None:
            raise NotFound(N_("We could not find the cluster."))
        changes: dict[Any, Any] = {}
        if data.description is not None:
            changes[Cluster.description] = data.description
        if data.is_public is not None:
            changes[Cluster.is_public] = data.is_public
        if changes:
            await Cluster.update(changes).where(Cluster.id == cluster_id)
        after = await Cluster.select().where(Cluster.id == cluster_id).first()
        await audit.record(
            actor,
            "cluster.update",
            "cluster",
            cluster_id,
            cluster_id=cluster_id,
            before=before,
            after=after,
        )
    return await get_cluster(actor, cluster_id)
