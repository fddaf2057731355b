"""The needs list runs a fixed number of queries whatever the number of needs: the API list
(GET /api/needs) and the page (/behov) page in SQL and load what the needs refer to in batches."""

from __future__ import annotations

from typing import Any

import pytest

from tests.platform.test_views import HTML, login
from tests.querycount import count_queries, task_pass

# Measured (SQLite and PostgreSQL): the caller's account and roles, its session (not ended by
# a logout), COUNT, the page's select,
# then services, endorsements, submitters, municipality and service names; the page adds
# the filter choices (clusters, services, municipalities) and one pass over the task providers
# for the header's task count (task_pass).
API_QUERIES = 12
PAGE_QUERIES = 16


async def _add_needs(w: Any, count: int) -> None:
    """`count` submitted needs in cluster A, each with two services, a submitter and an
    endorsement: everything a NeedOut refers to."""
    from priorities.tables import Need, NeedEndorsement, NeedService, NeedSubmitter

    rows = await Need.insert(
        *[
            Need(
                cluster=w.ids["cluster_a"],
                municipality=w.ids["askoy"],
                service=w.ids["askoy_barnevern"],
                submitted_by=w.accounts["coordinator_askoy"],
                title=f"Behov {i}",
                question="Hva virker mot skolefravær?",
                prevention_level="selected",
                intended_use="service_development",
                cross_service=True,
                status="submitted",
            )
            for i in range(count)
        ]
    ).returning(Need.id)
    ids = [r["id"] for r in rows]
    await NeedService.insert(
        *[
            NeedService(need=i, service=w.ids[key])
            for i in ids
            for key in ("askoy_barnevern", "bergen_skole")
        ]
    )
    await NeedSubmitter.insert(
        *[
            NeedSubmitter(
                need=i,
                account=w.accounts["coordinator_askoy"],
                municipality=w.ids["askoy"],
                original_need=i,
            )
            for i in ids
        ]
    )
    await NeedEndorsement.insert(
        *[NeedEndorsement(need=i, municipality=w.ids["bergen"], note="Samme hos oss") for i in ids]
    )


async def _api_count(client: Any, w: Any, monkeypatch: pytest.MonkeyPatch, total: int) -> int:
    with count_queries(monkeypatch) as log:
        response = await client.get(
            "/api/needs",
            params={"per_page": 200},
            headers=w.headers["coordinator_askoy"],
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == total
    assert len(body["items"]) == total
    assert body["items"][0]["municipalities_sharing"] == 2
    assert len(body["items"][0]["services"]) == 2
    return log.count


async def _page_count(client: Any, monkeypatch: pytest.MonkeyPatch, shown: int) -> int:
    with count_queries(monkeypatch) as log:
        response = await client.get("/behov", headers=HTML)
    assert response.status_code == 200, response.text
    assert response.text.count('href="/behov/') >= shown
    return log.count


async def test_needs_list_runs_the_same_queries_for_10_and_100_needs(
    client, needs_world, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = needs_world
    await login(client, w, "coordinator_askoy")
    await _add_needs(w, 10)
    api_10 = await _api_count(client, w, monkeypatch, 10)
    page_10 = await _page_count(client, monkeypatch, 10)
    await _add_needs(w, 90)
    api_100 = await _api_count(client, w, monkeypatch, 100)
    page_100 = await _page_count(client, monkeypatch, 25)
    badge = await task_pass(monkeypatch, w.accounts["coordinator_askoy"])
    assert (api_10, page_10, api_100, page_100) == (
        API_QUERIES,
        PAGE_QUERIES + badge,
        API_QUERIES,
        PAGE_QUERIES + badge,
    )


async def _need_page_count(client: Any, monkeypatch: pytest.MonkeyPatch, need_id: int) -> int:
    with count_queries(monkeypatch) as log:
        response = await client.get(f"/behov/{need_id}", headers=HTML)
    assert response.status_code == 200, response.text
    return log.count


async def test_need_page_runs_the_same_queries_for_10_and_100_needs(
    client, needs_world, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The adviser's need page: similar needs through the index of terms and the merge
    choices in one query, whatever the size of the cluster."""
    from priorities.tables import Need

    w = needs_world
    await login(client, w, "adviser_a")
    await _add_needs(w, 10)
    first = await Need.select(Need.id).where(Need.cluster == w.ids["cluster_a"]).first()
    assert first is not None
    few = await _need_page_count(client, monkeypatch, first["id"])
    await _add_needs(w, 90)
    assert await _need_page_count(client, monkeypatch, first["id"]) == few
