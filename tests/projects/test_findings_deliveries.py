"""Publishing an outcome delivers it: exactly the five deliveries of the fworld case (again:
still five), the adviser adds member municipalities (not a pending one), every recipient role
reads and answers, the answers are seen by the project, the adviser and the funder (nobody
else), the need becomes "answered" with the link, and the blockers refuse publishing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import World
from tests.projects.findings_fixtures import fworld, needs_world  # noqa: F401


async def outcome(w: World, summary: str = "Fråværsteam gav færre elevar med høgt fråvær.") -> int:
    from projects.findings.tables import Outcome

    row = await Outcome.insert(
        Outcome(
            project=w.ids["p_f"],
            cluster=w.ids["cluster_a"],
            kind="finding",
            title="Fråværsteam verkar",
            summary=summary,
            summary_language="nn",
            practice="Set opp eit fråværsteam.",
            is_public=True,
            status="draft",
        )
    ).returning(Outcome.id)
    w.ids["outcome"] = row[0]["id"]
    return int(row[0]["id"])


async def publish(client: Any, w: World, who: str = "researcher_f") -> Any:
    return await client.post(f"/api/outcomes/{w.ids['outcome']}/publish", headers=w.headers[who])


async def deliveries(w: World) -> dict[str, dict[str, Any]]:
    from projects.findings.tables import Delivery, DeliveryService

    rows = await Delivery.select().where(Delivery.outcome == w.ids["outcome"])
    links = await DeliveryService.select()
    return {
        r["key"]: {
            "id": r["id"],
            "kind": r["kind"],
            "municipality": r["municipality"],
            "service": r["service"],
            "language": r["language"],
            "services": sorted(x["service"] for x in links if x["delivery"] == r["id"]),
        }
        for r in rows
    }


async def published(client: Any, w: World) -> dict[str, dict[str, Any]]:
    await outcome(w)
    response = await publish(client, w)
    assert response.status_code == 200, response.text
    return await deliveries(w)


async def test_publishing_delivers_exactly_five_once_and_answers_the_need(
    client: Any,
    fworld: World,  # noqa: F811 (fixture)
) -> None:
    from klynge.notifications import Notification

    w, i = fworld, fworld.ids
    oid = await outcome(w)
    response = await publish(client, w)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["created"], body["deliveries"]) == ("published", 5, 5)
    assert body["needs_answered"] == [i["need"]]
    expected = {
        f"{oid}:municipality:{i['bergen']}": (
            "participant",
            i["bergen"],
            None,
            "nb",
            [i["bergen_skole"]],
        ),
        f"{oid}:municipality:{i['askoy']}": (
            "participant",
            i["askoy"],
            None,
            "nb",
            [i["askoy_barnevern"]],
        ),
        f"{oid}:municipality:{i['oygarden']}": (
            "endorser",
            i["oygarden"],
            None,
            "nn",
            [i["oygarden_skole"]],
        ),
        f"{oid}:service:{i['askoy_barnevern']}": ("asker", None, i["askoy_barnevern"], "nb", []),
        f"{oid}:cluster:{i['cluster_a']}": ("cluster", None, None, "nb", []),
    }
    found = await deliveries(w)
    assert {
        k: (d["kind"], d["municipality"], d["service"], d["language"], d["services"])
        for k, d in found.items()
    } == expected
    again = (await publish(client, w, "adviser_a")).json()
    assert (again["created"], again["deliveries"], again["needs_answered"]) == (0, 5, [])
    assert len(await deliveries(w)) == 5
    need = (await client.get(f"/api/needs/{i['need']}", headers=w.headers["leader_askoy"])).json()
    assert (need["status"], need["answer_link"]) == ("answered", f"/resultater/{oid}")
    assert need["answer_summary"] == "Fråværsteam gav færre elevar med høgt fråvær."
    told = await Notification.select().where(Notification.kind == "findings_delivered")
    assert sorted(
        (n["municipality"] or 0, n["service"] or 0, n["account"] or 0) for n in told
    ) == sorted(
        [
            (i["bergen"], 0, 0),
            (0, i["bergen_skole"], 0),
            (i["askoy"], 0, 0),
            (0, i["askoy_barnevern"], 0),
            (i["oygarden"], 0, 0),
            (0, i["oygarden_skole"], 0),
            (0, i["askoy_barnevern"], 0),
            (0, 0, w.accounts["adviser_a"]),
        ]
    )


async def test_publish_blockers_and_who_may_publish(
    client: Any,
    fworld: World,  # noqa: F811 (fixture)
) -> None:
    w = fworld
    await outcome(w, summary="  ")
    refused = await publish(client, w)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["summary"]
    assert (await publish(client, w, "coordinator_askoy")).status_code == 404  # a draft
    assert (await publish(client, w, "adviser_b")).status_code == 404
    assert (await publish(client, w, "nobody")).status_code == 404
    assert await deliveries(w) == {}
    from projects.findings.tables import Outcome

    await Outcome.update({Outcome.summary: "Kort og klart."}).where(Outcome.id == w.ids["outcome"])
    assert (await publish(client, w)).status_code == 200
    assert (await publish(client, w, "coordinator_askoy")).status_code == 403


async def test_the_adviser_adds_member_municipalities(
    client: Any,
    fworld: World,  # noqa: F811 (fixture)
) -> None:
    from klynge.orgs.tables import ClusterMembership, Municipality

    w = fworld
    await published(client, w)
    url = f"/api/outcomes/{w.ids['outcome']}/recipients"
    alver = {"municipality_ids": [w.ids["alver"]]}
    response = await client.post(url, json=alver, headers=w.headers["adviser_a"])
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["municipality_ids"]
    row = await Municipality.insert(
        Municipality(
            number="4624",
            name="Bjørnafjorden",
            county="Vestland",
            language="nynorsk",
            population=25000,
            valid_from=dt.date(2024, 1, 1),
        )
    ).returning(Municipality.id)
    new = row[0]["id"]
    await ClusterMembership.insert(
        ClusterMembership(cluster=w.ids["cluster_a"], municipality=new, status="member")
    )
    body = {"municipality_ids": [new, w.ids["bergen"]]}
    assert (await client.post(url, json=body, headers=w.headers["researcher_f"])).status_code == 403
    # The outcome is public: another cluster's adviser sees it, but may not add to it.
    assert (await client.post(url, json=body, headers=w.headers["adviser_b"])).status_code == 403
    response = await client.post(url, json=body, headers=w.headers["adviser_a"])
    assert response.status_code == 200, response.text
    assert (response.json()["created"], response.json()["deliveries"]) == (1, 6)
    added = (await deliveries(w))[f"{w.ids['outcome']}:municipality:{new}"]
    assert (added["kind"], added["language"]) == ("added", "nn")
    again = await client.post(url, json=body, headers=w.headers["adviser_a"])
    assert (again.json()["created"], again.json()["deliveries"]) == (0, 6)


async def test_every_recipient_role_reads_and_answers(
    client: Any,
    fworld: World,  # noqa: F811 (fixture)
) -> None:
    from klynge.audit import AuditEvent
    from klynge.notifications import Notification

    w, i = fworld, fworld.ids
    found = await published(client, w)
    oid = i["outcome"]
    by_key = {k.split(":", 1)[1]: d["id"] for k, d in found.items()}
    roles = [
        ("coordinator_bergen", by_key[f"municipality:{i['bergen']}"]),
        ("leader_bergen_skole", by_key[f"municipality:{i['bergen']}"]),
        ("coordinator_oygarden", by_key[f"municipality:{i['oygarden']}"]),
        ("leader_askoy", by_key[f"service:{i['askoy_barnevern']}"]),
        ("adviser_a", by_key[f"cluster:{i['cluster_a']}"]),
    ]
    mine = (await client.get("/api/deliveries", headers=w.headers["leader_askoy"])).json()
    assert sorted(d["id"] for d in mine) == sorted(
        [by_key[f"municipality:{i['askoy']}"], by_key[f"service:{i['askoy_barnevern']}"]]
    )
    assert (await client.get("/api/deliveries", headers=w.headers["officer_f"])).json() == []
    for who, did in roles:
        url = f"/api/deliveries/{did}"
        listed = (await client.get("/api/deliveries", headers=w.headers[who])).json()
        assert did in [d["id"] for d in listed]
        first = (await client.post(f"{url}/read", headers=w.headers[who])).json()
        # Bergen's delivery was answered by its coordinator just before its school's leader.
        expected = "answered" if who == "leader_bergen_skole" else "read"
        assert first["delivery"]["status"] == expected
        assert first["outcome"]["summary"] == "Fråværsteam gav færre elevar med høgt fråvær."
        second = (await client.post(f"{url}/read", headers=w.headers[who])).json()
        assert second["delivery"]["read_at"] == first["delivery"]["read_at"]
        answer = {"relevant": "yes", "will_use": "partly", "change": f"Vi prøver ({who})."}
        response = await client.post(f"{url}/answer", json=answer, headers=w.headers[who])
        assert response.status_code == 200, response.text
        got = response.json()["delivery"]
        assert (got["status"], got["answer"]["will_use"], got["answer"]["change"]) == (
            "answered",
            "partly",
            f"Vi prøver ({who}).",
        )
    audits = await AuditEvent.select().where(AuditEvent.action == "projects.delivery.answer")
    assert len(audits) == 5  # Bergen was answered twice: the change is audited
    answered = await Notification.select().where(
        Notification.kind == "findings_answered", Notification.account == w.accounts["researcher_f"]
    )
    assert len(answered) == 5
    cluster_did = by_key[f"cluster:{i['cluster_a']}"]
    cluster_url = f"/api/deliveries/{cluster_did}"
    funder = await client.get(cluster_url, headers=w.headers["officer_f"])
    assert funder.json()["delivery"]["answer"]["relevant"] == "yes"
    answer = {"relevant": "no", "will_use": "no", "change": ""}
    assert (
        await client.post(f"{cluster_url}/answer", json=answer, headers=w.headers["officer_f"])
    ).status_code == 403
    for who in ("coordinator_trondheim", "adviser_b", "coordinator_alver", "nobody"):
        assert (await client.get(cluster_url, headers=w.headers[who])).status_code == 404
        assert (await client.post(f"{cluster_url}/read", headers=w.headers[who])).status_code == 404
    page = (
        await client.get(f"/api/outcomes/{oid}/deliveries", headers=w.headers["officer_f"])
    ).json()
    assert sorted(d["answer"]["change"] for d in page if d["answer"]) == sorted(
        f"Vi prøver ({who})." for who, _ in roles[1:]
    )
    assert sum(d["status"] == "delivered" for d in page) == 1  # Askøy's municipality delivery
    elsewhere = f"/api/outcomes/{oid}/deliveries"
    assert (await client.get(elsewhere, headers=w.headers["coordinator_trondheim"])).json() == []


async def test_the_answer_is_guarded_and_the_task_list_shows_what_is_due(
    client: Any,
    fworld: World,  # noqa: F811 (fixture)
) -> None:
    from tests.priorities.conftest import synthetic_fnr

    w, i = fworld, fworld.ids
    found = await published(client, w)
    did = found[f"{i['outcome']}:municipality:{i['oygarden']}"]["id"]
    tasks = (await client.get("/api/me/tasks", headers=w.headers["coordinator_oygarden"])).json()
    assert [(t["kind"], t["link"], t["subject"]) for t in tasks] == [
        ("projects.delivery", f"/leveranser/{did}", "Fråværsteam i skulen")
    ]
    answer = {
        "relevant": "yes",
        "will_use": "yes",
        "change": f"Eleven {synthetic_fnr()} fekk hjelp",
    }
    response = await client.post(
        f"/api/deliveries/{did}/answer", json=answer, headers=w.headers["coordinator_oygarden"]
    )
    assert response.status_code == 422
    assert "change" in response.text
    bad = {"relevant": "maybe", "will_use": "yes"}
    response = await client.post(
        f"/api/deliveries/{did}/answer", json=bad, headers=w.headers["coordinator_oygarden"]
    )
    assert response.status_code == 400
    ok = {"relevant": "yes", "will_use": "yes"}
    await client.post(
        f"/api/deliveries/{did}/answer", json=ok, headers=w.headers["coordinator_oygarden"]
    )
    assert (
        await client.get("/api/me/tasks", headers=w.headers["coordinator_oygarden"])
    ).json() == []


async def test_the_pages_publish_list_and_take_the_answer(
    client: Any,
    fworld: World,  # noqa: F811 (fixture)
) -> None:
    from tests.platform.test_views import HTML, login, submit, text_of

    w, i = fworld, fworld.ids
    found = await published(client, w)
    oid = i["outcome"]
    did = found[f"{oid}:municipality:{i['oygarden']}"]["id"]
    cluster_did = found[f"{oid}:cluster:{i['cluster_a']}"]["id"]
    await login(client, w, "coordinator_trondheim")
    assert (await client.get(f"/leveranser/{did}", headers=HTML)).status_code == 404
    await login(client, w, "coordinator_oygarden")
    listing = text_of(await client.get("/leveranser", headers=HTML))
    assert "Fråværsteam verkar" in listing
    assert f'href="/leveranser/{did}"' in listing
    page = f"/leveranser/{did}"
    assert "Fråværsteam gav færre elevar med høgt fråvær." in text_of(
        await client.get(page, headers=HTML)
    )
    response = await submit(client, page, f"{page}/lest", {})
    assert response.headers["location"].startswith(f"{page}?notice=")
    response = await submit(client, page, f"{page}/svar", {"change": "Noko"})
    assert response.status_code == 422
    shown = text_of(response)
    assert 'id="answer-relevant-error"' in shown
    assert "Vel om funna er relevante for dykk." in shown  # Øygarden writes nynorsk
    assert ">Noko</textarea>" in shown
    answer = {"relevant": "partly", "will_use": "undecided", "change": "Vi drøftar det i rådet."}
    response = await submit(client, page, f"{page}/svar", answer)
    assert response.status_code == 303
    shown = text_of(await client.get(response.headers["location"], headers=HTML))
    assert "Svaret er lagra. Takk!" in shown
    assert "Vi drøftar det i rådet." in shown
    await login(client, w, "adviser_a")
    adviser_page = f"/leveranser/{cluster_did}"
    response = await submit(client, adviser_page, f"/resultater/{oid}/publiser", {})
    assert response.headers["location"] == (
        f"/resultater/{oid}?notice=projects.findings-deliveries-published#leveranser"
    )
    response = await submit(client, adviser_page, f"/resultater/{oid}/mottakere", {})
    assert response.headers["location"] == (
        f"/resultater/{oid}?notice=projects.findings-deliveries-add-refused#leveranser"
    )
    assert len(await deliveries(w)) == 5


async def test_the_outcome_page_partial_shows_the_deliveries(
    fworld: World,  # noqa: F811 (fixture)
    client: Any,
) -> None:
    from klynge.auth.service import load_principal
    from klynge.orgs.tables import ClusterMembership
    from projects.findings import publishing
    from projects.findings.loading import load_outcome_access

    w, i = fworld, fworld.ids
    await published(client, w)
    adviser = await load_principal(w.accounts["adviser_a"])
    access = await load_outcome_access(adviser, i["outcome"])
    panel = await publishing.outcome_deliveries(adviser, access)
    assert [(d.recipient, d.kind, d.status) for d in panel] == [
        ("Bergen", "participant", "delivered"),
        ("Askøy", "participant", "delivered"),
        ("Øygarden", "endorser", "delivered"),
        ("Barnevernet i Askøy", "asker", "delivered"),
        ("Klynge Vest", "cluster", "delivered"),
    ]
    assert panel.addable == []  # every member municipality has its delivery
    await ClusterMembership.update({ClusterMembership.status: "member"}).where(
        ClusterMembership.municipality == i["alver"]
    )
    panel = await publishing.outcome_deliveries(adviser, access)
    assert panel.addable == [(i["alver"], "Alver")]
    assert panel.labels["endorser"] == "Endorsed the need"
