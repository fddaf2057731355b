"""A first pass through the API with a real database."""

from __future__ import annotations


async def test_login_and_me(client, world) -> None:
    response = await client.post(
        "/api/auth/token", json={"email": "ADVISER_A@test.klynge.no", "password": world.password}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["cluster_ids"] == [world.ids["cluster_a"]]


async def test_healthz(client) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["redis"] == "not configured"
