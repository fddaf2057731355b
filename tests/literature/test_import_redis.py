"""A reference import through Redis: the API queues the job, an arq worker runs it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World
from tests.literature.conftest import RIS
from tests.platform.conftest import app_with, running
from tests.platform.test_jobs import ARQ_CLOSE, redis_url, run_burst_worker

__all__ = ["app_with", "redis_url"]


@pytest.mark.redis
@ARQ_CLOSE
async def test_reference_import_runs_on_an_arq_worker(
    redis_url: str,
    app_with: Any,
) -> None:
    from tests.conftest import build_world

    app = app_with(REDIS_URL=redis_url)
    world: World = await build_world(app)
    headers = world.headers["adviser_a"]
    async with running(app) as client:
        response = await client.post(
            "/api/literature/imports",
            files={"file": ("sok.ris", RIS.encode(), "text/plain")},
            data={"format": "ris", "source": "PubMed"},
            headers=headers,
        )
        assert response.status_code == 202, response.text
        import_id = response.json()["id"]
        queued = await client.get(f"/api/literature/imports/{import_id}", headers=headers)
        assert queued.json()["status"] == "queued"  # nothing runs in the app with REDIS_URL
        await run_burst_worker(redis_url)
        done = (await client.get(f"/api/literature/imports/{import_id}", headers=headers)).json()
    assert done["status"] == "done", done
    assert (done["read"], done["imported"]) == (3, 3)
