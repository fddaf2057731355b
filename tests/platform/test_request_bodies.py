"""Bodies a client got wrong answer 400 problem+json, never 500: a multipart form without its
file part, JSON nested too deep, and bytes that are not UTF-8 — on any route, including the
unauthenticated token endpoint."""

from __future__ import annotations

from typing import Any

import pytest

PROBLEM = "application/problem+json"
DEEP = b"[" * 1000 + b"]" * 1000
NOT_UTF8 = b'{"email": "\xff\xfe@test.klynge.no", "password": "x"}'


def _bad_request(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == 400
    return body


async def test_multipart_without_its_file_part_is_a_bad_request(client, world) -> None:
    admin = world.headers["admin"]
    response = await client.post(
        "/api/municipalities/import", headers=admin, files={"note": (None, b"no file at all")}
    )
    assert "file" in _bad_request(response)["detail"]
    url = (
        f"/api/needs/import?cluster_id={world.ids['cluster_a']}"
        f"&municipality_id={world.ids['askoy']}"
    )
    response = await client.post(
        url, headers=world.headers["leader_askoy"], files={"x": (None, b"1")}
    )
    _bad_request(response)
    # A text part that is not UTF-8 is refused the same way.
    response = await client.post(
        "/api/municipalities/import", headers=admin, files={"note": (None, b"\xff\xfe")}
    )
    _bad_request(response)


@pytest.mark.parametrize("body", [DEEP, NOT_UTF8, b'{"email": "a@b.no", "password": "x"'])
async def test_undecodable_json_is_a_bad_request_before_login(client, db, body) -> None:
    response = await client.post(
        "/api/auth/token", content=body, headers={"content-type": "application/json"}
    )
    _bad_request(response)


async def test_undecodable_json_is_a_bad_request_when_logged_in(client, world) -> None:
    for body in (DEEP, NOT_UTF8):
        response = await client.post(
            "/api/needs/",
            content=body,
            headers={**world.headers["leader_askoy"], "content-type": "application/json"},
        )
        _bad_request(response)
