"""Fixtures for the literature app: the priorities world (two clusters, services, a submitted
need) and helpers to import reference files through the API and wait for the job."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import World
from tests.priorities.conftest import need_body, needs_world

__all__ = ["need_body", "needs_world"]

RIS = """TY  - JOUR
TI  - Parent training for children with conduct problems: a systematic review and meta-analysis
AU  - Sørlie, Mari-Anne
AU  - Ogden, Terje
PY  - 2019
JO  - Campbell Systematic Reviews
DO  - 10.5555/ptr.2019.1
AB  - We reviewed randomised trials of parent management training. Effects on behaviour were
  moderate.
KW  - parent training
KW  - conduct problems
ER  -

TY  - JOUR
TI  - School absence and child welfare: a register study
AU  - Nordmann, Kari
PY  - 2021
JO  - Nordic Journal of Social Research
DO  - 10.5555/abs.2021.7
AB  - A cohort of 20 000 pupils followed through lower secondary school.
ER  -

TY  - JOUR
TI  - Kindergarten-based early intervention for language difficulties: randomised controlled trial
AU  - Hansen, Ola
PY  - 2020
JO  - Early Childhood Research Quarterly
AB  - Children were randomised to an intervention or usual practice.
ER  -
"""


async def import_file(
    client: Any,
    headers: dict[str, str],
    content: bytes | str,
    *,
    fmt: str = "ris",
    filename: str = "sok.ris",
    source: str = "PubMed",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """POST an import, wait for its job, and return the final import."""
    data = {"format": fmt, "source": source, **(extra or {})}
    body = content.encode() if isinstance(content, str) else content
    response = await client.post(
        "/api/literature/imports",
        files={"file": (filename, body, "application/octet-stream")},
        data={k: str(v) for k, v in data.items()},
        headers=headers,
    )
    assert response.status_code == 202, response.text
    out = response.json()
    for _ in range(400):
        current = (await client.get(f"/api/literature/imports/{out['id']}", headers=headers)).json()
        if current["status"] in ("done", "failed"):
            return current
        await asyncio.sleep(0.02)
    raise AssertionError(f"import {out['id']} did not finish: {current}")


@pytest.fixture
async def need_id(client: Any, needs_world: World) -> int:
    response = await client.post(
        "/api/needs/", json=need_body(needs_world), headers=needs_world.headers["leader_askoy"]
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])
