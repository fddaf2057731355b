"""Error rendering: problem+json for the API, HTML pages for browsers and curl alike."""

from __future__ import annotations


async def test_login_redirect_keeps_the_query_encoded(client) -> None:
    response = await client.get("/mine-organisasjoner?tab=roller&x=1", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/mine-organisasjoner%3Ftab%3Droller%26x%3D1"


async def test_missing_page_is_html_for_any_accept(client) -> None:
    for accept in ("*/*", "text/html,application/xhtml+xml", ""):
        response = await client.get("/finnes-ikke", headers={"Accept": accept})
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html"), accept
        assert "Traceback" not in response.text


async def test_missing_page_is_problem_json_when_asked(client) -> None:
    response = await client.get("/finnes-ikke", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


async def test_api_errors_are_always_problem_json(client) -> None:
    response = await client.get("/api/finnes-ikke", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["instance"] == "/api/finnes-ikke"
    assert body["type"].startswith("https://")
