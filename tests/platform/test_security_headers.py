"""Security headers on every response (pages, API, router 404/405, crashes), HSTS behind https,
no caching of anything private, and an API reference page that runs under the CSP with its
assets served from this server."""

from __future__ import annotations

import re
from typing import Any

from litestar import get
from litestar.testing import AsyncTestClient

from tests.conftest import make_settings

HTML = {"accept": "text/html"}


def assert_secured(response: Any) -> None:
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"


async def test_headers_on_router_answers_and_errors(client, db) -> None:
    response = await client.get("/no/such/page", headers=HTML)
    assert response.status_code == 404
    assert_secured(response)
    response = await client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert_secured(response)
    response = await client.delete("/healthz")
    assert response.status_code == 405
    assert_secured(response)
    assert "strict-transport-security" not in response.headers  # public URL is http


async def test_headers_on_a_crash(db) -> None:
    from klynge.app import create_app

    @get("/boom-for-test", opt={"public": True}, include_in_schema=False)
    async def boom() -> None:
        raise RuntimeError("boom")

    app = create_app(make_settings())
    app.register(boom)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        response = await test_client.get("/boom-for-test")
    assert response.status_code == 500
    assert_secured(response)


async def test_hsts_when_the_public_url_is_https(db) -> None:
    from klynge.app import create_app

    app = create_app(make_settings(KLYNGE_PUBLIC_URL="https://klynge.example.no"))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        for path in ("/healthz", "/no/such/page"):
            response = await test_client.get(path)
            assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_no_store_on_the_api_and_signed_in_pages(client, world) -> None:
    response = await client.get("/api/auth/me", headers=world.headers["adviser_a"])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    response = await client.get("/", headers={**HTML, **world.headers["adviser_a"]})
    assert response.headers["cache-control"] == "no-store"
    response = await client.get("/api/no-such-thing")
    assert response.headers["cache-control"] == "no-store"
    # Anonymous public pages may be cached.
    response = await client.get("/login", headers=HTML)
    assert response.headers.get("cache-control") != "no-store"


async def test_api_reference_runs_under_the_csp_from_local_assets(client, db) -> None:
    for path in ("/schema", "/schema/swagger"):
        response = await client.get(path)
        assert response.status_code == 200
        assert_secured(response)
        page = response.text
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
        assert "<style" not in page
        sources = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert sources
        assert all(s.startswith("/") for s in sources), sources
        for source in sources:
            asset = await client.get(source)
            assert asset.status_code == 200, source
            assert_secured(asset)
    bundle = await client.get("/schema/assets/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in bundle.text
