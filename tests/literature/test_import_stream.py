"""A file larger than one chunk of the streaming import: duplicates and possible duplicates
across chunks point at the right references, and a file cut off at its end writes nothing."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from literature.import_plan import CHUNK
from literature.tables import DuplicateCandidate, Reference, ReferenceSource
from tests.conftest import World

COUNT = CHUNK + 100


def _title(i: int) -> str:
    """Four words no other record's title shares (no fuzzy candidates among them)."""
    digest = hashlib.sha256(str(i).encode()).hexdigest()
    return " ".join(f"w{digest[k : k + 8]}" for k in range(0, 32, 8))


def _ris(title: str, *, doi: str = "", end: bool = True) -> str:
    lines = ["TY  - JOUR", f"TI  - {title}", "AU  - Hansen, Ola", "PY  - 2021"]
    if doi:
        lines.append(f"DO  - {doi}")
    if end:
        lines.append("ER  - ")
    return "\n".join(lines)


def _file() -> str:
    records = [_ris(_title(i), doi=f"10.5555/stream.{i}") for i in range(1, COUNT + 1)]
    records[CHUNK + 50 - 1] = _ris("A later copy", doi="10.5555/STREAM.1")  # record 1's DOI
    typo = _title(2)
    records[CHUNK + 60 - 1] = _ris(typo[:12] + typo[13:])  # record 2's title, one letter less
    return "\n\n".join(records) + "\n"


async def _imported(client: Any, headers: dict[str, str], body: str) -> dict[str, Any]:
    response = await client.post(
        "/api/literature/imports",
        files={"file": ("big.ris", body.encode(), "application/octet-stream")},
        data={"format": "ris", "source": "PubMed"},
        headers=headers,
    )
    assert response.status_code == 202, response.text
    url = f"/api/literature/imports/{response.json()['id']}"
    for _ in range(1200):  # a 2-core machine under load takes a few seconds
        current: dict[str, Any] = (await client.get(url, headers=headers)).json()
        if current["status"] in ("done", "failed"):
            return current
        await asyncio.sleep(0.05)
    raise AssertionError(f"the import did not finish: {current}")


async def _reference_of(import_id: int, position: int) -> int:
    row = (
        await ReferenceSource.select(ReferenceSource.reference)
        .where(
            ReferenceSource.literature_import == import_id,
            ReferenceSource.position == position,
        )
        .first()
    )
    assert row is not None
    return int(row["reference"])


async def test_duplicates_across_chunks_point_at_their_keepers(
    client: Any, needs_world: World
) -> None:
    adviser = needs_world.headers["adviser_a"]
    done = await _imported(client, adviser, _file())
    assert done["status"] == "done", done
    assert (done["read"], done["imported"], done["duplicates"]) == (COUNT, COUNT - 1, 1)
    assert done["possible_duplicates"] == 1
    import_id = done["id"]
    first, second = await _reference_of(import_id, 1), await _reference_of(import_id, 2)
    assert await _reference_of(import_id, CHUNK + 50) == first
    copy = await ReferenceSource.select().where(
        ReferenceSource.literature_import == import_id, ReferenceSource.position == CHUNK + 50
    )
    assert (copy[0]["duplicate_tier"], copy[0]["duplicate_reason"]) == (
        1,
        "same DOI 10.5555/stream.1",
    )
    typo = await _reference_of(import_id, CHUNK + 60)
    pairs = await DuplicateCandidate.select(DuplicateCandidate.keeper, DuplicateCandidate.duplicate)
    assert [(p["keeper"], p["duplicate"]) for p in pairs] == [(second, typo)]
    # Every new reference has one id of its own and is found by the search index.
    assert await Reference.count() == COUNT - 1
    hits = await client.get(
        "/api/literature/references", params={"q": _title(COUNT).split()[0]}, headers=adviser
    )
    assert hits.json()["total"] == 1


async def test_a_large_file_cut_off_at_its_end_writes_nothing(
    client: Any, needs_world: World
) -> None:
    adviser = needs_world.headers["adviser_a"]
    body = _file().rstrip() + "\n\n" + _ris("The last one", end=False) + "\n"
    failed = await _imported(client, adviser, body)
    assert failed["status"] == "failed"
    assert "ER  - " in failed["problems"][0]["reason"]
    assert await Reference.count() == 0
    assert await ReferenceSource.count() == 0
