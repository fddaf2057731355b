"""List pages and list calls run a constant number of queries whatever the number of rows, and
page in SQL: research groups and proposals, through the API and the HTML page, at 10 and 100."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World
from tests.platform.test_views import HTML, login
from tests.querycount import count_queries, task_pass

# Measured on this code (SQLite and PostgreSQL alike); a change means a query was added or an
# N+1 came back, so the numbers are exact.
QUERIES = {
    # Every request first loads the principal and checks its session was not ended.
    "api_groups": 8,  # principal, session, groups, profiles, members, publications, capacity
    # Pages add one pass over the task providers for the header's count (task_pass).
    "html_groups": 9,  # the same and a count, page chrome included
    "api_proposals": 6,  # principal, session, proposals, their groups' names, their projects
    "html_proposals": 10,  # the same, a count and the projects list (with their municipalities)
}


async def _rows(world: World, n: int) -> None:
    """n research groups (profile, member, publication) and n proposals by them in cluster A,
    every other one accepted with its project."""
    from klynge.orgs.tables import ResearchGroup
    from projects.tables import GroupMember, GroupProfile, GroupPublication, Project, Proposal

    groups = await ResearchGroup.insert(
        *[
            ResearchGroup(name=f"Gruppe {i:03}", institution="HVL", org_number="974718002")
            for i in range(n)
        ]
    ).returning(ResearchGroup.id)
    ids = [g["id"] for g in groups]
    await GroupProfile.insert(*[GroupProfile(group=g, capacity=2) for g in ids])
    await GroupMember.insert(
        *[GroupMember(group=g, name="Kari Nordmann", role="leder") for g in ids]
    )
    await GroupPublication.insert(
        *[GroupPublication(group=g, title=f"Artikkel {g}", year=2024) for g in ids]
    )
    cluster = world.ids["cluster_a"]
    proposals = await Proposal.insert(
        *[
            Proposal(
                cluster=cluster,
                group=g,
                title=f"Forslag {i:03}",
                need_ids=[],
                status="accepted" if i % 2 else "submitted",
            )
            for i, g in enumerate(ids)
        ]
    ).returning(Proposal.id, Proposal.group, Proposal.status)
    await Project.insert(
        *[
            Project(cluster=cluster, proposal=p["id"], group=p["group"], title="Prosjekt")
            for p in proposals
            if p["status"] == "accepted"
        ]
    )


async def _count(monkeypatch: pytest.MonkeyPatch, client: Any, path: str, **kw: Any) -> int:
    with count_queries(monkeypatch) as log:
        response = await client.get(path, **kw)
    assert response.status_code == 200, response.text
    return log.count


@pytest.mark.parametrize("n", [10, 100])
async def test_list_queries_do_not_grow_with_the_rows(
    monkeypatch: pytest.MonkeyPatch, client: Any, world: World, n: int
) -> None:
    await _rows(world, n)
    headers = world.headers["adviser_a"]
    counts = {
        "api_groups": await _count(monkeypatch, client, "/api/research-groups", headers=headers),
        "api_proposals": await _count(monkeypatch, client, "/api/proposals", headers=headers),
    }
    await login(client, world, "adviser_a")
    counts["html_groups"] = await _count(monkeypatch, client, "/forskergrupper", headers=HTML)
    counts["html_proposals"] = await _count(monkeypatch, client, "/forslag", headers=HTML)
    badge = await task_pass(monkeypatch, world.accounts["adviser_a"])
    assert counts == {k: v + badge if k.startswith("html_") else v for k, v in QUERIES.items()}


@pytest.mark.parametrize("n", [10, 100])
async def test_lists_page_in_sql(client: Any, world: World, n: int) -> None:
    await _rows(world, n)
    headers = world.headers["adviser_a"]
    page = await client.get("/api/proposals?limit=7&offset=3", headers=headers)
    titles = [p["title"] for p in page.json()]
    assert titles == [f"Forslag {i:03}" for i in range(n - 4, n - 11, -1)]
    page = await client.get("/api/research-groups?limit=5&offset=5", headers=headers)
    assert [g["name"] for g in page.json()] == [f"Gruppe {i:03}" for i in range(5, 10)]
    everything = await client.get("/api/research-groups", headers=headers)
    assert len(everything.json()) == n
    await login(client, world, "adviser_a")
    html = (await client.get("/forskergrupper?side=2", headers=HTML)).text
    if n == 100:
        assert "Gruppe 050" in html
        assert "Gruppe 049" not in html
        assert 'aria-current="page">2<' in html
    else:
        assert "Gruppe 000" in html  # one page: side=2 shows the last (only) page
