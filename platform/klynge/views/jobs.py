"""Job progress: a page that works without JavaScript, and the JSON its script polls."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.jobs import service as jobs
from klynge.jobs.schemas import JobOut
from klynge.views.common import render, safe_next


@get(
    "/jobs/{job_id:str}",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="job",
)
async def job_page(actor: NamedDependency[Principal], job_id: FromPath[str]) -> Template:
    job = await jobs.get_job(actor, job_id)
    errors = job.result.get("errors") if isinstance(job.result, dict) else None
    return render(
        "core/job.html",
        job=job,
        errors=errors if isinstance(errors, list) else [],
        # A job's result link is written by our own code, but the page treats it as untrusted.
        result_url=safe_next(job.result_url, default="") if job.result_url else "",
    )


@get(
    "/jobs/{job_id:str}/status",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="job_status",
    # Progress must never come from a cache.
    cache_control=CacheControlHeader(no_store=True),
)
async def job_status(actor: NamedDependency[Principal], job_id: FromPath[str]) -> JobOut:
    return await jobs.get_job(actor, job_id)


HANDLERS = [job_page, job_status]
