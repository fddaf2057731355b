"""A reference import when the job queue (Redis) cannot be reached: 503, nothing written."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

from klynge.jobs.tables import Job
from literature.tables import LiteratureImport
from tests.conftest import World
from tests.literature.conftest import RIS, import_file, needs_world
from tests.platform.conftest import app_with, assert_problem, running

__all__ = ["app_with", "needs_world"]


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


DATA = Path(__file__).parent / "data"


async def test_a_ris_file_cut_mid_record_is_refused_with_its_line_and_writes_nothing(
    client: Any, needs_world: World
) -> None:
    whole = (DATA / "search_export.ris").read_bytes()
    cut = whole[: whole.index(b"AB  - Children")]  # the upload stopped inside record 3
    adviser = needs_world.headers["adviser_a"]
    out = await import_file(client, adviser, cut)
    assert out["status"] == "failed"
    assert [p["record"] for p in out["problems"]] == [0]
    assert out["problems"][0]["reason"] == (
        "RIS-filen er avkuttet: referansen som starter på linje 23 mangler avslutningen "
        "«ER  - ». Ingenting ble lest inn; last opp hele filen på nytt."
    )
    assert out["imported"] == 0
    refs = (await client.get("/api/literature/references", headers=adviser)).json()
    assert refs["total"] == 0
