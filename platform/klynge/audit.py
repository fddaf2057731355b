"""Append-only audit log: who changed what, when, with the object's state before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.columns import JSONB, BigSerial, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from klynge.auth.principal import Principal


class AuditEvent(Table, tablename="audit_event"):
    """Never updated or deleted: the migration installs triggers that refuse it on both engines.
    Actor and object ids are plain numbers, not foreign keys, so the log outlives its objects."""

    id = BigSerial(primary_key=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor_id = Integer(null=True, default=None)
    actor_name = Varchar(length=200, default="")
    action = Varchar(length=80)
    object_type = Varchar(length=60)
    object_id = Varchar(length=60)
    cluster_id = Integer(null=True, default=None, index=True)  # lets advisers read their cluster
    before = JSONB(null=True, default=None)
    after = JSONB(null=True, default=None)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items() if k != "password_hash"}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


async def record(
    actor: Principal | None,
    action: str,
    object_type: str,
    object_id: object,
    *,
    cluster_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write one audit record. Call inside the use case's transaction so both land or neither."""
    await AuditEvent.insert(
        AuditEvent(
            actor_id=actor.account_id if actor else None,
            actor_name=actor.name if actor else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            cluster_id=cluster_id,
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
        )
    )
