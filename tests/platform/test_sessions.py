"""Sessions: logout ends the access token at once (in every app process), and no token may
claim a longer life than the configured access lifetime, even when correctly signed."""

from __future__ import annotations

import re
import time
from typing import Any

from klynge.auth.middleware import ACCESS_COOKIE
from tests.conftest import build_world
from tests.platform.conftest import assert_problem, running
from tests.platform.test_tokens import claims, hs_token

HTML = {"accept": "text/html,application/xhtml+xml"}
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def api_login(client: Any, password: str) -> dict[str, Any]:
    response = await client.post(
        "/api/auth/token", json={"email": "adviser_a@test.klynge.no", "password": password}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_api_logout_ends_the_access_token(db, app_with) -> None:
    app = app_with()
    world = await build_world(app)
    async with running(app) as client:
        pair = await api_login(client, world.password)
        other = await api_login(client, world.password)  # another device: stays logged in
        assert (
            await client.get("/api/auth/me", headers=bearer(pair["access_token"]))
        ).status_code == 200
        out = await client.post("/api/auth/logout", json={"refresh_token": pair["refresh_token"]})
        assert out.status_code == 204
        assert_problem(await client.get("/api/auth/me", headers=bearer(pair["access_token"])), 401)
        refreshed = await client.post(
            "/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}
        )
        assert_problem(refreshed, 401)
        assert (
            await client.get("/api/auth/me", headers=bearer(other["access_token"]))
        ).status_code == 200
    # Another app process (its own memory) refuses the token too: the check is in the database.
    second = app_with()
    async with running(second) as client:
        assert_problem(await client.get("/api/auth/me", headers=bearer(pair["access_token"])), 401)


async def test_refreshed_access_token_ends_with_its_session(db, app_with) -> None:
    app = app_with()
    world = await build_world(app)
    async with running(app) as client:
        pair = await api_login(client, world.password)
        new = (
            await client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        ).json()
        out = await client.post("/api/auth/logout", json={"refresh_token": new["refresh_token"]})
        assert out.status_code == 204
        for token in (pair["access_token"], new["access_token"]):
            assert_problem(await client.get("/api/auth/me", headers=bearer(token)), 401)


async def test_ui_logout_ends_the_access_token(db, app_with) -> None:
    app = app_with()
    world = await build_world(app)
    async with running(app) as client:
        page = await client.get("/login", headers=HTML)
        found = CSRF.search(page.text)
        assert found
        response = await client.post(
            "/login",
            data={
                "email": "adviser_a@test.klynge.no",
                "password": world.password,
                "_csrf_token": found[1],
            },
            headers=HTML,
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        access = client.cookies.get(ACCESS_COOKIE)
        assert access
        assert (await client.get("/api/auth/me", headers=bearer(access))).status_code == 200
        home = await client.get("/", headers=HTML)
        found = CSRF.search(home.text)
        assert found
        out = await client.post(
            "/logout", data={"_csrf_token": found[1]}, headers=HTML, follow_redirects=False
        )
        assert out.status_code == 303, out.text
        assert_problem(await client.get("/api/auth/me", headers=bearer(access)), 401)


async def test_correctly_signed_ten_year_token_is_refused(db, app_with) -> None:
    app = app_with()
    world = await build_world(app)
    now = int(time.time())
    account = str(world.accounts["admin"])
    long_lived = hs_token(claims(sub=account, iat=now, exp=now + 10 * 365 * 24 * 3600))
    fair = hs_token(claims(sub=account, iat=now, exp=now + 900))
    async with running(app) as client:
        body = assert_problem(await client.get("/api/auth/me", headers=bearer(long_lived)), 401)
        assert "lifetime" in body["detail"]
        assert (await client.get("/api/auth/me", headers=bearer(fair))).status_code == 200
