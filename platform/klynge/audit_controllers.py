"""API: read the audit log (admins: everything; advisers: their clusters)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from klynge.audit import AuditEvent
from klynge.auth.guards import requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value


class AuditEntry(msgspec.Struct):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_id: str
    cluster_id: int | None
    before: Any
    after: Any


_json = json_value  # JSON columns come back as text on SQLite


async def read_audit(
    actor: NamedDependency[Principal], cluster_id: int | None, limit: int, before_id: int | None
) -> list[AuditEntry]:
    query = AuditEvent.select().order_by(AuditEvent.id, ascending=False).limit(limit)
    if not actor.is_admin:
        advised = sorted(actor.org_ids(Role.ADVISER))
        if cluster_id is not None and cluster_id not in advised:
            return []
        query = query.where(AuditEvent.cluster_id.is_in(advised or [-1]))
    if cluster_id is not None:
        query = query.where(AuditEvent.cluster_id == cluster_id)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return [
        AuditEntry(
            id=r["id"],
            at=r["at"],
            actor_id=r["actor_id"],
            actor_name=r["actor_name"],
            action=r["action"],
            object_type=r["object_type"],
            object_id=r["object_id"],
            cluster_id=r["cluster_id"],
            before=_json(r["before"]),
            after=_json(r["after"]),
        )
        for r in await query
    ]


class AuditController(Controller):
    path = "/api/audit"
    tags = ["audit"]
    guards = [requires_role(Role.PLATFORM_ADMIN, Role.ADVISER)]

    @get("/", operation_id="ListAuditEvents", summary="Newest first; page with before_id")
    async def list_events(
        self,
        actor: NamedDependency[Principal],
        cluster_id: FromQuery[int | None] = None,
        limit: FromQuery[int] = 100,
        before_id: FromQuery[int | None] = None,
    ) -> list[AuditEntry]:
        return await read_audit(actor, cluster_id, max(1, min(limit, 500)), before_id)
