"""Hand-offs of matching and proposals: the matched groups' researchers, the cluster's adviser
and the services that asked are told in-app (nb and en) and by e-mail through a real SMTP
server, the adviser and the group get their tasks — and nobody else, never another cluster."""

from __future__ import annotations

from typing import Any

from tests.conftest import World
from tests.handoffs import SmtpServer, address, deliver, mailed, notes, smtp, smtp_env, tasks
from tests.projects.test_api import _run_matching, groups_world, needs_world

__all__ = ["groups_world", "needs_world", "smtp", "smtp_env"]

OUTSIDERS = ("adviser_b", "coordinator_trondheim", "nobody", "researcher_sea")
TITLE = "Samarbeid mellom skole og barnevern om elever med høyt fravær"


async def _matched(client: Any, w: World) -> list[int]:
    """Matching with the sea group kept out (a conflict): the needs matched to the school."""
    conflict = await client.post(
        f"/api/clusters/{w.ids['cluster_a']}/conflicts",
        json={"group_id": w.ids["group_sea"], "reason": "Oppdragsgiver"},
        headers=w.headers["adviser_a"],
    )
    assert conflict.status_code == 201, conflict.text
    await _run_matching(client, w)
    found = []
    for need in w.ids["needs"]:  # type: ignore[attr-defined]
        listed = await client.get(f"/api/needs/{need}/matches", headers=w.headers["adviser_a"])
        groups = [m["group_id"] for m in listed.json()["matches"]]
        assert w.ids["group_sea"] not in groups
        if w.ids["group_school"] in groups:
            found.append(need)
    return found


def proposal_body(w: World, need: int, title: str = "Sammen mot fravær") -> dict[str, Any]:
    return {
        "group_id": w.ids["group_school"],
        "need_ids": [need],
        "title": title,
        "aims": "Redusere fravær",
        "research_questions": "Hva virker?",
        "design": "Stegvis innføring",
        "methods": ["participatory"],
        "codesign": {"municipality_ids": [w.ids["askoy"]], "service_ids": []},
        "ethics": ["sikt"],
        "budget_nok": 1_000_000,
        "start": "2027-01-01",
        "end": "2028-12-31",
    }


async def _review(client: Any, w: World, proposal_id: int, decision: str, reason: str = "") -> Any:
    response = await client.post(
        f"/api/proposals/{proposal_id}/review",
        json={"decision": decision, "reason": reason},
        headers=w.headers["adviser_a"],
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_matched_need_reaches_the_matched_groups_researchers_only(
    client: Any, groups_world: World, smtp_env: SmtpServer
) -> None:
    w = groups_world
    needs = await _matched(client, w)
    assert w.ids["needs"][0] in needs  # type: ignore[index]
    nb = await notes(client, w, "researcher_school", "nb", kind="need_matched_group")
    assert len(nb) == len(needs)
    first = w.ids["needs"][0]  # type: ignore[index]
    mine = next(n for n in nb if n["link"].endswith(f"#behov-{first}-{w.ids['group_school']}"))
    assert mine["text"] == (
        f"Gruppen deres «Skole og samarbeid» er matchet mot behovet «{TITLE}»: svar om dere er "
        "interessert."
    )
    assert mine["link"].startswith("/forsker/innboks")
    en = await notes(client, w, "researcher_school", "en", kind="need_matched_group")
    assert (
        f"Your group «Skole og samarbeid» is matched to the need «{TITLE}»: answer if you are "
        "interested." in [n["text"] for n in en]
    )
    for key in ("adviser_a", "leader_askoy", *OUTSIDERS):
        assert await notes(client, w, key, kind="need_matched_group") == [], key
    # The services that asked are still told, as before.
    assert await notes(client, w, "leader_askoy", kind="need_matched")

    await deliver()
    assert mailed(smtp_env, "er matchet mot behovet") == [address("researcher_school")] * len(needs)


async def test_a_proposal_goes_to_the_adviser_and_askers_and_back_to_the_group(
    client: Any, groups_world: World, smtp_env: SmtpServer
) -> None:
    w = groups_world
    need = (await _matched(client, w))[0]
    created = await client.post(
        "/api/proposals/", json=proposal_body(w, need), headers=w.headers["researcher_school"]
    )
    assert created.status_code == 201, created.text
    proposal = created.json()["id"]

    adviser = await notes(client, w, "adviser_a", "nb", kind="proposal_submitted")
    assert [n["text"] for n in adviser] == [
        "Forslaget «Sammen mot fravær» fra «Skole og samarbeid» venter på din vurdering."
    ]
    assert adviser[0]["link"] == f"/forslag/{proposal}"
    en = await notes(client, w, "adviser_a", "en", kind="proposal_submitted")
    assert [n["text"] for n in en] == [
        "A proposal «Sammen mot fravær» from «Skole og samarbeid» waits for your assessment."
    ]
    asker = await notes(client, w, "leader_askoy", "nb", kind="proposal_submitted")
    assert [n["text"] for n in asker] == [
        f"«Skole og samarbeid» foreslår prosjektet «Sammen mot fravær» for behovet «{TITLE}»."
    ]
    asker_en = await notes(client, w, "leader_askoy", "en", kind="proposal_submitted")
    assert [n["text"] for n in asker_en] == [
        f"«Skole og samarbeid» proposes the project «Sammen mot fravær» for the need «{TITLE}»."
    ]
    for key in ("researcher_school", "coordinator_bergen", *OUTSIDERS):
        assert await notes(client, w, key, kind="proposal_submitted") == [], key

    assess = await tasks(client, w, "adviser_a", "nb", prefix="projects.proposal")
    assert [(t["text"], t["link"]) for t in assess] == [
        (
            "Vurder forslaget «Sammen mot fravær» fra «Skole og samarbeid»",
            f"/forslag/{proposal}#vurdering",
        )
    ]
    en_tasks = await tasks(client, w, "adviser_a", "en", prefix="projects.proposal")
    assert [t["text"] for t in en_tasks] == [
        "Assess the proposal «Sammen mot fravær» from «Skole og samarbeid»"
    ]
    for key in ("researcher_school", "leader_askoy", *OUTSIDERS):
        assert await tasks(client, w, key, prefix="projects.proposal") == [], key
    await deliver()
    assert mailed(smtp_env, "venter på din vurdering") == [address("adviser_a")]
    assert mailed(smtp_env, "foreslår prosjektet") == [address("leader_askoy")]

    # Changes asked: the group is told and gets the revision; the adviser's task goes.
    await _review(client, w, proposal, "changes", "Beskriv medvirkningen")
    changes = await notes(
        client, w, "researcher_school", "nb", kind="proposal_review_changes_requested"
    )
    assert [n["text"] for n in changes] == [
        "Rådgiveren ber om endringer i forslaget deres «Sammen mot fravær»: revider og send det "
        "inn igjen."
    ]
    assert await tasks(client, w, "adviser_a", prefix="projects.proposal") == []
    revise = await tasks(client, w, "researcher_school", "en", prefix="projects.proposal")
    assert [t["text"] for t in revise] == [
        "Revise the proposal «Sammen mot fravær» as the adviser asked"
    ]
    for key in ("adviser_a", "leader_askoy", *OUTSIDERS):
        assert await notes(client, w, key, kind="proposal_review_changes_requested") == [], key
        assert await tasks(client, w, key, prefix="projects.proposal_revise") == [], key

    # Resubmitted: the adviser assesses again; then declines, and the group hears it.
    revised = await client.put(
        f"/api/proposals/{proposal}",
        json=proposal_body(w, need),
        headers=w.headers["researcher_school"],
    )
    assert revised.status_code == 200, revised.text
    assert await tasks(client, w, "researcher_school", prefix="projects.proposal") == []
    assert len(await notes(client, w, "adviser_a", kind="proposal_resubmitted")) == 1
    assert len(await tasks(client, w, "adviser_a", prefix="projects.proposal_assess")) == 1
    await _review(client, w, proposal, "decline", "Utenfor mandatet")
    declined = await notes(client, w, "researcher_school", "en", kind="proposal_review_declined")
    assert [n["text"] for n in declined] == [
        "Your proposal «Sammen mot fravær» is declined; the adviser's reason is on the page."
    ]
    for key in ("adviser_a", "leader_askoy", *OUTSIDERS):
        assert await notes(client, w, key, kind="proposal_review_declined") == [], key
    for key in ("adviser_a", "researcher_school", *OUTSIDERS):
        assert await tasks(client, w, key, prefix="projects.proposal") == [], key
    await deliver()
    assert mailed(smtp_env, "er avslått") == [address("researcher_school")]


async def test_an_accepted_proposal_tells_the_group_with_a_link_to_the_project(
    client: Any, groups_world: World, smtp_env: SmtpServer
) -> None:
    w = groups_world
    need = (await _matched(client, w))[0]
    created = await client.post(
        "/api/proposals/", json=proposal_body(w, need), headers=w.headers["researcher_school"]
    )
    out = await _review(client, w, created.json()["id"], "accept")
    accepted = await notes(client, w, "researcher_school", "nb", kind="proposal_review_accepted")
    assert [(n["text"], n["link"]) for n in accepted] == [
        (
            "Forslaget deres «Sammen mot fravær» er godtatt: prosjektet er opprettet.",
            f"/prosjekter/{out['project_id']}",
        )
    ]
    en = await notes(client, w, "researcher_school", "en", kind="proposal_review_accepted")
    assert [n["text"] for n in en] == [
        "Your proposal «Sammen mot fravær» is accepted: the project is created."
    ]
    for key in ("adviser_a", "leader_askoy", *OUTSIDERS):
        assert await notes(client, w, key, kind="proposal_review_accepted") == [], key
    # The services that asked hear of it as before.
    assert await notes(client, w, "leader_askoy", kind="proposal_accepted")
    await deliver()
    assert mailed(smtp_env, "Forslaget deres «Sammen mot fravær» er godtatt") == [
        address("researcher_school")
    ]
