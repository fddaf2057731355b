"""A reference import when the job queue (Redis) cannot be reached: 503, nothing written."""

from __future__ import annotations

import socket
import time
from typing import Any

from klynge.jobs.tables import Job
from literature.tables import LiteratureImport
from tests.conftest import World
from tests.literature.conftest import RIS
from tests.platform.conftest import app_with, assert_problem, running

__all__ = ["app_with"]


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_import_with_redis_unreachable_is_503_and_writes_nothing(
    db: None, app_with: Any
) -> None:
    from tests.conftest import build_world

    app = app_with(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    world: World = await build_world(app)
    async with running(app) as client:
        started = time.monotonic()
        response = await client.post(
            "/api/literature/imports",
            files={"file": ("sok.ris", RIS.encode(), "text/plain")},
            data={"format": "ris", "source": "PubMed"},
            headers=world.headers["adviser_a"],
        )
        elapsed = time.monotonic() - started
    body = assert_problem(response, 503)
    assert response.headers["retry-after"] == "30"
    assert body["detail"] == "Bakgrunnsjobber kan ikke startes akkurat nå. Prøv igjen om litt."
    assert await Job.count() == 0
    assert await LiteratureImport.count() == 0
    print(f"503 answered in {elapsed:.2f} s")
