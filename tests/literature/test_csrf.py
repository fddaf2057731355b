"""CSRF exemptions are anchored to their routes: a page whose path merely contains an exempt
prefix (a measure slug beginning with "schema", "api" …) keeps its CSRF check."""

from __future__ import annotations

from tests.literature.test_views import MEASURE
from tests.platform.test_views import HTML, login, submit


async def test_measure_form_with_schema_like_slug_needs_the_csrf_token(client, needs_world) -> None:
    w = needs_world
    body = {**MEASURE, "name": "Schematerapi for ungdom"}
    response = await client.post("/api/measures/", json=body, headers=w.headers["adviser_a"])
    assert response.status_code == 201, response.text
    slug = response.json()["slug"]
    assert slug.startswith("schematerapi")

    await login(client, w, "coordinator_askoy")
    form = {"municipality_id": str(w.ids["askoy"]), "service_id": "", "since": "2025-01-01"}
    response = await client.post(
        f"/tiltak/{slug}/bruk", data=form, headers=HTML, follow_redirects=False
    )
    assert response.status_code == 403
    # With the page's token the same form goes through.
    response = await submit(client, f"/tiltak/{slug}", f"/tiltak/{slug}/bruk", form)
    assert response.status_code == 303, response.text
