"""Shared steps of the priorities hand-off tests: a researcher for panels, needs and rounds
through the API, what each person finds in their notifications and tasks, and the mail sent
to the local SMTP server."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from tests.conftest import World
from tests.priorities.conftest import need_body

# Everyone of the two-cluster world who might wrongly be told something.
EVERYONE = (
    "adviser_a",
    "adviser_b",
    "coordinator_askoy",
    "coordinator_bergen",
    "coordinator_trondheim",
    "leader_askoy",
    "nobody",
    "researcher",
)


async def add_researcher(app: Any, w: World) -> None:
    """A researcher of a research group (no cluster role): a panel member from outside."""
    from klynge.auth.tables import Account, RoleAssignment
    from klynge.orgs.tables import ResearchGroup

    group = await ResearchGroup.insert(
        ResearchGroup(name="Barnevernsforskning", institution="UiB", org_number="874789542")
    ).returning(ResearchGroup.id)
    row = await Account.insert(
        Account(name="Researcher", email="researcher@test.klynge.no", password_hash="x")
    ).returning(Account.id)
    w.accounts["researcher"] = row[0]["id"]
    await RoleAssignment.insert(
        RoleAssignment(account=row[0]["id"], role="researcher", research_group=group[0]["id"])
    )
    w.headers["researcher"] = {"Authorization": f"Bearer {app.state.codec.issue(row[0]['id'])}"}


def email(key: str) -> str:
    return f"{key}@test.klynge.no"


async def submit_need(client: Any, w: World, who: str = "coordinator_askoy", **body: Any) -> int:
    response = await client.post("/api/needs", json=need_body(w, **body), headers=w.headers[who])
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def open_round(
    client: Any,
    w: World,
    need_ids: list[int],
    raters: list[str],
    *,
    name: str = "Vår 2027",
    deadline: dt.datetime | None = None,
) -> int:
    body: dict[str, Any] = {
        "cluster_id": w.ids["cluster_a"],
        "name": name,
        "need_ids": need_ids,
        "raters": [{"account_id": w.accounts[k], "group": "staff"} for k in raters],
    }
    if deadline is not None:
        body["deadline"] = deadline.isoformat()
    response = await client.post("/api/rounds", json=body, headers=w.headers["adviser_a"])
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def finish_scoring(client: Any, w: World, round_id: int, who: str, ids: list[int]) -> None:
    body = {
        "scores": [{"need_id": i, "nytte": 4, "alvorlighet": 3, "ressurs": 2} for i in ids],
        "finished": True,
    }
    response = await client.put(f"/api/rounds/{round_id}/scores", json=body, headers=w.headers[who])
    assert response.status_code == 200, response.text


async def _get_in(client: Any, w: World, who: str, lang: str, url: str) -> Any:
    """GET `url` as `who` in `lang`. A signed-in user's language is their own choice (else
    their municipality's), not the browser's Accept-Language: the account chooses `lang` for
    this request and goes back to no choice after, so the mail language stays as it was."""
    from klynge.auth.tables import Account

    account = Account.id == w.accounts[who]
    await Account.update({Account.language: lang}).where(account)
    try:
        response = await client.get(url, headers={**w.headers[who], "Accept-Language": lang})
    finally:
        await Account.update({Account.language: ""}).where(account)
    assert response.status_code == 200, response.text
    return response.json()


async def notes(client: Any, w: World, who: str, lang: str = "en") -> list[tuple[str, str]]:
    """(text, link) of the person's notifications, oldest first, in `lang`."""
    found = await _get_in(client, w, who, lang, "/api/notifications")
    return [(n["text"], n["link"]) for n in reversed(found)]


async def tasks(client: Any, w: World, who: str, lang: str = "en") -> list[dict[str, Any]]:
    """The person's priorities tasks, in `lang`."""
    found = await _get_in(client, w, who, lang, "/api/me/tasks")
    return [t for t in found if t["kind"].startswith("priorities.")]


async def told(client: Any, w: World) -> dict[str, list[tuple[str, str]]]:
    """Everyone's notifications (in English), for "the right people only" checks."""
    return {key: await notes(client, w, key) for key in EVERYONE}


async def deliver() -> None:
    """Run the queued mail sender (as test_mail does) and wait until nothing is queued."""
    from klynge.jobs import runner
    from klynge.jobs.tables import Job
    from klynge.mail.tables import MailOutbox

    for job in await Job.select(Job.id).where(Job.name == "send_mail", Job.status == "queued"):
        await runner.execute(job["id"])
    for _ in range(100):
        if not await MailOutbox.exists().where(MailOutbox.status.is_in(["queued", "sending"])):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("mail still queued")


def mailed(smtp: Any) -> list[tuple[str, str]]:
    """(recipient, subject) of every message the SMTP server received, sorted."""
    return sorted(
        (rcpt, str(m["Subject"]))
        for m, rcpts in zip(smtp.inbox.messages, smtp.inbox.recipients, strict=True)
        for rcpt in rcpts
    )
