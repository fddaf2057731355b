"""List pages run a constant number of queries whatever the number of rows (paging is done in
SQL): the references search (API, with and without a query), the /litteratur page, and the
literature check's screening page, the public verdicts (API and portal)."""

from __future__ import annotations

from typing import Any

import pytest

from klynge.db import is_postgres
from literature.tables import Reference
from tests.conftest import World
from tests.literature.conftest import import_file
from tests.platform.test_views import HTML, login
from tests.querycount import count_queries, task_pass


async def _references(world: World, n: int) -> None:
    await Reference.insert(
        *[
            Reference(
                cluster=world.ids["cluster_a"],
                title=f"Parent training study {i}",
                abstract=f"Parent training for children, trial number {i}.",
                year=2000 + i % 25,
            )
            for i in range(n)
        ]
    )


async def _count(monkeypatch: pytest.MonkeyPatch, client: Any, path: str, **kw: Any) -> int:
    with count_queries(monkeypatch) as log:
        response = await client.get(path, **kw)
    assert response.status_code == 200, response.text[:500]
    return log.count


# On PostgreSQL a search with text first sets how its candidates are planned (one statement);
# for words without filters it asks the planner before how common they are (an EXPLAIN).
_PLANNED = 2 if is_postgres() else 0


@pytest.mark.parametrize("n", [10, 100])
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # account, its session (not ended by a logout), scoping, the page of ids in year order,
        # their count (up to a limit), the page's columns
        ("/api/literature/references?per_page=200", 6),
        # ... or the ranked page of the first matches with their count, then the page's columns
        # with highlights
        ("/api/literature/references?q=parent&per_page=200", 5 + _PLANNED),
    ],
)
async def test_reference_search_api_runs_constant_queries(
    monkeypatch: pytest.MonkeyPatch, client: Any, world: World, n: int, path: str, expected: int
) -> None:
    await _references(world, n)
    count = await _count(monkeypatch, client, path, headers=world.headers["adviser_a"])
    assert count == expected


@pytest.mark.parametrize("n", [10, 100])
@pytest.mark.parametrize(
    ("path", "expected"), [("/litteratur", 7), ("/litteratur?q=parent", 6 + _PLANNED)]
)
async def test_literature_page_runs_constant_queries(
    monkeypatch: pytest.MonkeyPatch, client: Any, world: World, n: int, path: str, expected: int
) -> None:
    await _references(world, n)
    await login(client, world, "adviser_a")
    badge = await task_pass(monkeypatch, world.accounts["adviser_a"])  # the header's task count
    assert await _count(monkeypatch, client, path, headers=HTML) == expected + badge


def _ris(n: int) -> str:
    return "".join(
        f"TY  - JOUR\nTI  - Screening record number {i} about parenting\nPY  - 2020\nER  -\n\n"
        for i in range(n)
    )


@pytest.mark.parametrize("n", [10, 100])
async def test_check_screening_page_runs_constant_queries(
    monkeypatch: pytest.MonkeyPatch, client: Any, needs_world: World, need_id: int, n: int
) -> None:
    w = needs_world
    response = await client.post(
        f"/api/needs/{need_id}/literature-checks",
        json={"question": "Virker foreldretrening?"},
        headers=w.headers["adviser_a"],
    )
    assert response.status_code == 201, response.text
    check_id = response.json()["id"]
    done = await import_file(client, w.headers["adviser_a"], _ris(n), extra={"check_id": check_id})
    assert done["status"] == "done", done
    api = f"/api/literature-checks/{check_id}/candidates"
    # account, check, decisions, provenance rows, references, sources
    assert await _count(monkeypatch, client, api, headers=w.headers["adviser_a"]) == 7
    await login(client, w, "adviser_a")
    # the page reads the check for its summary, its lists and its diagram; constant in n; and
    # the header's task count
    page = f"/litteratursjekker/{check_id}"
    badge = await task_pass(monkeypatch, w.accounts["adviser_a"])
    assert await _count(monkeypatch, client, page, headers=HTML) == 24 + badge


async def _published(world: World, need_id: int, numbers: range) -> None:
    """Published verdicts on the need, each with one reviewed reference."""
    from literature.tables import CheckReview, LiteratureCheck

    for i in numbers:
        check = LiteratureCheck(
            cluster=world.ids["cluster_a"],
            need=need_id,
            question=f"Question {i}",
            status="completed",
            verdict="answered",
            public=True,
        )
        await check.save()
        ref = Reference(cluster=world.ids["cluster_a"], title=f"Review {i}", year=2020)
        await ref.save()
        await CheckReview(check=check.id, reference=ref.id, certainty="high").save()


async def test_public_verdicts_run_constant_queries(
    monkeypatch: pytest.MonkeyPatch, client: Any, needs_world: World, need_id: int
) -> None:
    await _published(needs_world, need_id, range(1))
    # the checks, their needs, their reviews, the reviews' references
    assert await _count(monkeypatch, client, "/api/public/answered-needs") == 4
    portal = await _count(monkeypatch, client, "/kunnskap")
    await _published(needs_world, need_id, range(1, 22))
    assert await _count(monkeypatch, client, "/api/public/answered-needs") == 4
    assert await _count(monkeypatch, client, "/kunnskap") <= portal  # headlines only
    answer = (await client.get("/api/public/answered-needs")).json()
    assert sorted(r["title"] for v in answer for r in v["reviews"]) == sorted(
        f"Review {i}" for i in range(22)
    )
    # The portal lists the newest 20 and links to all of them.
    page = (await client.get("/kunnskap")).text
    assert page.count('href="/kunnskap/behov/') == 20
    assert "besvarte=alle" in page
    every = (await client.get("/kunnskap?besvarte=alle")).text
    assert every.count('href="/kunnskap/behov/') == 22
