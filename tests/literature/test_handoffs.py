"""Hand-offs of the literature part: the verdict of a check reaches the service that asked
the need (in-app in nb and en, and by e-mail through a real SMTP server), and the screening
tasks reach the screeners and the adviser — nobody else, and never another cluster."""

from __future__ import annotations

from typing import Any

from tests.conftest import World
from tests.handoffs import SmtpServer, address, deliver, mailed, notes, smtp, smtp_env, tasks
from tests.literature.conftest import RIS, import_file

__all__ = ["smtp", "smtp_env"]

TITLE = "Samarbeid mellom skole og barnevern om elever med høyt fravær"
OUTSIDERS = ("adviser_b", "coordinator_trondheim", "coordinator_bergen", "nobody")


async def _check(client: Any, world: World, need_id: int, **body: Any) -> dict[str, Any]:
    response = await client.post(
        f"/api/needs/{need_id}/literature-checks",
        json={"question": "Virker samarbeid om fravær?", **body},
        headers=world.headers["adviser_a"],
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _records(client: Any, world: World, check_id: int) -> list[int]:
    response = await client.get(
        f"/api/literature-checks/{check_id}/candidates", headers=world.headers["adviser_a"]
    )
    return [c["reference"]["id"] for c in response.json()]


async def _decide(
    client: Any, world: World, key: str, check_id: int, ref: int, **body: Any
) -> None:
    response = await client.post(
        f"/api/literature-checks/{check_id}/decisions",
        json={"reference_id": ref, **body},
        headers=world.headers[key],
    )
    assert response.status_code == 201, response.text


async def _verdict(client: Any, world: World, check_id: int, **body: Any) -> None:
    response = await client.post(
        f"/api/literature-checks/{check_id}/verdict",
        json={"verdict": "unanswered", "reason_code": "A", **body},
        headers=world.headers["adviser_a"],
    )
    assert response.status_code == 200, response.text


async def test_the_verdict_reaches_the_service_that_asked_and_nobody_else(
    client: Any, needs_world: World, need_id: int, smtp_env: SmtpServer
) -> None:
    w = needs_world
    check = await _check(client, w, need_id)
    await _verdict(client, w, check["id"])

    nb = await notes(client, w, "leader_askoy", "nb", kind="literature_verdict")
    assert [n["text"] for n in nb] == [
        f"Litteratursjekken av behovet «{TITLE}» er ferdig: spørsmålet er ubesvart, et "
        "kunnskapshull."
    ]
    assert nb[0]["link"] == f"/litteratursjekker/{check['id']}"
    en = await notes(client, w, "leader_askoy", "en", kind="literature_verdict")
    assert [n["text"] for n in en] == [
        f"The literature check of the need «{TITLE}» is done: the question is unanswered, a "
        "knowledge gap."
    ]
    # The need was asked by the service: its municipality's coordinator is not told, nor the
    # adviser who gave the verdict, nor anyone of the other cluster.
    for key in ("coordinator_askoy", "adviser_a", *OUTSIDERS):
        assert await notes(client, w, key, kind="literature_verdict") == [], key

    await deliver()
    assert mailed(smtp_env, "Litteratursjekken av behovet") == [address("leader_askoy")]

    # Editing the summary of the same verdict tells nobody again.
    await _verdict(client, w, check["id"], summary="Ingen oversikter funnet.")
    assert len(await notes(client, w, "leader_askoy", kind="literature_verdict")) == 1


async def test_screening_tasks_reach_the_screeners_then_the_adviser_and_go_when_done(
    client: Any, needs_world: World, need_id: int
) -> None:
    w = needs_world
    first, second = "coordinator_askoy", "leader_askoy"
    screeners = [w.accounts[first], w.accounts[second]]
    check = await _check(client, w, need_id, blind=True, screeners=screeners)
    await import_file(client, w.headers["adviser_a"], RIS, extra={"check_id": check["id"]})
    refs = await _records(client, w, check["id"])
    assert len(refs) == 3

    for key in (first, second):
        mine = await tasks(client, w, key, "nb", prefix="literature.")
        assert [t["text"] for t in mine] == [
            f"Screen treffene i litteratursjekken «{TITLE}» (3 venter)"
        ]
        assert mine[0]["link"] == f"/litteratursjekker/{check['id']}#tittel"
        assert mine[0]["due"] is None
    en = await tasks(client, w, first, "en", prefix="literature.")
    assert [t["text"] for t in en] == [
        f"Screen the records of the literature check «{TITLE}» (3 waiting)"
    ]
    # The adviser waits for the screeners; other people and the other cluster have nothing.
    for key in ("adviser_a", *OUTSIDERS):
        assert await tasks(client, w, key, prefix="literature.") == [], key

    for ref in refs:
        await _decide(client, w, first, check["id"], ref, decision="exclude")
    assert await tasks(client, w, first, prefix="literature.") == []
    assert len(await tasks(client, w, second, prefix="literature.")) == 1
    await _decide(client, w, second, check["id"], refs[0], decision="include")
    for ref in refs[1:]:
        await _decide(client, w, second, check["id"], ref, decision="exclude")
    assert await tasks(client, w, second, prefix="literature.") == []

    settle = await tasks(client, w, "adviser_a", "nb", prefix="literature.")
    assert [t["text"] for t in settle] == [
        f"Avgjør uenighet mellom screenerne i litteratursjekken «{TITLE}»"
    ]
    assert await tasks(client, w, "adviser_b", prefix="literature.") == []
    await _decide(client, w, "adviser_a", check["id"], refs[0], decision="exclude", reconcile=True)
    verdict = await tasks(client, w, "adviser_a", "en", prefix="literature.")
    assert [t["text"] for t in verdict] == [
        f"Screening is done: give the verdict of the literature check «{TITLE}»"
    ]
    assert verdict[0]["link"] == f"/litteratursjekker/{check['id']}#konklusjon"
    for key in (first, second, *OUTSIDERS):
        assert await tasks(client, w, key, prefix="literature.") == [], key

    await _verdict(client, w, check["id"])
    for key in ("adviser_a", first, second):
        assert await tasks(client, w, key, prefix="literature.") == [], key


async def test_a_need_asked_by_a_municipality_tells_its_coordinator(
    client: Any, needs_world: World, smtp_env: SmtpServer
) -> None:
    from tests.literature.conftest import need_body

    w = needs_world
    created = await client.post(
        "/api/needs/",
        json=need_body(w, service_id=None, title="Overganger fra barnehage til skole"),
        headers=w.headers["coordinator_askoy"],
    )
    assert created.status_code == 201, created.text
    check = await _check(client, w, created.json()["id"])
    await _verdict(client, w, check["id"])
    told = await notes(client, w, "coordinator_askoy", "en", kind="literature_verdict")
    assert [n["text"] for n in told] == [
        "The literature check of the need «Overganger fra barnehage til skole» is done: the "
        "question is unanswered, a knowledge gap."
    ]
    for key in ("leader_askoy", "adviser_a", *OUTSIDERS):
        assert await notes(client, w, key, kind="literature_verdict") == [], key
    await deliver()
    assert mailed(smtp_env, "Litteratursjekken av behovet") == [address("coordinator_askoy")]
