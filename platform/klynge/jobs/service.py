"""Reading job status, limited to who may see it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from klynge.auth.principal import Principal
from klynge.errors import NotFound, translate
from klynge.i18n import N_
from klynge.jobs.runner import _json_dict
from klynge.jobs.schemas import JobOut
from klynge.jobs.tables import Job
from klynge.scoping import can_manage_cluster

_COLUMNS = (
    Job.id,
    Job.name,
    Job.status,
    Job.progress,
    Job.message,
    Job.attempts,
    Job.result,
    Job.result_url,
    Job.created_at,
    Job.started_at,
    Job.finished_at,
    Job.created_by,
    Job.cluster,
)


def job_out(row: Mapping[str, Any]) -> JobOut:
    result = _json_dict(row["result"])
    return JobOut(
        id=str(row["id"]),
        name=row["name"],
        status=row["status"],
        progress=row["progress"],
        message=translate(row["message"]) if row["message"] else "",
        attempts=row["attempts"],
        result=result or {},
        result_url=row["result_url"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        url=f"/api/jobs/{row['id']}",
    )


def _may_see(actor: Principal, row: Mapping[str, Any]) -> bool:
    if actor.is_admin or row["created_by"] == actor.account_id:
        return True
    return row["cluster"] is not None and can_manage_cluster(actor, row["cluster"])


async def get_job(actor: Principal, job_id: str) -> JobOut:
    try:
        key = uuid.UUID(job_id)
    except ValueError:
        raise NotFound(N_("We could not find the job.")) from None
    row = await Job.select(*_COLUMNS).where(Job.id == key).first()
    if row is None or not _may_see(actor, row):
        raise NotFound(N_("We could not find the job."))
    return job_out(row)
