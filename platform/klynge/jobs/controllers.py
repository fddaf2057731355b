"""API: job status (poll it for progress)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.jobs import service
from klynge.jobs.schemas import JobOut


class JobController(Controller):
    path = "/api/jobs"
    tags = ["jobs"]
    guards = [requires_authenticated]

    @get(
        "/{job_id:str}",
        operation_id="GetJob",
        summary="Status and progress of a job you started (or of your cluster)",
    )
    async def get_job(self, actor: NamedDependency[Principal], job_id: FromPath[str]) -> JobOut:
        return await service.get_job(actor, job_id)
