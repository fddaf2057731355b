"""The literature pages through real HTTP: who sees what (another cluster gets 404), the import
form starting a job and the report after it, screening and the verdict through the forms, the
knowledge bank with levels and their scales, and a public portal that shows only public things."""

from __future__ import annotations

import asyncio
import html
import re
from typing import Any

from tests.literature.conftest import RIS, import_file
from tests.platform.test_views import HTML, csrf_token, login, submit

MEASURE = {
    "name": "Parent Management Training – Oregon (PMTO)",
    "scale": "ungsinn",
    "level": "4",
    "description": "Foreldretrening for familier med barn med atferdsvansker.",
    "target_group": "Foreldre til barn med atferdsvansker",
    "age_from": 3,
    "age_to": 12,
    "service_types": ["barnevern", "bup"],
    "links": [{"title": "Ungsinn", "url": "https://ungsinn.no/"}],
}


def text_of(response: Any) -> str:
    return html.unescape(response.text)


def plain(response: Any) -> str:
    """The page's text without tags (search hits wrap matched words in <mark>)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", response.text)).split())


async def _get(client: Any, path: str) -> Any:
    return await client.get(path, headers=HTML, follow_redirects=False)


async def _check(client: Any, w: Any, need_id: int, **extra: Any) -> int:
    body = {"question": "Virker foreldretrening mot atferdsvansker?", **extra}
    response = await client.post(
        f"/api/needs/{need_id}/literature-checks", json=body, headers=w.headers["adviser_a"]
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _check_with_records(client: Any, w: Any, need_id: int, **extra: Any) -> int:
    check_id = await _check(client, w, need_id, **extra)
    done = await import_file(
        client, w.headers["adviser_a"], RIS, extra={"check_id": check_id}, source="Cochrane"
    )
    assert done["status"] == "done", done
    return check_id


async def _refs(client: Any, w: Any) -> dict[str, int]:
    found = await client.get("/api/literature/references", headers=w.headers["adviser_a"])
    return {h["title"]: h["id"] for h in found.json()["hits"]} | {
        re.sub("<[^>]+>", "", h["title_html"]): h["id"] for h in found.json()["hits"]
    }


async def _candidates(client: Any, w: Any, check_id: int, who: str = "adviser_a") -> list[Any]:
    response = await client.get(
        f"/api/literature-checks/{check_id}/candidates", headers=w.headers[who]
    )
    assert response.status_code == 200, response.text
    return response.json()


# --- pages by role -------------------------------------------------------------------------


async def test_literature_pages_by_role(client, needs_world, need_id) -> None:
    w = needs_world
    check_id = await _check_with_records(client, w, need_id)
    imports = await client.get("/api/literature/imports", headers=w.headers["adviser_a"])
    import_id = imports.json()[0]["id"]
    reference_id = (await _candidates(client, w, check_id))[0]["reference"]["id"]

    await login(client, w, "adviser_a")
    for path in (
        "/litteratur",
        "/litteratur?q=parent&evidence_type=meta_analysis&year_from=2010",
        "/litteratur/importer",
        f"/litteratur/importer/{import_id}",
        f"/litteratur/referanser/{reference_id}",
        "/litteratur/duplikater",
        f"/behov/{need_id}/litteratursjekk/ny",
        f"/litteratursjekker/{check_id}",
        f"/behov/{need_id}",
        "/tiltak",
        "/tiltak/ny",
        "/kunnskap",
    ):
        response = await _get(client, path)
        assert response.status_code == 200, (path, response.text[:2000])
    page = text_of(await _get(client, "/litteratur?q=parent"))
    assert "<mark>parent</mark> training" in page.lower()
    assert "Metaanalyse" in page  # the evidence type of the parent-training review
    need_page = text_of(await _get(client, f"/behov/{need_id}"))
    assert f"/litteratursjekker/{check_id}" in need_page
    assert "Start en litteratursjekk" in need_page

    # A member without the adviser role sees the check but no adviser forms.
    await login(client, w, "coordinator_askoy")
    page = await _get(client, f"/litteratursjekker/{check_id}")
    assert page.status_code == 200
    assert "/konklusjon" not in page.text
    assert (await _get(client, "/litteratur/importer")).status_code == 403
    assert (await _get(client, f"/behov/{need_id}/litteratursjekk/ny")).status_code == 403

    # Another cluster's adviser: nothing admits to existing.
    await login(client, w, "adviser_b")
    for path in (
        f"/litteratursjekker/{check_id}",
        f"/litteratur/referanser/{reference_id}",
        f"/litteratur/importer/{import_id}",
        f"/behov/{need_id}/litteratursjekk/ny",
    ):
        assert (await _get(client, path)).status_code == 404, path
    assert "Parent training" not in plain(await _get(client, "/litteratur?q=parent"))

    client.cookies.clear()
    assert (await _get(client, "/litteratur")).status_code == 302
    assert (await _get(client, f"/litteratursjekker/{check_id}")).status_code == 302


async def test_import_form_starts_a_job_and_shows_the_report(client, needs_world) -> None:
    w = needs_world
    await login(client, w, "adviser_a")
    token = await csrf_token(client, "/litteratur/importer")
    response = await client.post(
        "/litteratur/importer",
        data={
            "_csrf_token": token,
            "format": "ris",
            "source": "PubMed",
            "query": "parent training AND conduct",
            "searched_on": "2026-10-02",
            "cluster_id": str(w.ids["cluster_a"]),
        },
        files={"file": ("pubmed.ris", RIS.encode(), "application/octet-stream")},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    import_id = int(location.rsplit("/", 1)[1])
    job_id = None
    for _ in range(400):
        out = (
            await client.get(f"/api/literature/imports/{import_id}", headers=w.headers["adviser_a"])
        ).json()
        job_id = out["job_id"]
        if out["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.02)
    job = await client.get(f"/api/jobs/{job_id}", headers=w.headers["adviser_a"])
    assert job.json()["status"] == "done", job.text
    page = text_of(await _get(client, location))
    assert "Rapport" in page
    assert "Poster lest" in page
    assert "Angre importen" in page  # nothing screened yet

    # Undo needs the confirmation box; with it the import is undone.
    response = await submit(client, location, f"{location}/angre", {})
    assert response.status_code == 303
    assert out["status"] == "done"
    response = await submit(client, location, f"{location}/angre", {"confirm": "1"})
    assert response.status_code == 303, response.text
    after = await client.get(f"/api/literature/imports/{import_id}", headers=w.headers["adviser_a"])
    assert after.json()["status"] == "undone"

    # A missing file is shown beside the field.
    token = await csrf_token(client, "/litteratur/importer")
    response = await client.post(
        "/litteratur/importer",
        data={"_csrf_token": token, "format": "ris", "source": ""},
        files={"file": ("", b"", "application/octet-stream")},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 422, response.text
    assert 'id="import-file-error"' in response.text


async def test_screening_and_verdict_through_the_forms(client, needs_world, need_id) -> None:
    w = needs_world
    check_id = await _check_with_records(client, w, need_id)
    page = f"/litteratursjekker/{check_id}"
    refs = {
        c["reference"]["title"]: c["reference"]["id"]
        for c in await _candidates(client, w, check_id)
    }
    review = next(i for t, i in refs.items() if t.startswith("Parent training"))
    other = next(i for t, i in refs.items() if t.startswith("School absence"))
    await login(client, w, "adviser_a")

    # Full text before the title stage is refused, with the problem on the page.
    response = await submit(
        client,
        page,
        f"{page}/screening",
        {"reference_id": str(other), "stage": "fulltext", "decision": "include"},
    )
    assert response.status_code == 422, response.text
    assert "error-summary" in response.text

    response = await submit(
        client,
        page,
        f"{page}/screening",
        {"reference_id": str(review), "stage": "title", "decision": "include", "note": ""},
    )
    assert response.status_code == 303, response.text
    # Excluding at full text needs a reason: shown beside the reason field of that record.
    response = await submit(
        client,
        page,
        f"{page}/screening",
        {"reference_id": str(review), "stage": "fulltext", "decision": "exclude", "reason": ""},
    )
    assert response.status_code == 422, response.text
    assert f'id="screen-fulltext-{review}-reason-error"' in response.text
    response = await submit(
        client,
        page,
        f"{page}/screening",
        {"reference_id": str(review), "stage": "fulltext", "decision": "include", "note": ""},
    )
    assert response.status_code == 303, response.text
    response = await submit(
        client,
        page,
        f"{page}/screening",
        {
            "reference_id": str(other),
            "stage": "title",
            "decision": "exclude",
            "reason": "Feil populasjon",
        },
    )
    assert response.status_code == 303, response.text
    candidates = {c["reference"]["id"]: c for c in await _candidates(client, w, check_id)}
    assert candidates[review]["fulltext_state"] == "include"
    assert candidates[other]["title_state"] == "exclude"
    assert candidates[other]["title_reason"] == "Feil populasjon"

    # A verdict other than answered needs a reason code: shown beside the field.
    response = await submit(client, page, f"{page}/konklusjon", {"verdict": "partly"})
    assert response.status_code == 422, response.text
    assert 'id="verdict-reason_code-error"' in response.text

    response = await submit(
        client,
        page,
        f"{page}/konklusjon",
        {
            "verdict": "answered",
            "reason_code": "",
            "certainty": "moderate",
            "reviews": str(review),
            f"certainty_{review}": "moderate",
            "summary": "Foreldretrening reduserer atferdsvansker.",
            "public": "1",
        },
    )
    assert response.status_code == 303, response.text
    check = (
        await client.get(f"/api/literature-checks/{check_id}", headers=w.headers["adviser_a"])
    ).json()
    assert check["verdict"] == "answered"
    assert check["public"] is True
    assert [r["reference"]["id"] for r in check["reviews"]] == [review]
    shown = text_of(await _get(client, page))
    assert "Besvart" in shown
    assert "<svg" in shown
    assert 'role="img"' in shown

    # The portal shows it to everyone.
    client.cookies.clear()
    portal = text_of(await _get(client, "/kunnskap"))
    assert f"/kunnskap/behov/{check_id}" in portal
    public = text_of(await _get(client, f"/kunnskap/behov/{check_id}"))
    assert "Besvart" in public
    assert "Parent training" in public
    assert "Middels" in public


async def test_portal_shows_only_public_things(client, needs_world, need_id) -> None:
    w = needs_world
    check_id = await _check_with_records(client, w, need_id)
    refs = {
        c["reference"]["title"]: c["reference"]["id"]
        for c in await _candidates(client, w, check_id)
    }
    review = next(i for t, i in refs.items() if t.startswith("Parent training"))
    # An unpublished verdict.
    response = await client.post(
        f"/api/literature-checks/{check_id}/verdict",
        json={"verdict": "answered", "reviews": [{"reference_id": review}], "public": False},
        headers=w.headers["adviser_a"],
    )
    assert response.status_code == 200, response.text
    client.cookies.clear()
    assert (await _get(client, f"/kunnskap/behov/{check_id}")).status_code == 404
    portal = plain(await _get(client, "/kunnskap?q=parent"))
    assert f"/kunnskap/behov/{check_id}" not in portal
    # No reference is cited by a public measure or verdict: public search shows none of them.
    assert "Parent training" not in portal
    assert "School absence" not in plain(await _get(client, "/kunnskap?q=school"))

    # Linked from a measure, the review becomes public; the other reference stays hidden.
    response = await client.post(
        "/api/measures/",
        json={**MEASURE, "reference_ids": [review]},
        headers=w.headers["adviser_a"],
    )
    assert response.status_code == 201, response.text
    portal = plain(await _get(client, "/kunnskap?q=parent"))
    assert "Parent training" in portal
    assert "School absence" not in plain(await _get(client, "/kunnskap?q=school"))


async def test_measure_pages_show_the_level_with_its_scale(client, needs_world) -> None:
    w = needs_world
    response = await client.post("/api/measures/", json=MEASURE, headers=w.headers["adviser_a"])
    assert response.status_code == 201, response.text
    slug = response.json()["slug"]
    expected = "Ungsinn (gjeldende skala, 0–5): 4 Tilfredsstillende dokumentasjon"
    assert expected in text_of(await _get(client, "/tiltak"))
    page = text_of(await _get(client, f"/tiltak/{slug}"))
    assert expected in page
    assert "Vi bruker dette tiltaket" not in page  # anonymous: no form

    await login(client, w, "coordinator_askoy")
    page = text_of(await _get(client, f"/tiltak/{slug}"))
    assert "Vi bruker dette tiltaket" in page
    response = await submit(
        client,
        f"/tiltak/{slug}",
        f"/tiltak/{slug}/bruk",
        {"municipality_id": str(w.ids["askoy"]), "service_id": "", "since": "2025-01-01"},
    )
    assert response.status_code == 303, response.text
    page = text_of(await _get(client, f"/tiltak/{slug}"))
    assert "1 kommune bruker tiltaket" in page
    assert "Klynge Vest" in page
    assert (await _get(client, "/tiltak/ny")).status_code == 403

    # The adviser adds a measure through the form; a level from another scale is refused.
    await login(client, w, "adviser_a")
    form = {
        "name": "Marte Meo",
        "scale": "ungsinn",
        "level": "high",
        "age_from": "0",
        "age_to": "12",
        "service_types": ["helsestasjon", "barnehage"],
        "links": "Ungsinn | https://ungsinn.no/marte-meo",
        "reference_ids": "",
    }
    response = await submit(client, "/tiltak/ny", "/tiltak/ny", form)
    assert response.status_code == 422, response.text
    assert 'id="measure-level-error"' in response.text
    response = await submit(client, "/tiltak/ny", "/tiltak/ny", {**form, "level": "3"})
    assert response.status_code == 303, response.text
    page = text_of(await _get(client, response.headers["location"]))
    assert "Ungsinn (gjeldende skala, 0–5): 3 Noe dokumentasjon" in page


async def test_nynorsk_and_english(client, needs_world, need_id) -> None:
    w = needs_world
    check_id = await _check_with_records(client, w, need_id)
    await client.post(
        f"/api/literature-checks/{check_id}/verdict",
        json={"verdict": "unanswered", "reason_code": "A", "public": True},
        headers=w.headers["adviser_a"],
    )
    client.cookies.clear()
    for language, words in (
        ("nn", ("Forsking og tiltak", "Usvara", "Inga systematisk oversikt")),
        ("en", ("Research and measures", "Unanswered", "No systematic review")),
        ("nb", ("Forskning og tiltak", "Ubesvart", "Ingen systematisk oversikt")),
    ):
        token = await csrf_token(client, "/kunnskap")
        response = await client.post(
            "/language",
            data={"_csrf_token": token, "language": language, "next": "/kunnskap"},
            headers=HTML,
            follow_redirects=False,
        )
        assert response.status_code == 303
        portal = text_of(await _get(client, "/kunnskap"))
        page = text_of(await _get(client, f"/kunnskap/behov/{check_id}"))
        assert f'lang="{language}"' in page
        assert words[0] in portal, language
        assert words[1] in page, language
        assert words[2] in page, language


async def test_screening_lists_are_paged_and_filtered(client, needs_world, need_id) -> None:
    w = needs_world
    check_id = await _check(client, w, need_id)
    many = "\n".join(
        f"TY  - JOUR\nTI  - Study number {i:03d} of school absence\nAU  - Hansen, Ola\n"
        f"PY  - {2000 + i % 20}\nDO  - 10.5555/paging.{i}\nER  -\n"
        for i in range(60)
    )
    done = await import_file(
        client, w.headers["adviser_a"], many, extra={"check_id": check_id}, source="PubMed"
    )
    assert done["imported"] == 60, done
    await login(client, w, "adviser_a")
    page = f"/litteratursjekker/{check_id}"
    first = plain(await _get(client, page))
    assert "Poster: 60" in first
    assert "side 1 av 2" in first
    assert "Study number 000" in first
    assert "Study number 055" not in first
    second = plain(await _get(client, f"{page}?side=2"))
    assert "Study number 055" in second
    assert "Study number 000" not in second
    # Screen one record from page 2: the redirect keeps the page and the filter.
    target = next(
        c["reference"]["id"]
        for c in await _candidates(client, w, check_id)
        if c["reference"]["title"].startswith("Study number 055")
    )
    response = await submit(
        client,
        f"{page}?side=2",
        f"{page}/screening",
        {
            "reference_id": str(target),
            "stage": "title",
            "decision": "exclude",
            "reason": "Feil populasjon",
            "side": "2",
            "vis": "ubehandlet",
        },
    )
    assert response.status_code == 303, response.text
    assert "side=2" in response.headers["location"]
    assert "vis=ubehandlet" in response.headers["location"]
    todo = plain(await _get(client, f"{page}?vis=ubehandlet"))
    assert "Poster: 59" in todo
    excluded = plain(await _get(client, f"{page}?vis=ekskludert"))
    assert "Poster: 1 " in excluded
    assert "Study number 055" in excluded
