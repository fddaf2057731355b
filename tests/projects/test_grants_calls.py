"""Calls through the API and the pages: funder officers create, change, publish and close
their own calls; everyone logged in sees published calls, the portal public ones; another funder
never sees a draft (404)."""

from __future__ import annotations

from typing import Any

from tests.conftest import World
from tests.platform.test_views import HTML, login, submit, text_of
from tests.projects.grants_calls_fixtures import body, fw

__all__ = ["fw"]


async def create(client: Any, w: World, who: str = "officer_a", **over: Any) -> dict[str, Any]:
    response = await client.post("/api/calls", json=body(w, **over), headers=w.headers[who])
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_officer_creates_a_draft_with_amounts_in_ore(client, fw) -> None:
    call = await create(client, fw)
    assert call["status"] == "draft"
    assert call["budget_ore"] == 1_000_000_000
    assert call["max_per_application_ore"] == 150_000_000
    assert call["budget"] == "10\u00a0000\u00a0000\u00a0kr"
    kinds = [c["kind"] for c in call["conditions"]]
    assert kinds == ["full_financing", "min_rnd_share", "approvals", "max_amount"]
    assert call["conditions"][3]["params"] == {"ore": 150_000_000}
    assert (
        call["conditions"][1]["text"] == "Minst 20 % av budsjettet går til forskning og utvikling."
    )
    assert call["manage"] is True


async def test_only_officers_of_the_funder_create(client, fw) -> None:
    other = await client.post("/api/calls", json=body(fw), headers=fw.headers["officer_b"])
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "funder_id"
    adviser = await client.post("/api/calls", json=body(fw), headers=fw.headers["adviser_a"])
    assert adviser.status_code == 422
    anonymous = await client.post("/api/calls", json=body(fw))
    assert anonymous.status_code == 401


async def test_parameters_are_checked(client, fw) -> None:
    bad = body(
        fw,
        closes_on="2025-01-01",
        conditions=[
            {"kind": "full_financing"},
            {"kind": "co_financing", "params": {"own_percent": 30}},
            {"kind": "min_rnd_share", "params": {"percent": 120}},
            {"kind": "approvals", "params": {"kinds": []}},
        ],
    )
    response = await client.post("/api/calls", json=bad, headers=fw.headers["officer_a"])
    assert response.status_code == 422, response.text
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"closes_on", "conditions", "conditions.2.percent", "conditions.3.kinds"} <= fields
    money = await client.post(
        "/api/calls", json=body(fw, budget="ti kroner"), headers=fw.headers["officer_a"]
    )
    assert money.status_code == 422
    assert money.json()["errors"][0]["field"] == "budget"


async def test_drafts_are_hidden_from_everyone_but_the_funder(client, fw) -> None:
    call = await create(client, fw)
    path = f"/api/calls/{call['id']}"
    assert (await client.get(path, headers=fw.headers["officer_a"])).status_code == 200
    assert (await client.get(path, headers=fw.headers["admin"])).status_code == 200
    for who in ("officer_b", "adviser_a", "nobody"):
        assert (await client.get(path, headers=fw.headers[who])).status_code == 404, who
        listed = await client.get("/api/calls", headers=fw.headers[who])
        assert listed.json()["total"] == 0
    edit = await client.patch(path, json={"title": "X"}, headers=fw.headers["officer_b"])
    assert edit.status_code == 404
    publish = await client.post(f"{path}/publish", headers=fw.headers["officer_b"])
    assert publish.status_code == 404
    public = await client.get("/api/public/calls")
    assert public.json()["total"] == 0


async def test_publish_then_everyone_sees_and_others_cannot_change(client, fw) -> None:
    call = await create(client, fw)
    path = f"/api/calls/{call['id']}"
    published = await client.post(f"{path}/publish", headers=fw.headers["officer_a"])
    assert published.status_code == 200, published.text
    assert published.json()["is_open"] is True
    seen = await client.get(path, headers=fw.headers["adviser_b"])
    assert seen.status_code == 200
    assert seen.json()["manage"] is False
    assert (await client.post(f"{path}/close", headers=fw.headers["officer_b"])).status_code == 403
    assert (
        await client.post(f"{path}/publish", headers=fw.headers["officer_a"])
    ).status_code == 409
    for change in (
        {"budget": "1"},
        {"report_schedule": {"progress_months": 3, "final": True}},
        {"conditions": []},
    ):
        fixed = await client.patch(path, json=change, headers=fw.headers["officer_a"])
        assert fixed.status_code == 409, change
    same = {"budget": "10 000 000", "report_schedule": {"progress_months": 6, "final": True}}
    unchanged = await client.patch(path, json=same, headers=fw.headers["officer_a"])
    assert unchanged.status_code == 200, unchanged.text
    text = await client.patch(path, json={"title": "Ny tittel"}, headers=fw.headers["officer_a"])
    assert text.status_code == 200
    assert text.json()["title"] == "Ny tittel"
    public = (await client.get("/api/public/calls")).json()
    assert [c["id"] for c in public["items"]] == [call["id"]]
    opened = await client.get("/api/calls?open_now=true", headers=fw.headers["nobody"])
    assert opened.json()["total"] == 1
    closed = await client.post(f"{path}/close", headers=fw.headers["officer_a"])
    assert closed.json()["status"] == "closed"
    assert closed.json()["is_open"] is False
    again = await client.patch(path, json={"title": "Z"}, headers=fw.headers["officer_a"])
    assert again.status_code == 409


async def test_a_draft_changes_its_conditions(client, fw) -> None:
    call = await create(client, fw)
    path = f"/api/calls/{call['id']}"
    response = await client.patch(
        path,
        json={
            "conditions": [{"kind": "co_financing", "params": {"own_percent": 30}, "hard": False}]
        },
        headers=fw.headers["officer_a"],
    )
    assert response.status_code == 200, response.text
    [condition] = response.json()["conditions"]
    assert condition["params"] == {"own_percent": 30}
    assert condition["hard"] is False


async def test_a_private_call_is_not_on_the_portal(client, fw) -> None:
    call = await create(client, fw, is_public=False)
    await client.post(f"/api/calls/{call['id']}/publish", headers=fw.headers["officer_a"])
    assert (await client.get("/api/public/calls")).json()["total"] == 0
    assert (await client.get(f"/api/calls/{call['id']}")).status_code == 401


async def test_the_catalogue_in_the_callers_language(client, fw) -> None:
    response = await client.get("/api/calls/catalogue", headers=fw.headers["officer_a"])
    assert response.status_code == 200
    kinds = {k["kind"]: k for k in response.json()}
    assert len(kinds) == 10
    assert kinds["min_rnd_share"]["params"][0] == {
        "name": "percent",
        "type": "int",
        "default": 20,
        "choices": [],
    }
    approvals = kinds["approvals"]["params"][0]["choices"]
    assert [c["value"] for c in approvals] == [
        "rek",
        "data_protection",
        "confidentiality",
        "consent",
        "owner",
    ]


# --- pages ----------------------------------------------------------------------------------------


def form_body(w: World, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "funder_id": str(w.ids["funder_a"]),
        "title": "Tidlig innsats",
        "description": "For barnehage og skole.",
        "opens_on": "2026-01-01",
        "closes_on": "2099-06-30",
        "budget": "5 000 000",
        "max_per_application": "",
        "eligible_kinds": ["cluster", "municipality"],
        "service_areas": ["skole", "barnehage"],
        "criteria": "Relevans\nGjennomførbarhet",
        "progress_months": "6",
        "final": "1",
        "conditions": ["min_rnd_share", "approvals", "min_municipalities"],
        "min_rnd_share-percent": "25",
        "approvals-kinds": ["rek", "consent"],
        "min_municipalities-count": "3",
        "min_municipalities-soft": "1",
        "is_public": "1",
    }
    return data | over


async def test_an_officer_creates_and_publishes_through_the_pages(client, fw) -> None:
    await login(client, fw, "officer_a")
    page = await client.get("/utlysninger/ny", headers=HTML)
    assert page.status_code == 200
    assert "Minste FoU-andel av budsjettet" in text_of(page)
    response = await submit(client, "/utlysninger/ny", "/utlysninger/ny", form_body(fw))
    assert response.status_code == 303, response.text
    location = response.headers["location"].split("?")[0]
    shown = text_of(await client.get(location, headers=HTML))
    assert "Minst 25 % av budsjettet går til forskning og utvikling." in shown
    assert "Minst 3 kommuner deltar." in shown
    assert "REK-godkjenning" in shown
    publish = await submit(client, location, f"{location}/publiser", {})
    assert publish.status_code == 303
    call_id = int(location.rsplit("/", 1)[1])
    api = await client.get(f"/api/calls/{call_id}", headers=fw.headers["officer_a"])
    body = api.json()
    assert body["status"] == "published"
    assert [c["hard"] for c in body["conditions"]] == [True, True, False]
    assert body["criteria"] == ["Relevans", "Gjennomførbarhet"]
    edit = await client.get(f"{location}/rediger", headers=HTML)
    assert edit.status_code == 200
    listed = text_of(await client.get("/utlysninger", headers=HTML))
    assert "Tidlig innsats" in listed
    portal = text_of(await client.get("/kunnskap/utlysninger", headers=HTML))
    assert "Tidlig innsats" in portal
    public = await client.get(f"/kunnskap/utlysninger/{call_id}", headers=HTML)
    assert public.status_code == 200
    assert "Tidlig innsats" in text_of(public)


async def test_a_refused_form_names_the_parameter(client, fw) -> None:
    await login(client, fw, "officer_a")
    bad = form_body(fw, **{"min_rnd_share-percent": "300", "closes_on": "2020-01-01"})
    response = await submit(client, "/utlysninger/ny", "/utlysninger/ny", bad)
    assert response.status_code == 422
    shown = text_of(response)
    assert 'href="#call-min_rnd_share-percent"' in shown
    assert "Utlysningen kan ikke stenge før den åpner." in shown


async def test_pages_of_a_draft_are_404_for_others_and_the_portal(client, fw) -> None:
    call = await create(client, fw)
    await login(client, fw, "officer_b")
    assert (await client.get(f"/utlysninger/{call['id']}", headers=HTML)).status_code == 404
    edit = await client.get(f"/utlysninger/{call['id']}/rediger", headers=HTML)
    assert edit.status_code == 404
    client.cookies.clear()
    portal = await client.get(f"/kunnskap/utlysninger/{call['id']}", headers=HTML)
    assert portal.status_code == 404


async def test_an_adviser_sees_the_link_to_apply(client, fw) -> None:
    call = await create(client, fw)
    await client.post(f"/api/calls/{call['id']}/publish", headers=fw.headers["officer_a"])
    await login(client, fw, "adviser_b")
    page = text_of(await client.get(f"/utlysninger/{call['id']}", headers=HTML))
    assert f"/soknader/ny?call_id={call['id']}" in page
    assert "/rediger" not in page


async def test_the_demo_calls_are_seeded_once(client, fw) -> None:
    from klynge.auth.service import load_principal
    from projects.grants.calls_demo import seed_demo_calls

    officer = await load_principal(fw.accounts["officer_a"])
    assert officer is not None
    first = await seed_demo_calls(officer)
    assert await seed_demo_calls(officer) == first
    listed = await client.get("/api/public/calls")
    items = {c["id"]: c for c in listed.json()["items"]}
    assert [c["status"] for c in (items[first[0]], items[first[1]])] == ["published", "closed"]
    assert items[first[0]]["is_open"] is True
    assert len(items[first[0]]["conditions"]) == 9
    assert items[first[1]]["conditions"][0]["params"] == {"own_percent": 30}


async def test_the_form_has_unique_ids_and_a_label_for_every_input(client, fw) -> None:
    import re

    await login(client, fw, "officer_a")
    page = text_of(await client.get("/utlysninger/ny", headers=HTML))
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    labelled = set(re.findall(r'<label for="([^"]+)"', page))
    inputs = re.findall(r'<(?:input|select|textarea)\b[^>]*?\sid="([^"]+)"', page)
    assert inputs
    assert set(inputs) <= labelled
