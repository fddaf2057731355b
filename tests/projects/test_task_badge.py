"""The task count in the page header: the number beside "My tasks" is the length of
GET /api/me/tasks for the same user, is said in words for screen readers (nb/nn/en), shows for
nobody else (another cluster's adviser, an unrelated member of the same cluster), and costs a
constant number of queries however many tasks there are (one provider pass per page)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import World
from tests.platform.test_views import HTML, login
from tests.querycount import count_queries, task_pass

BADGE = re.compile(
    r'<span class="nav-count" data-task-count="(\d+)"><span aria-hidden="true">(\d+)</span>'
    r'<span class="visually-hidden">\(([^)]*)\)</span></span>'
)


async def _actions(world: World, owner: str, n: int) -> None:
    """n open follow-up actions owned by `owner` in a project of cluster A (tasks of the
    workspace's provider), and one done action that is no task."""
    from klynge.orgs.tables import ResearchGroup
    from projects.tables import Project
    from projects.workspace.tables import ProjectAction

    group = await ResearchGroup.insert(
        ResearchGroup(name="Gruppe", institution="HVL", org_number="974718002")
    ).returning(ResearchGroup.id)
    project = await Project.insert(
        Project(cluster=world.ids["cluster_a"], group=group[0]["id"], title="Prosjekt Vest")
    ).returning(Project.id)
    account = world.accounts[owner]
    await ProjectAction.insert(
        *[
            ProjectAction(project=project[0]["id"], title=f"Handling {i}", owner=account)
            for i in range(n)
        ],
        ProjectAction(project=project[0]["id"], title="Ferdig", owner=account, done_at=_now()),
    )


def _now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC)


def _badge(page: str) -> tuple[int, str] | None:
    found = BADGE.search(page)
    if found is None:
        return None
    assert found.group(1) == found.group(2)
    return int(found.group(1)), found.group(3)


async def test_the_header_count_matches_the_task_list(client: Any, world: World) -> None:
    await _actions(world, "coordinator_askoy", 3)
    api = (await client.get("/api/me/tasks", headers=world.headers["coordinator_askoy"])).json()
    assert len(api) == 3
    await login(client, world, "coordinator_askoy")
    for path in ("/oppgaver", "/mine-organisasjoner", "/min-profil"):
        page = (await client.get(path, headers=HTML)).text
        assert _badge(page) == (3, "3 oppgaver"), path
    # The list itself holds the same tasks.
    page = (await client.get("/oppgaver", headers=HTML)).text
    assert all(task["text"] in page for task in api)


@pytest.mark.parametrize(
    ("language", "words"), [("nb", "1 oppgave"), ("nn", "1 oppgåve"), ("en", "1 task")]
)
async def test_the_count_is_said_in_the_users_language(
    client: Any, world: World, language: str, words: str
) -> None:
    from klynge.auth.tables import Account

    await _actions(world, "coordinator_askoy", 1)
    await Account.update({Account.language: language}).where(
        Account.id == world.accounts["coordinator_askoy"]
    )
    await login(client, world, "coordinator_askoy")
    page = (await client.get("/oppgaver", headers=HTML)).text
    assert f'<html lang="{language}">' in page
    assert _badge(page) == (1, words)


@pytest.mark.parametrize("other", ["adviser_b", "coordinator_trondheim", "leader_askoy"])
async def test_nobody_else_sees_the_count(client: Any, world: World, other: str) -> None:
    await _actions(world, "coordinator_askoy", 2)
    assert (await client.get("/api/me/tasks", headers=world.headers[other])).json() == []
    await login(client, world, other)
    for path in ("/oppgaver", "/mine-organisasjoner"):
        page = (await client.get(path, headers=HTML)).text
        assert _badge(page) is None, (other, path)
        assert "Handling 0" not in page


async def _page_queries(monkeypatch: pytest.MonkeyPatch, client: Any, path: str) -> int:
    with count_queries(monkeypatch) as log:
        response = await client.get(path, headers=HTML)
    assert response.status_code == 200
    return log.count


async def test_the_count_costs_one_provider_pass_whatever_the_number_of_tasks(
    monkeypatch: pytest.MonkeyPatch, client: Any, world: World
) -> None:
    await _actions(world, "coordinator_askoy", 2)
    await login(client, world, "coordinator_askoy")
    # A few queries per provider (measured: 2 for the two providers of projects), never per task.
    assert await task_pass(monkeypatch, world.accounts["coordinator_askoy"]) <= 8
    few = {p: await _page_queries(monkeypatch, client, p) for p in ("/oppgaver", "/min-profil")}
    await _actions(world, "coordinator_askoy", 20)
    many = {p: await _page_queries(monkeypatch, client, p) for p in ("/oppgaver", "/min-profil")}
    assert few == many
    page = (await client.get("/oppgaver", headers=HTML)).text
    assert _badge(page) == (22, "22 oppgaver")
