"""The projects pages through real HTTP: who sees what, the profile form with an ORCID error
beside its field, publications imported through the upload form, matching run from the need's
matches page (a job) with the explanation in words, the inbox's interest and decline, a
proposal sent through the form and accepted through the review form (a project is created),
a round's assignment, and the pages in nynorsk and English."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tests.conftest import World
from tests.platform.test_views import HTML, csrf_token, login, submit
from tests.projects.test_api import PUBLICATIONS_RIS, groups_world, needs_world, wait_job

__all__ = ["groups_world", "needs_world"]


def plain(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


async def _get(client: Any, path: str) -> Any:
    return await client.get(path, headers=HTML, follow_redirects=False)


@pytest.fixture
async def ui_world(groups_world: World) -> World:
    """The researchers of groups_world get the world's password, so they can log in."""
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account

    await Account.update({Account.password_hash: hash_password(groups_world.password)}).where(
        Account.id.is_in(
            [groups_world.accounts[k] for k in ("researcher_school", "researcher_sea")]
        )
    )
    return groups_world


def _ranked(need_id: int, rank: int) -> dict[str, Any]:
    """A ranking item of a closed round, as the round's result stores it."""
    return {
        "need_id": need_id,
        "rank": rank,
        "score": 80.0 - rank,
        "criteria": {},
        "agreement": {},
        "aea": 0.8,
        "rank_min": rank,
        "rank_max": rank,
        "unstable": False,
        "raters": 3,
        "blanks": 0,
        "group_scores": {},
    }


async def _closed_round(w: World) -> int:
    from priorities.tables import Decision, PriorityRound, RoundNeed

    needs = w.ids["needs"]  # type: ignore[assignment]
    row = await PriorityRound.insert(
        PriorityRound(
            cluster=w.ids["cluster_a"],
            name="Vårrunden",
            weights={},
            weighting="group",
            status="closed",
            result=[_ranked(n, i + 1) for i, n in enumerate(needs)],  # type: ignore[arg-type]  # type: ignore[arg-type]
        )
    ).returning(PriorityRound.id)
    round_id = int(row[0]["id"])
    for need in needs:  # type: ignore[attr-defined]
        await RoundNeed.insert(RoundNeed(round=round_id, need=need))
        await Decision.insert(
            Decision(round=round_id, need=need, decision="prioritised", justification="Viktig")
        )
    return round_id


async def _job_of(location: str) -> str:
    found = re.search(r"jobb=([0-9a-f-]{36})", location)
    assert found, location
    return found.group(1)


async def _run_matching_from_page(client: Any, w: World) -> None:
    need = w.ids["needs"][0]  # type: ignore[index]
    page = f"/behov/{need}/matcher"
    response = await submit(client, page, f"{page}/kjor", {})
    assert response.status_code == 303, response.text
    job_id = await _job_of(response.headers["location"])
    job = await wait_job(client, f"/api/jobs/{job_id}", w.headers["adviser_a"])
    assert job["status"] == "done", job


async def _import_from_page(client: Any, w: World) -> None:
    group = w.ids["group_school"]
    page = f"/forskergrupper/{group}/publikasjoner"
    token = await csrf_token(client, page)
    response = await client.post(
        f"{page}/import",
        data={"_csrf_token": token, "format": "ris"},
        files={"file": ("pubs.ris", PUBLICATIONS_RIS.encode(), "text/plain")},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    job_id = await _job_of(location)
    job = await wait_job(client, f"/api/jobs/{job_id}", w.headers["researcher_school"])
    assert job["status"] == "done", job
    shown = plain(await _get(client, location.split("#")[0]))
    assert "Nye publikasjoner" in shown
    assert "School absenteeism" in shown


# --- pages by role ---------------------------------------------------------------------------


async def test_pages_by_role(client: Any, ui_world: World) -> None:
    w = ui_world
    school, sea = w.ids["group_school"], w.ids["group_sea"]
    need = w.ids["needs"][0]  # type: ignore[index]
    round_id = await _closed_round(w)

    await login(client, w, "adviser_a")
    for path in (
        "/forskergrupper",
        "/forskergrupper/ny",
        f"/forskergrupper/{school}",
        f"/forskergrupper/{school}/publikasjoner",
        f"/behov/{need}/matcher",
        f"/runder/{round_id}/fordeling",
        "/forslag",
        "/varsler",
    ):
        response = await _get(client, path)
        assert response.status_code == 200, (path, response.text[:2000])
    assert "Kjør matching for klyngen" in plain(await _get(client, f"/behov/{need}/matcher"))
    assert f"/behov/{need}/matcher" in (await _get(client, f"/behov/{need}")).text
    assert f"/runder/{round_id}/fordeling" in (await _get(client, f"/runder/{round_id}")).text
    for path in ("/forsker/innboks", "/forslag/ny", f"/forskergrupper/{school}/rediger"):
        assert (await _get(client, path)).status_code == 403, path

    await login(client, w, "researcher_school")
    for path in (
        "/forskergrupper",
        f"/forskergrupper/{school}/rediger",
        f"/forskergrupper/{school}/publikasjoner",
        "/forsker/innboks",
        "/forslag",
        "/forslag/ny",
        "/varsler",
    ):
        response = await _get(client, path)
        assert response.status_code == 200, (path, response.text[:2000])
    assert "Mine matchede behov" in plain(await _get(client, "/forskergrupper"))
    assert (await _get(client, f"/forskergrupper/{sea}/rediger")).status_code == 403
    for path in ("/forskergrupper/ny", f"/runder/{round_id}/fordeling"):
        assert (await _get(client, path)).status_code == 403, path
    # Matching has not run: the need is not the researcher's to see.
    assert (await _get(client, f"/behov/{need}/matcher")).status_code == 404

    await login(client, w, "coordinator_askoy")
    # The proposals list is open to a coordinator: it shows those made for needs they asked.
    assert (await _get(client, "/forslag")).status_code == 200
    for path in ("/forskergrupper/ny", "/forsker/innboks", "/forslag/ny"):
        assert (await _get(client, path)).status_code == 403, path
    assert (await _get(client, f"/behov/{need}/matcher")).status_code == 200

    await login(client, w, "adviser_b")
    assert (await _get(client, f"/behov/{need}/matcher")).status_code == 404
    assert (await _get(client, f"/runder/{round_id}/fordeling")).status_code == 404

    client.cookies.clear()
    for path in ("/forskergrupper", f"/behov/{need}/matcher", "/varsler"):
        assert (await _get(client, path)).status_code == 302, path


# --- the profile -----------------------------------------------------------------------------


async def test_profile_form_saves_and_shows_the_orcid_error_beside_the_field(
    client: Any, ui_world: World
) -> None:
    w = ui_world
    group = w.ids["group_school"]
    page = f"/forskergrupper/{group}/rediger"
    await login(client, w, "researcher_school")
    form = await _get(client, page)
    assert 'name="members-0-orcid"' in form.text
    assert "Kvalitative metoder" in plain(form)
    base = {
        "expertise": "Skolefravær og samarbeid",
        "keywords": "skolefravær\ntverrfaglig samarbeid\nbarnevern",
        "methods": ["qualitative", "implementation"],
        "service_types": ["skole", "barnevern"],
        "languages": "nb, en",
        "region": "Vestland",
        "location": "Bergen",
        "capacity": "2",
        "members-0-name": "Trude Havik",
        "members-0-role": "Professor",
        "members-1-name": "Ny Forsker",
        "members-1-orcid": "0000-0002-1825-0098",
        "members-2-name": "",
        "members-2-orcid": "",
    }
    response = await submit(client, page, page, base)
    assert response.status_code == 422, response.text
    assert 'id="profile-members-1-orcid-error"' in response.text
    assert 'href="#profile-members-1-orcid"' in response.text
    assert "Skolefravær og samarbeid" in html.unescape(response.text)  # kept what was typed

    response = await submit(
        client, page, page, {**base, "members-1-orcid": "https://orcid.org/0000-0002-1825-0097"}
    )
    assert response.status_code == 303, response.text
    out = (await client.get(f"/api/research-groups/{group}", headers=w.headers["admin"])).json()
    assert out["capacity"] == 2
    assert out["keywords"] == ["skolefravær", "tverrfaglig samarbeid", "barnevern"]
    assert out["methods"] == ["qualitative", "implementation"]
    assert [m["orcid"] for m in out["members"]] == ["", "0000-0002-1825-0097"]
    shown = plain(await _get(client, response.headers["location"]))
    assert "Profilen ble lagret." in shown
    assert "Implementeringsforskning" in shown


async def test_adviser_registers_a_group(client: Any, ui_world: World) -> None:
    w = ui_world
    await login(client, w, "adviser_a")
    page = "/forskergrupper/ny"
    response = await submit(client, page, page, {"name": "", "institution": "", "sector": "uoh"})
    assert response.status_code == 422, response.text
    assert 'id="profile-name-error"' in response.text
    response = await submit(
        client,
        page,
        page,
        {
            "name": "Barn i Vest",
            "institution": "Høgskulen på Vestlandet",
            "org_number": "917641404",
            "sector": "uoh",
            "capacity": "1",
            "members-0-name": "Kari Nordmann",
        },
    )
    assert response.status_code == 303, response.text
    assert "Barn i Vest" in plain(await _get(client, response.headers["location"]))


async def test_publications_curation_and_manual_add(client: Any, ui_world: World) -> None:
    w = ui_world
    group = w.ids["group_school"]
    page = f"/forskergrupper/{group}/publikasjoner"
    await login(client, w, "researcher_school")
    await _import_from_page(client, w)
    pubs = (
        await client.get(f"/api/research-groups/{group}/publications", headers=w.headers["admin"])
    ).json()
    school = next(p["id"] for p in pubs if p["title"].startswith("School"))
    fjords = next(p["id"] for p in pubs if "fjords" in p["title"])
    response = await submit(
        client,
        page,
        f"{page}/utvalg",
        {"shown": [str(school), str(fjords)], "include": [str(school)], "recency_years": "10"},
    )
    assert response.status_code == 303, response.text
    pubs = {
        p["id"]: p
        for p in (
            await client.get(
                f"/api/research-groups/{group}/publications", headers=w.headers["admin"]
            )
        ).json()
    }
    assert pubs[fjords]["included"] is False
    assert pubs[school]["included"] is True
    response = await submit(client, page, f"{page}/ny", {"title": "", "year": "2020"})
    assert response.status_code == 422
    assert 'id="publication-title-error"' in response.text
    response = await submit(client, page, f"{page}/ny", {"title": "En tittel", "year": "20x"})
    assert response.status_code == 422
    assert 'id="publication-year-error"' in response.text
    response = await submit(
        client,
        page,
        f"{page}/ny",
        {"title": "Fravær i ungdomsskolen", "year": "2024", "authors": "Havik, Trude"},
    )
    assert response.status_code == 303, response.text
    assert "Fravær i ungdomsskolen" in plain(await _get(client, page))


# --- matching, inbox, proposals --------------------------------------------------------------


async def test_matches_page_runs_matching_and_explains_in_words(
    client: Any, ui_world: World
) -> None:
    w = ui_world
    need = w.ids["needs"][0]  # type: ignore[index]
    await login(client, w, "researcher_school")
    await _import_from_page(client, w)
    # The fjords paper is not the school group's field: out of its profile. (Left in, the
    # group's two papers alone calibrate the combined matcher, and with only two groups no
    # group scores above the average one: no match at all.)
    group = w.ids["group_school"]
    pubs = (
        await client.get(
            f"/api/research-groups/{group}/publications", headers=w.headers["researcher_school"]
        )
    ).json()
    keep = [str(p["id"]) for p in pubs if "fjords" not in p["title"]]
    response = await submit(
        client,
        f"/forskergrupper/{group}/publikasjoner",
        f"/forskergrupper/{group}/publikasjoner/utvalg",
        {"shown": [str(p["id"]) for p in pubs], "include": keep, "recency_years": ""},
    )
    assert response.status_code == 303, response.text
    await login(client, w, "adviser_a")
    await _run_matching_from_page(client, w)
    page = plain(await _get(client, f"/behov/{need}/matcher"))
    assert "Skole og samarbeid" in page
    assert "Felles begreper" in page
    assert "School absenteeism and cooperation" in page  # the publication that drove it
    assert "Metodetilpasning" in page
    assert "Tilpasning:" in page
    assert "/ 100" in page
    assert "Gruppen har ikke svart ennå" in page

    # A conflict of interest through the form.
    response = await submit(
        client,
        f"/behov/{need}/matcher",
        f"/behov/{need}/matcher/konflikt",
        {"group_id": "", "scope": "need", "reason": ""},
    )
    assert response.status_code == 422
    assert 'id="conflict-group_id-error"' in response.text
    response = await submit(
        client,
        f"/behov/{need}/matcher",
        f"/behov/{need}/matcher/konflikt",
        {"group_id": str(w.ids["group_sea"]), "scope": "need", "reason": "Oppdragsgiver"},
    )
    assert response.status_code == 303, response.text

    # The researcher sees only their own group's match.
    await login(client, w, "researcher_school")
    mine = plain(await _get(client, f"/behov/{need}/matcher"))
    assert "Skole og samarbeid" in mine
    assert "Havforskning" not in mine
    assert "Kjør matching for klyngen" not in mine


async def test_inbox_interest_and_decline(client: Any, ui_world: World) -> None:
    w = ui_world
    first, second = w.ids["needs"][0], w.ids["needs"][1]  # type: ignore[index]
    group = w.ids["group_school"]
    await login(client, w, "adviser_a")
    await _run_matching_from_page(client, w)
    await login(client, w, "researcher_school")
    inbox = await _get(client, "/forsker/innboks")
    assert inbox.status_code == 200
    assert "Samarbeid mellom skole og barnevern" in plain(inbox)
    assert f"/forslag/ny?need_id={first}&amp;group_id={group}" in inbox.text
    action = f"/forsker/innboks/{second}/svar"
    response = await submit(
        client, "/forsker/innboks", action, {"group_id": str(group), "answer": "declined"}
    )
    assert response.status_code == 422, response.text
    assert f'id="decline-{second}-{group}-reason-error"' in response.text
    response = await submit(
        client,
        "/forsker/innboks",
        action,
        {"group_id": str(group), "answer": "declined", "reason": "Utenfor vårt fagfelt"},
    )
    assert response.status_code == 303, response.text
    response = await submit(
        client,
        "/forsker/innboks",
        f"/forsker/innboks/{first}/svar",
        {"group_id": str(group), "answer": "interested"},
    )
    assert response.status_code == 303, response.text
    rows = (
        await client.get("/api/researcher/inbox", headers=w.headers["researcher_school"])
    ).json()
    answers = {r["need"]: r["interest"] for r in rows}
    assert answers[first] == "interested"
    assert answers[second] == "declined"
    assert "Gruppen er interessert" in plain(await _get(client, "/forsker/innboks"))


async def test_proposal_form_and_review_create_a_project(client: Any, ui_world: World) -> None:
    w = ui_world
    need = w.ids["needs"][0]  # type: ignore[index]
    group = w.ids["group_school"]
    await login(client, w, "adviser_a")
    await _run_matching_from_page(client, w)

    await login(client, w, "researcher_school")
    page = f"/forslag/ny?need_id={need}&group_id={group}"
    form = await _get(client, page)
    assert form.status_code == 200
    assert f'value="{need}" checked' in form.text
    assert "Askøy" in plain(form)
    assert "personvernkonsekvensvurdering" in plain(form)
    body = {
        "group_id": str(group),
        "need_ids": [str(need)],
        "title": "Sammen mot fravær",
        "aims": "Redusere fravær",
        "research_questions": "Hva virker?",
        "design": "",
        "methods": ["quasi_experimental", "participatory"],
        "municipality_ids": [str(w.ids["askoy"])],
        "service_ids": [str(w.ids["askoy_barnevern"])],
        "user_representatives": "Ungdomsrådet",
        "how": "Verksteder hvert halvår",
        "ethics": ["sikt", "dpia"],
        "budget_nok": "2 500 000",
        "start": "2027-01-01",
        "end": "2029-12-31",
    }
    response = await submit(client, page, "/forslag/ny", body)
    assert response.status_code == 422, response.text
    assert 'id="proposal-design-error"' in response.text
    # Too long: the message gives the limit (not "write the aims").
    long = {**body, "design": "Stegvis", "aims": "x" * 10_001}
    response = await submit(client, page, "/forslag/ny", long)
    assert response.status_code == 422, response.text
    assert "Teksten er for lang: skriv høyst 10000 tegn." in plain(response)
    assert "Skriv målene." not in plain(response)
    response = await submit(client, page, "/forslag/ny", {**body, "design": "Stegvis innføring"})
    assert response.status_code == 303, response.text
    location = response.headers["location"].split("?")[0]
    shown = plain(await _get(client, location))
    assert "Sammen mot fravær" in shown
    assert "Sendt, venter på vurdering" in shown

    await login(client, w, "adviser_a")
    assert "Sammen mot fravær" in plain(await _get(client, "/forslag"))
    detail = await _get(client, location)
    assert 'name="decision"' in detail.text
    response = await submit(client, location, f"{location}/vurdering", {"decision": "changes"})
    assert response.status_code == 422
    assert 'id="review-reason-error"' in response.text
    response = await submit(
        client,
        location,
        f"{location}/vurdering",
        {"decision": "changes", "reason": "Beskriv brukermedvirkningen bedre"},
    )
    assert response.status_code == 303

    await login(client, w, "researcher_school")
    revise = await _get(client, location)
    assert f'action="{location}/revider"' in revise.text
    response = await submit(
        client, location, f"{location}/revider", {**body, "design": "Stegvis, med kontrollgruppe"}
    )
    assert response.status_code == 303, response.text

    await login(client, w, "adviser_a")
    response = await submit(client, location, f"{location}/vurdering", {"decision": "accept"})
    assert response.status_code == 303, response.text
    shown = plain(await _get(client, location))
    assert "Prosjekt opprettet, status planlagt." in shown
    projects = (await client.get("/api/projects", headers=w.headers["adviser_a"])).json()
    assert projects[0]["status"] == "planned"
    assert projects[0]["need_ids"] == [need]

    # The service that asked was told; the notification is read through the page.
    await login(client, w, "leader_askoy")
    notes = await _get(client, "/varsler")
    assert "godtatt" in plain(notes)
    note_id = (await client.get("/api/notifications", headers=w.headers["leader_askoy"])).json()[0][
        "id"
    ]
    response = await submit(client, "/varsler", f"/varsler/{note_id}/lest", {})
    assert response.status_code == 303


async def test_assignment_page_runs_and_shows_the_table(client: Any, ui_world: World) -> None:
    w = ui_world
    needs = w.ids["needs"]  # type: ignore[assignment]
    round_id = await _closed_round(w)
    await login(client, w, "adviser_a")
    await _run_matching_from_page(client, w)
    page = f"/runder/{round_id}/fordeling"
    form = await _get(client, page)
    assert f'name="forbid-{needs[0]}"' in form.text  # type: ignore[index]
    response = await submit(
        client,
        page,
        page,
        {"k": "2", "weak_threshold": "0,2", f"forbid-{needs[0]}": str(w.ids["group_sea"])},  # type: ignore[index]
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"].split("#")[0]
    assignment_id = int(location.rsplit("/", 1)[1])
    done = await wait_job(client, f"/api/assignments/{assignment_id}", w.headers["adviser_a"])
    assert done["status"] == "done", done
    shown = plain(await _get(client, location))
    assert "Kandidatgrupper per behov" in shown
    assert "Svakeste behov" in shown
    assert "Skole og samarbeid" in shown
    # The alternates' reasons are translated labels, not the stored codes ("full capacity").
    assert "Skole og samarbeid: 92 – gruppen har ikke mer kapasitet" in shown
    assert "full capacity" not in shown
    again = await _get(client, page)
    assert f'<option value="{w.ids["group_sea"]}" selected>' in again.text  # forbid kept
    assert "Kandidatgrupper per behov" in plain(again)
    response = await submit(client, page, page, {"k": "0", "weak_threshold": "0.2"})
    assert response.status_code == 422
    assert 'id="assign-k-error"' in response.text
    await login(client, w, "adviser_b")
    assert (await _get(client, location)).status_code == 404


# --- languages -------------------------------------------------------------------------------


async def test_nynorsk_and_english(client: Any, ui_world: World) -> None:
    w = ui_world
    await login(client, w, "researcher_school")
    page = f"/forskergrupper/{w.ids['group_school']}/rediger"
    response = await submit(client, page, "/language", {"language": "nn", "next": page})
    assert response.status_code == 303
    shown = plain(await _get(client, page))
    assert "Kvalitative metodar" in shown
    assert "Lagre profilen" in shown
    response = await submit(client, page, "/language", {"language": "en", "next": page})
    shown = plain(await _get(client, page))
    assert "Qualitative methods" in shown
    assert "Save the profile" in shown
