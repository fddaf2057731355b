"""Knowledge needs through the API: lifecycle, privacy, endorsements, merge, import, scoping."""

from __future__ import annotations

import asyncio
import io
from typing import Any

from tests.priorities.conftest import need_body, synthetic_fnr


async def create(client, world, who: str = "coordinator_askoy", **overrides: Any) -> dict:
    response = await client.post(
        "/api/needs", json=need_body(world, **overrides), headers=world.headers[who]
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_submit_and_read_a_need(client, needs_world) -> None:
    w = needs_world
    need = await create(client, w, submit=False)
    assert need["status"] == "draft"
    assert need["cross_service"] is True
    assert need["municipalities_sharing"] == 1
    submitted = await client.post(
        f"/api/needs/{need['id']}/submit", headers=w.headers["coordinator_askoy"]
    )
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == "submitted"
    assert [e["to_status"] for e in body["history"]] == ["draft", "submitted"]
    assert all(e["actor"] for e in body["history"])
    # The adviser of the cluster sees it; the other cluster's adviser does not.
    assert (
        await client.get(f"/api/needs/{need['id']}", headers=w.headers["adviser_a"])
    ).status_code == 200
    assert (
        await client.get(f"/api/needs/{need['id']}", headers=w.headers["adviser_b"])
    ).status_code == 404
    listed = await client.get("/api/needs", headers=w.headers["adviser_b"])
    assert listed.json()["total"] == 0


async def test_single_service_need_is_not_cross_service(client, needs_world) -> None:
    need = await create(client, needs_world, service_ids=[needs_world.ids["askoy_barnevern"]])
    assert need["cross_service"] is False


async def test_drafts_are_private_to_their_submitter(client, needs_world) -> None:
    w = needs_world
    need = await create(client, w, submit=False)
    assert (
        await client.get(f"/api/needs/{need['id']}", headers=w.headers["adviser_a"])
    ).status_code == 404
    assert (
        await client.get(f"/api/needs/{need['id']}", headers=w.headers["coordinator_askoy"])
    ).status_code == 200


async def test_national_id_refuses_the_need_and_stores_nothing(client, needs_world) -> None:
    from priorities.tables import Need

    w = needs_world
    number = synthetic_fnr()
    for field in ("title", "question", "background", "target_group"):
        value = f"Gjelder eleven med nr {number}"
        response = await client.post(
            "/api/needs",
            json=need_body(w, **{field: value}),
            headers=w.headers["coordinator_askoy"],
        )
        assert response.status_code == 422, field
        body = response.json()
        assert [e["field"] for e in body["errors"]] == [field]
        assert number not in response.text
    assert await Need.count() == 0


async def test_phone_number_is_a_warning_not_a_refusal(client, needs_world) -> None:
    need = await create(client, needs_world, background="Ring oss på 912 34 567 for mer.")
    assert [wn["field"] for wn in need["warnings"]] == ["background"]


async def test_wrong_municipality_or_cluster_is_refused(client, needs_world) -> None:
    w = needs_world
    # Trondheim's coordinator cannot submit for Askøy in cluster A.
    response = await client.post(
        "/api/needs", json=need_body(w), headers=w.headers["coordinator_trondheim"]
    )
    assert response.status_code == 403
    # A service from another cluster is refused with a field error.
    response = await client.post(
        "/api/needs",
        json=need_body(w, service_ids=[w.ids["trondheim_nav"]]),
        headers=w.headers["coordinator_askoy"],
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "service_ids"
    # Alver has only asked to join: not a member yet.
    response = await client.post(
        "/api/needs",
        json=need_body(w, municipality_id=w.ids["alver"], service_id=None),
        headers=w.headers["coordinator_alver"],
    )
    assert response.status_code == 403


async def test_age_band_is_checked(client, needs_world) -> None:
    w = needs_world
    response = await client.post(
        "/api/needs",
        json=need_body(w, age_from=18, age_to=12),
        headers=w.headers["coordinator_askoy"],
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "age_to"
    response = await client.post(
        "/api/needs", json=need_body(w, age_to=25), headers=w.headers["coordinator_askoy"]
    )
    assert response.status_code == 400


async def test_withdraw_only_before_assessment_and_only_by_submitter(client, needs_world) -> None:
    w = needs_world
    need = await create(client, w)
    refused = await client.post(
        f"/api/needs/{need['id']}/withdraw",
        json={"reason": "x"},
        headers=w.headers["coordinator_bergen"],
    )
    assert refused.status_code == 403
    done = await client.post(
        f"/api/needs/{need['id']}/withdraw",
        json={"reason": "Løst lokalt"},
        headers=w.headers["coordinator_askoy"],
    )
    assert done.status_code == 200
    assert done.json()["status"] == "withdrawn"
    assert done.json()["history"][-1]["reason"] == "Løst lokalt"
    again = await client.post(
        f"/api/needs/{need['id']}/withdraw", json={}, headers=w.headers["coordinator_askoy"]
    )
    assert again.status_code == 409


async def test_endorsement_by_another_municipality(client, needs_world) -> None:
    w = needs_world
    need = await create(client, w)
    response = await client.post(
        f"/api/needs/{need['id']}/endorsements",
        json={
            "municipality_id": w.ids["bergen"],
            "note": "Vi ser det samme i Bergen",
            "service_id": w.ids["bergen_helsestasjon"],
        },
        headers=w.headers["coordinator_bergen"],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["municipalities_sharing"] == 2
    assert body["services_sharing"] == 3
    assert body["endorsements"][0]["note"] == "Vi ser det samme i Bergen"
    twice = await client.post(
        f"/api/needs/{need['id']}/endorsements",
        json={"municipality_id": w.ids["bergen"]},
        headers=w.headers["coordinator_bergen"],
    )
    assert twice.status_code == 409
    own = await client.post(
        f"/api/needs/{need['id']}/endorsements",
        json={"municipality_id": w.ids["askoy"]},
        headers=w.headers["coordinator_askoy"],
    )
    assert own.status_code == 409
    # On behalf of someone else's municipality: refused.
    other = await client.post(
        f"/api/needs/{need['id']}/endorsements",
        json={"municipality_id": w.ids["bergen"]},
        headers=w.headers["coordinator_askoy"],
    )
    assert other.status_code == 403


async def test_similar_needs_are_suggested(client, needs_world) -> None:
    w = needs_world
    first = await create(client, w)
    await create(
        client,
        w,
        title="Digital mobbing blant barn i barneskolen",
        question="Hvilke tiltak mot nettmobbing virker for barn 8–12 år?",
        background="Foreldre melder om mer mobbing på sosiale medier.",
        service_ids=[w.ids["bergen_skole"]],
    )
    second = await create(
        client,
        w,
        who="coordinator_bergen",
        municipality_id=w.ids["bergen"],
        service_id=w.ids["bergen_skole"],
        title="Skolefravær: samarbeid skole og barnevern",
        question="Korleis kan skule og barnevern samarbeide betre om elevar med mykje fråvær?",
    )
    assert second["similar"], second
    assert second["similar"][0]["id"] == first["id"]


async def test_merge_keeps_submitters_endorsements_and_history(client, needs_world) -> None:
    w = needs_world
    target = await create(client, w)
    source = await create(
        client,
        w,
        who="coordinator_bergen",
        municipality_id=w.ids["bergen"],
        service_id=w.ids["bergen_skole"],
        service_ids=[w.ids["bergen_helsestasjon"]],
    )
    endorsed = await client.post(
        f"/api/needs/{source['id']}/endorsements",
        json={"municipality_id": w.ids["askoy"], "note": "Samme her"},
        headers=w.headers["coordinator_askoy"],
    )
    assert endorsed.status_code == 200
    refused = await client.post(
        "/api/needs/merge",
        json={"target_id": target["id"], "source_ids": [source["id"]]},
        headers=w.headers["adviser_b"],
    )
    assert refused.status_code == 404, refused.text
    merged = await client.post(
        "/api/needs/merge",
        json={"target_id": target["id"], "source_ids": [source["id"]], "reason": "Samme spørsmål"},
        headers=w.headers["adviser_a"],
    )
    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert {x["name"] for x in body["submitters"]} == {"Askøy", "Bergen"}
    assert [e["note"] for e in body["endorsements"]] == ["Samme her"]
    assert any(e["original_need"] == source["id"] for e in body["history"])
    assert len(body["services"]) == 3
    old = await client.get(f"/api/needs/{source['id']}", headers=w.headers["adviser_a"])
    assert old.json()["status"] == "merged"
    assert old.json()["merged_into"] == target["id"]


async def test_list_filters_and_search(client, needs_world) -> None:
    w = needs_world
    await create(client, w)
    await create(
        client,
        w,
        title="Overgang barnehage–skole for barn med språkvansker",
        question="Hva hjelper barn med språkvansker i overgangen til skolen?",
        prevention_level="indicated",
        service_ids=[w.ids["askoy_ppt"]],
    )
    headers = w.headers["adviser_a"]
    every = (await client.get("/api/needs", headers=headers)).json()
    assert every["total"] == 2
    assert (await client.get("/api/needs?cross_service=true", headers=headers)).json()["total"] == 1
    assert (await client.get("/api/needs?prevention_level=indicated", headers=headers)).json()[
        "total"
    ] == 1
    assert (
        await client.get(f"/api/needs?service_id={w.ids['askoy_ppt']}", headers=headers)
    ).json()["total"] == 1
    found = (await client.get("/api/needs?q=SPRÅKVANSKER", headers=headers)).json()
    assert [n["title"] for n in found["items"]] == [
        "Overgang barnehage–skole for barn med språkvansker"
    ]
    page = (await client.get("/api/needs?per_page=1&page=2", headers=headers)).json()
    assert page["total"] == 2
    assert len(page["items"]) == 1


async def _wait(client, location: str, headers: dict[str, str]) -> dict:
    for _ in range(200):
        job = (await client.get(location, headers=headers)).json()
        if job["status"] in ("done", "failed"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError("job did not finish")


def _filled(rows: list[list[Any]], template: bytes) -> bytes:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template))
    sheet = book["Kunnskapsbehov"]
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            sheet.cell(row=i, column=j, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_excel_template_and_import(client, needs_world) -> None:
    from priorities.tables import Need

    w = needs_world
    headers = w.headers["coordinator_askoy"]
    template = await client.get(
        f"/api/needs/template.xlsx?cluster_id={w.ids['cluster_a']}", headers=headers
    )
    assert template.status_code == 200
    good = [
        "Fravær i ungdomsskolen",
        "Hva virker mot høyt fravær?",
        "Bakgrunn",
        12,
        16,
        "Elever",
        "Askøy barneverntjeneste",
        "Selektert",
        "Tjenesteutvikling",
        "nb",
    ]
    bad = ["", "Spørsmål uten tittel", "", 20, 12, "", "Ukjent tjeneste", "Feil", "Annet", "nb"]
    url = (
        f"/api/needs/import?cluster_id={w.ids['cluster_a']}"
        f"&municipality_id={w.ids['askoy']}&submit=true"
    )
    # Use the service's real name in the good row.
    good[6] = "Barnevernet i Askøy"
    response = await client.post(
        url,
        headers=headers,
        files={
            "data": (
                "behov.xlsx",
                _filled([good, bad], template.content),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        },
    )
    assert response.status_code == 202, response.text
    job = await _wait(client, response.headers["location"], headers)
    assert job["status"] == "failed"
    errors = job["result"]["errors"]
    assert {e["row"] for e in errors} == {3}
    assert len(errors) >= 3
    assert await Need.count() == 0  # one bad row rejects the whole file
    response = await client.post(
        url,
        headers=headers,
        files={
            "data": (
                "behov.xlsx",
                _filled([good, good], template.content),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        },
    )
    job = await _wait(client, response.headers["location"], headers)
    assert job["status"] == "done", job
    assert job["result"]["imported"] == 2
    assert await Need.count() == 2


async def test_merge_answers_the_same_for_missing_and_foreign_ids(client, needs_world) -> None:
    """Ids of another cluster cannot be probed: the same 404 as an id that does not exist."""
    w = needs_world
    mine = await create(client, w)
    theirs = await create(
        client,
        w,
        who="coordinator_trondheim",
        cluster_id=w.ids["cluster_b"],
        municipality_id=w.ids["trondheim"],
        service_id=w.ids["trondheim_nav"],
        service_ids=[w.ids["trondheim_nav"]],
    )
    missing = 10**6

    async def merge(target: int, source: int) -> Any:
        return await client.post(
            "/api/needs/merge",
            json={"target_id": target, "source_ids": [source]},
            headers=w.headers["adviser_a"],
        )

    def answer(response: Any) -> tuple[int, str]:
        return response.status_code, response.json()["detail"]

    as_source = (await merge(mine["id"], theirs["id"]), await merge(mine["id"], missing))
    assert answer(as_source[0]) == answer(as_source[1])
    assert as_source[0].status_code == 404
    as_target = (await merge(theirs["id"], mine["id"]), await merge(missing, mine["id"]))
    assert answer(as_target[0]) == answer(as_target[1])
    assert as_target[0].status_code == 404
    read = [
        await client.get(f"/api/needs/{i}", headers=w.headers["adviser_a"])
        for i in (theirs["id"], missing)
    ]
    assert answer(read[0]) == answer(read[1])
