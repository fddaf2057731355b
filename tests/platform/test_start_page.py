"""The start page of a signed-in user is their task list (/oppgaver): after the login form
(unless it carried a `next` target) and on "/"; anonymous "/" stays the public portal. The
header's task count costs one provider pass per page, and nothing on API calls and redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import World
from tests.platform.test_views import HTML, csrf_token, login, text_of


async def _form_login(client: Any, world: World, key: str, **extra: str) -> Any:
    token = await csrf_token(client)
    return await client.post(
        "/login",
        data={
            "email": f"{key}@test.klynge.no",
            "password": world.password,
            "_csrf_token": token,
            **extra,
        },
        headers=HTML,
        follow_redirects=False,
    )


async def test_the_login_form_lands_on_the_task_list(client: Any, world: World) -> None:
    response = await _form_login(client, world, "adviser_a")
    assert response.status_code == 303
    assert response.headers["location"] == "/oppgaver"
    page = await client.get("/oppgaver", headers=HTML)
    assert page.status_code == 200
    assert "<h1>Mine oppgaver</h1>" in page.text
    # The overview the start page used to be follows the list: roles and join requests.
    assert "FoU-rådgiver" in text_of(page)
    assert 'id="soknader"' in page.text


async def test_a_next_target_wins_over_the_start_page(client: Any, world: World) -> None:
    response = await _form_login(client, world, "adviser_a", next="/mine-organisasjoner")
    assert response.headers["location"] == "/mine-organisasjoner"
    # Already signed in: the login page sends on to the start page.
    response = await client.get("/login", headers=HTML, follow_redirects=False)
    assert response.headers["location"] == "/oppgaver"


async def test_home_sends_a_signed_in_user_to_the_task_list(client: Any, world: World) -> None:
    await login(client, world, "coordinator_askoy")
    response = await client.get("/", headers=HTML, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/oppgaver"
    # A notice of our own travels along; anything else is dropped.
    response = await client.get("/?notice=core.withdrawn", headers=HTML, follow_redirects=False)
    assert response.headers["location"] == "/oppgaver?notice=core.withdrawn"
    page = await client.get(response.headers["location"], headers=HTML)
    assert "Søknaden er trukket." in text_of(page)
    response = await client.get("/?notice=<b>hei</b>", headers=HTML, follow_redirects=False)
    assert response.headers["location"] == "/oppgaver"


async def test_anonymous_home_is_the_public_portal(client: Any, world: World) -> None:
    response = await client.get("/", headers=HTML, follow_redirects=False)
    assert response.status_code == 200
    assert 'href="/login?next=/"' in response.text
    assert "nav-count" not in response.text


@pytest.fixture
def provider_passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the passes over the task providers: each call of klynge.tasks.providers (the
    list) or klynge.tasks.counters (the header's count) is one."""
    from klynge import tasks

    passes: list[int] = []
    providers: Callable[[], list[Any]] = tasks.providers
    counters: Callable[[], list[Any]] = tasks.counters

    def counted_providers() -> list[Any]:
        passes.append(1)
        return providers()

    def counted_counters() -> list[Any]:
        passes.append(1)
        return counters()

    monkeypatch.setattr(tasks, "providers", counted_providers)
    monkeypatch.setattr(tasks, "counters", counted_counters)
    return passes


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/oppgaver", 1),  # the list and its badge share one pass
        ("/mine-organisasjoner", 1),  # any page: the badge
        ("/", 0),  # a redirect to the start page: no page, no count
        ("/api/auth/me", 0),  # the API has no header
        ("/api/me/tasks", 1),
        ("/static/css/klynge.css", 0),
    ],
)
async def test_one_provider_pass_per_page_at_most(
    client: Any, world: World, provider_passes: list[int], path: str, expected: int
) -> None:
    await login(client, world, "adviser_a")
    provider_passes.clear()
    headers = world.headers["adviser_a"] if path.startswith("/api/") else HTML
    response = await client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code in (200, 303)
    assert len(provider_passes) == expected


async def test_no_pass_for_anonymous_pages(
    client: Any, world: World, provider_passes: list[int]
) -> None:
    for path in ("/", "/login", "/personvern"):
        assert (await client.get(path, headers=HTML)).status_code == 200
    assert provider_passes == []


async def test_no_badge_without_tasks(client: Any, world: World) -> None:
    await login(client, world, "nobody")
    assert (await client.get("/api/me/tasks", headers=world.headers["nobody"])).json() == []
    page = await client.get("/mine-organisasjoner", headers=HTML)
    assert 'href="/oppgaver"' in page.text
    assert "nav-count" not in page.text
