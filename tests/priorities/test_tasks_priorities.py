"""The priorities app's tasks (GET /api/me/tasks): advisers triage the submitted needs of their
cluster, panel members score the open rounds they have not finished. Only the right people see
them, and each disappears when it is done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from priorities.tasks import triage_due
from tests.priorities.handoff_support import (
    EVERYONE,
    add_researcher,
    finish_scoring,
    open_round,
    submit_need,
    tasks,
)


@pytest.fixture
async def hw(app: Any, needs_world: Any) -> Any:
    await add_researcher(app, needs_world)
    return needs_world


async def everyone_tasks(client: Any, w: Any) -> dict[str, list[tuple[str, str, Any]]]:
    return {
        k: [(t["text"], t["link"], t["due"]) for t in await tasks(client, w, k)] for k in EVERYONE
    }


def test_triage_is_due_two_weeks_after_submission() -> None:
    submitted = dt.datetime(2027, 3, 1, 22, 30, tzinfo=dt.UTC)
    assert triage_due(submitted) == dt.date(2027, 3, 15)
    assert triage_due(None) is None


async def test_advisers_triage_the_submitted_needs_of_their_cluster_until_triaged(
    client: Any, hw: Any
) -> None:
    w = hw
    need = await submit_need(client, w, title="Fravær i ungdomsskolen")
    await submit_need(client, w, title="Et utkast", submit=False)  # a draft is no task
    other = await submit_need(
        client,
        w,
        who="coordinator_trondheim",
        title="NAV og unge",
        cluster_id=w.ids["cluster_b"],
        municipality_id=w.ids["trondheim"],
        service_id=None,
        service_ids=[w.ids["trondheim_nav"]],
    )
    due = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=14)).isoformat()
    found = await everyone_tasks(client, w)
    assert found.pop("adviser_a") == [
        ("Triage the knowledge need «Fravær i ungdomsskolen»", f"/behov/{need}", due)
    ]
    assert found.pop("adviser_b") == [
        ("Triage the knowledge need «NAV og unge»", f"/behov/{other}", due)
    ]
    assert found == {k: [] for k in EVERYONE if k not in {"adviser_a", "adviser_b"}}
    assert [t["text"] for t in await tasks(client, w, "adviser_a", "nb")] == [
        "Behandle kunnskapsbehovet «Fravær i ungdomsskolen»"
    ]
    # Triaged: put in a round, the need is under assessment and the task is gone.
    await open_round(client, w, [need], ["researcher"])
    assert await tasks(client, w, "adviser_a") == []


async def test_raters_score_an_open_round_until_finished_or_closed(client: Any, hw: Any) -> None:
    w = hw
    ids = [await submit_need(client, w, title=t) for t in ("Fravær", "Mobbing")]
    deadline = dt.datetime(2031, 5, 20, 23, 59, tzinfo=dt.UTC)
    panel = ["leader_askoy", "researcher", "nobody"]
    round_id = await open_round(client, w, ids, panel, deadline=deadline)
    task = ("Score the needs of round «Vår 2027»", f"/runder/{round_id}/skaar", "2031-05-20")
    found = await everyone_tasks(client, w)
    for key in panel:
        assert found.pop(key) == [task], key
    assert found == {k: [] for k in EVERYONE if k not in panel}
    assert [t["text"] for t in await tasks(client, w, "researcher", "nn")] == [
        "Skår behova i runden «Vår 2027»"
    ]
    # Saving part of the scores is not finishing; finishing removes the task.
    partial = {"scores": [{"need_id": ids[0], "nytte": 3}], "finished": False}
    response = await client.put(
        f"/api/rounds/{round_id}/scores", json=partial, headers=w.headers["researcher"]
    )
    assert response.status_code == 200, response.text
    assert len(await tasks(client, w, "researcher")) == 1
    await finish_scoring(client, w, round_id, "researcher", ids)
    assert await tasks(client, w, "researcher") == []
    assert len(await tasks(client, w, "nobody")) == 1
    # A closed round has nothing left to score.
    response = await client.post(f"/api/rounds/{round_id}/close", headers=w.headers["adviser_a"])
    assert response.status_code == 200, response.text
    assert all([await tasks(client, w, k) == [] for k in panel])
