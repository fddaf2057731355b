"""Shared helpers for the platform's integration tests: extra app instances, job polling."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

PROBLEM_JSON = "application/problem+json"


@contextlib.asynccontextmanager
async def running(app: Any) -> AsyncIterator[Any]:
    """An AsyncTestClient for an app built by the test (e.g. with other settings)."""
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        yield client
        client.blocking_portal.call(app.state.dispatcher.drain)


@pytest.fixture
def app_with() -> Callable[..., Any]:
    """Build another app instance on the same database: app_with(KLYNGE_X="...")."""
    from klynge.app import create_app
    from tests.conftest import make_settings

    def build(**env: str) -> Any:
        return create_app(make_settings(**env))

    return build


async def wait_for_job(
    client: Any, url: str, headers: dict[str, str], seconds: float = 20.0
) -> dict[str, Any]:
    """Poll a job's status URL until it is done or failed (in-process jobs run on the client's
    own loop, in another thread, so sleeping here lets them progress)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in ("done", "failed"):
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"job still {body['status']} after {seconds} s: {body}")
        await asyncio.sleep(0.05)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0].strip() == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert "Traceback" not in response.text
    return body


def field_names(body: dict[str, Any]) -> set[str]:
    return {e["field"] for e in body.get("errors", [])}
