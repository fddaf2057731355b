"""Prioritisation rounds through the API: blind scoring, close, ranking, decisions, export."""

from __future__ import annotations

import io
from typing import Any

from tests.priorities.conftest import need_body


async def _setup(client, w) -> tuple[list[int], dict[str, Any]]:
    """Three submitted needs and a round with four raters in three groups."""
    ids = []
    for title in ("Fravær og samarbeid", "Språkvansker ved skolestart", "Nettmobbing"):
        response = await client.post(
            "/api/needs", json=need_body(w, title=title), headers=w.headers["coordinator_askoy"]
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    body = {
        "cluster_id": w.ids["cluster_a"],
        "name": "Vår 2027",
        "need_ids": ids,
        "raters": [
            {
                "account_id": w.accounts["leader_askoy"],
                "group": "leaders",
                "municipality_id": w.ids["askoy"],
            },
            {
                "account_id": w.accounts["coordinator_askoy"],
                "group": "staff",
                "municipality_id": w.ids["askoy"],
            },
            {
                "account_id": w.accounts["coordinator_bergen"],
                "group": "staff",
                "municipality_id": w.ids["bergen"],
            },
            {"account_id": w.accounts["nobody"], "group": "users"},
        ],
    }
    response = await client.post("/api/rounds", json=body, headers=w.headers["adviser_a"])
    assert response.status_code == 201, response.text
    return ids, response.json()


def _scores(ids: list[int], values: list[tuple[int, int, int]]) -> dict[str, Any]:
    return {
        "scores": [
            {"need_id": i, "nytte": n, "alvorlighet": a, "ressurs": r}
            for i, (n, a, r) in zip(ids, values, strict=True)
        ],
        "finished": True,
    }


async def test_round_lifecycle_is_blind_until_close(client, needs_world) -> None:
    w = needs_world
    ids, rnd = await _setup(client, w)
    url = f"/api/rounds/{rnd['id']}"
    need = await client.get(f"/api/needs/{ids[0]}", headers=w.headers["adviser_a"])
    assert need.json()["status"] == "under_assessment"
    plan = {
        "leader_askoy": [(5, 5, 1), (3, 3, 3), (1, 2, 5)],
        "coordinator_askoy": [(4, 4, 2), (3, 3, 3), (2, 2, 4)],
        "coordinator_bergen": [(5, 4, 2), (0, 3, 3), (1, 1, 5)],
        "nobody": [(4, 5, 1), (4, 4, 2), (2, 1, 4)],
    }
    # Before anyone scored, nobody is finished; finishing with needs unanswered is refused
    # (nothing saved), and says how far the rater got.
    progress = (await client.get(url, headers=w.headers["adviser_a"])).json()["progress"]
    assert [(p["answered"], p["finished"]) for p in progress] == [(0, False)] * 4
    partial = _scores(ids[:1], plan["leader_askoy"][:1])
    early = await client.put(f"{url}/scores", json=partial, headers=w.headers["leader_askoy"])
    assert early.status_code == 422, early.text
    assert early.json()["errors"][0]["field"] == "finished"
    assert early.json()["detail"].endswith("1 av 3 behov er besvart.")
    mine = await client.get(f"{url}/scores", headers=w.headers["leader_askoy"])
    assert (mine.json()["answered"], mine.json()["finished"]) == (0, False)
    first = True
    for who, values in plan.items():
        saved = await client.put(f"{url}/scores", json=_scores(ids, values), headers=w.headers[who])
        assert saved.status_code == 200, saved.text
        assert saved.json()["answered"] == 3
        if first:
            # Before close: nobody sees results; a rater sees only their own scores.
            for viewer in ("adviser_a", "leader_askoy"):
                hidden = await client.get(f"{url}/ranking", headers=w.headers[viewer])
                assert hidden.status_code == 409
            other = await client.get(f"{url}/scores", headers=w.headers["coordinator_askoy"])
            assert other.json()["scores"] == []
            first = False
    progress = (await client.get(url, headers=w.headers["adviser_a"])).json()["progress"]
    assert {p["answered"] for p in progress} == {3}
    assert all(p["finished"] for p in progress)
    assert "scores" not in str(progress)
    # Not a panel member: cannot score; another cluster: cannot see the round at all.
    refused = await client.put(
        f"{url}/scores", json=_scores(ids, plan["nobody"]), headers=w.headers["adviser_a"]
    )
    assert refused.status_code == 403
    assert (await client.get(url, headers=w.headers["adviser_b"])).status_code == 404
    # Closing another cluster's round answers as reading it does: 404, it does not exist for them.
    assert (await client.post(f"{url}/close", headers=w.headers["adviser_b"])).status_code == 404
    closed = await client.post(f"{url}/close", headers=w.headers["adviser_a"])
    assert closed.status_code == 200, closed.text
    items = closed.json()["items"]
    assert items[0]["need_id"] == ids[0]
    assert [i["rank"] for i in items] == [1, 2, 3]
    top = items[0]
    assert top["raters"] == 4
    assert 0 <= top["score"] <= 100
    assert top["rank_min"] <= top["rank"] <= top["rank_max"]
    assert set(top["criteria"]) == {"nytte", "alvorlighet", "ressurs", "kunnskapsgap"}
    assert top["criteria"]["kunnskapsgap"] is None  # "ikke vurdert" until the literature check
    assert set(top["group_scores"]) == {"leaders", "staff", "users"}
    assert items[1]["blanks"] == 1
    # Scores cannot change after close; the ranking is stored and reproducible.
    late = await client.put(
        f"{url}/scores", json=_scores(ids, plan["nobody"]), headers=w.headers["nobody"]
    )
    assert late.status_code == 409
    from priorities.rounds import recompute

    stored = (await client.get(f"{url}/ranking", headers=w.headers["leader_askoy"])).json()
    again = await recompute(rnd["id"])
    assert [(i["need_id"], i["rank"], i["score"]) for i in stored["items"]] == [
        (i["need_id"], i["rank"], i["score"]) for i in again
    ]


async def test_decisions_require_a_reason_to_depart_from_rank(client, needs_world) -> None:
    w = needs_world
    ids, rnd = await _setup(client, w)
    url = f"/api/rounds/{rnd['id']}"
    await client.put(
        f"{url}/scores",
        json=_scores(ids, [(5, 5, 1), (3, 3, 3), (1, 1, 5)]),
        headers=w.headers["leader_askoy"],
    )
    early = await client.post(
        f"{url}/decisions",
        json={"need_id": ids[0], "decision": "prioritised", "justification": "x"},
        headers=w.headers["adviser_a"],
    )
    assert early.status_code == 409
    await client.post(f"{url}/close", headers=w.headers["adviser_a"])
    not_top = await client.post(
        f"{url}/decisions",
        json={
            "need_id": ids[0],
            "decision": "not_prioritised",
            "justification": "Dekkes av nasjonalt prosjekt",
        },
        headers=w.headers["adviser_a"],
    )
    assert not_top.status_code == 200
    assert not_top.json()["departs_from_rank"] is False
    # Prioritising a lower-ranked need over it departs from the rank: a reason is required.
    departing = {
        "need_id": ids[1],
        "decision": "prioritised",
        "justification": "Viktig",
        "situation": "Mange barn venter",
        "child_best_interest": "Tidlig hjelp",
    }
    refused = await client.post(f"{url}/decisions", json=departing, headers=w.headers["adviser_a"])
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "departs_reason"
    departing["departs_reason"] = "Behov 1 er allerede finansiert nasjonalt"
    accepted = await client.post(f"{url}/decisions", json=departing, headers=w.headers["adviser_a"])
    assert accepted.status_code == 200
    assert accepted.json()["departs_from_rank"] is True
    # Another cluster's adviser cannot even learn that the round exists.
    other = await client.post(f"{url}/decisions", json=departing, headers=w.headers["adviser_b"])
    assert other.status_code == 404
    need = (await client.get(f"/api/needs/{ids[1]}", headers=w.headers["adviser_a"])).json()
    assert need["status"] == "prioritised"
    assert need["rank"] == 2
    first = (await client.get(f"/api/needs/{ids[0]}", headers=w.headers["adviser_a"])).json()
    assert first["status"] == "not_prioritised"
    assert first["status_reason"] == "Dekkes av nasjonalt prosjekt"
    # The published list shows decisions to every member municipality of the cluster.
    published = await client.get(f"{url}/ranking", headers=w.headers["coordinator_bergen"])
    assert published.status_code == 200
    decided = {i["need_id"]: i["decision"] for i in published.json()["items"]}
    assert decided[ids[1]] == "prioritised"
    assert (await client.get(f"/api/public/rounds/{rnd['id']}/ranking")).status_code == 404


async def test_export_opens_in_openpyxl_with_the_right_sheets(client, needs_world) -> None:
    from openpyxl import load_workbook

    w = needs_world
    ids, rnd = await _setup(client, w)
    url = f"/api/rounds/{rnd['id']}"
    await client.put(
        f"{url}/scores",
        json=_scores(ids, [(5, 5, 1), (3, 0, 3), (1, 1, 5)]),
        headers=w.headers["leader_askoy"],
    )
    await client.post(f"{url}/close", headers=w.headers["adviser_a"])
    response = await client.get(f"{url}/export.xlsx", headers=w.headers["adviser_a"])
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert {"Rangering", "Råskårer", "Grupper", "Beslutninger"} <= set(book.sheetnames)
    raw = book["Råskårer"]
    labels = {raw.cell(row=r, column=1).value for r in range(2, raw.max_row + 1)}
    assert "Leader Askoy" not in labels  # pseudonymised by default
    assert (
        await client.get(f"{url}/export.xlsx", headers=w.headers["leader_askoy"])
    ).status_code == 403


async def test_round_needs_must_be_submitted_and_in_the_cluster(client, needs_world) -> None:
    w = needs_world
    draft = await client.post(
        "/api/needs", json=need_body(w, submit=False), headers=w.headers["coordinator_askoy"]
    )
    body = {
        "cluster_id": w.ids["cluster_a"],
        "name": "R",
        "need_ids": [draft.json()["id"]],
        "raters": [{"account_id": w.accounts["leader_askoy"], "group": "leaders"}],
        "weights": {"nytte": 2},
    }
    response = await client.post("/api/rounds", json=body, headers=w.headers["adviser_a"])
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["need_ids"]
    other = await client.post(
        "/api/rounds",
        json={**body, "cluster_id": w.ids["cluster_a"]},
        headers=w.headers["adviser_b"],
    )
    assert other.status_code == 403
    # The weight checks on an otherwise valid round, so only the weights can be refused.
    submitted = await client.post(
        "/api/needs", json=need_body(w), headers=w.headers["coordinator_askoy"]
    )
    assert submitted.status_code == 201, submitted.text
    valid = {**body, "need_ids": [submitted.json()["id"]]}
    all_zero = {"nytte": 0, "alvorlighet": 0, "ressurs": 0, "kunnskapsgap": 0}
    for weights in ({"pris": 1}, {"nytte": 1e-9}, all_zero):
        refused = await client.post(
            "/api/rounds", json={**valid, "weights": weights}, headers=w.headers["adviser_a"]
        )
        assert refused.status_code == 422, (weights, refused.text)
        assert [e["field"] for e in refused.json()["errors"]] == ["weights"], weights
    accepted = await client.post("/api/rounds", json=valid, headers=w.headers["adviser_a"])
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["weights"]["nytte"] == 2
