"""The status row every job keeps, whether it runs in-process or on an arq worker."""

from __future__ import annotations

from piccolo.columns import JSONB, UUID, Bytea, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from klynge.auth.tables import Account
from klynge.orgs.tables import Cluster


class Job(Table, tablename="job"):
    id = UUID(primary_key=True)
    name = Varchar(length=100)
    status = Varchar(length=10, default="queued")  # queued | running | done | failed
    progress = Integer(default=0)
    message = Text(default="")
    params = JSONB(default="{}")
    payload = Bytea(null=True, default=None)  # an uploaded file the job works on
    result = JSONB(default="{}")
    result_url = Varchar(length=300, default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    cluster = ForeignKey(references=Cluster, null=True, on_delete=OnDelete.set_null)
    attempts = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    # Set when handed to Redis; a queued job without it is still in the outbox.
    dispatched_at = Timestamptz(null=True, default=None)
    # Beaten by the running job; silence past the timeout means its worker died.
    heartbeat_at = Timestamptz(null=True, default=None)
