"""The priorities demo data (`klynge demo`): realistic counts, made through the real rules,
free of national ID numbers, reproducible and idempotent."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


async def _counts() -> dict[str, int]:
    from klynge.audit import AuditEvent
    from klynge.auth.tables import Account
    from priorities.tables import (
        Decision,
        Need,
        NeedEndorsement,
        NeedEvent,
        NeedSubmitter,
        PriorityRound,
        RoundRater,
        Score,
    )

    return {
        "accounts": await Account.count(),
        "audit": await AuditEvent.count(),
        "needs": await Need.count(),
        "events": await NeedEvent.count(),
        "submitters": await NeedSubmitter.count(),
        "endorsements": await NeedEndorsement.count(),
        "rounds": await PriorityRound.count(),
        "raters": await RoundRater.count(),
        "scores": await Score.count(),
        "decisions": await Decision.count(),
    }


async def test_demo_seed_is_realistic_and_idempotent(db) -> None:
    from klynge import demo
    from klynge.privacy import contains_national_id
    from literature.tables import LiteratureCheck
    from priorities import demo as priorities_demo
    from priorities import rounds
    from priorities.tables import (
        Decision,
        Need,
        NeedEndorsement,
        NeedEvent,
        NeedService,
        PriorityRound,
        RoundNeed,
        RoundRater,
        Score,
    )
    from projects.tables import Project

    assert await demo.seed() is True
    needs = await Need.select()
    statuses = Counter(n["status"] for n in needs)
    assert len(needs) >= 20
    assert sum(1 for n in needs if n["cross_service"]) >= 3
    # Several municipalities, prevention levels and intended uses; ages within 0–24.
    assert len({n["municipality"] for n in needs}) >= 4
    assert {n["prevention_level"] for n in needs} == {"universal", "selected", "indicated"}
    assert len({n["intended_use"] for n in needs}) >= 3
    assert all(0 <= n["age_from"] <= n["age_to"] <= 24 for n in needs)
    assert {n["language"] for n in needs} == {"nb", "nn"}
    # Cross-service needs really have two or more services.
    per_need = Counter(r["need"] for r in await NeedService.select(NeedService.need))
    assert all((per_need[n["id"]] >= 2) == bool(n["cross_service"]) for n in needs)
    assert statuses["draft"] >= 2
    assert statuses["withdrawn"] == 1
    assert statuses["merged"] == 1
    assert statuses["submitted"] >= 2
    assert await NeedEndorsement.count() >= 5
    merged = next(n for n in needs if n["status"] == "merged")
    assert merged["merged_into"] is not None

    rows = await PriorityRound.select()
    assert sorted(r["status"] for r in rows) == ["closed", "open"]
    closed = next(r for r in rows if r["status"] == "closed")
    open_ = next(r for r in rows if r["status"] == "open")
    assert closed["name"] == priorities_demo.CLOSED_ROUND
    assert closed["publish_public"]
    assert open_["name"] == priorities_demo.OPEN_ROUND

    for round_row in (closed, open_):
        panel = await RoundRater.select().where(RoundRater.round == round_row["id"])
        assert len(panel) >= 8
        assert {p["stakeholder_group"] for p in panel} == {
            "leaders",
            "staff",
            "users",
            "researchers",
        }
        assert len({p["municipality"] for p in panel if p["municipality"]}) >= 3

    # The closed round: everyone scored, some "kan ikke vurdere" (0), ranking as recomputed.
    closed_needs = await RoundNeed.count().where(RoundNeed.round == closed["id"])
    assert 10 <= closed_needs <= 14
    scores = await Score.select().where(Score.round == closed["id"])
    assert len(scores) == closed_needs * len(priorities_demo.PANEL)
    assert any(0 in (x["nytte"], x["alvorlighet"], x["ressurs"]) for x in scores)
    assert _json(closed["result"]) == await rounds.recompute(closed["id"])
    decisions = await Decision.select().where(Decision.round == closed["id"])
    literature_checked = {r["need"] for r in await LiteratureCheck.select(LiteratureCheck.need)}
    in_projects = {
        int(n) for p in await Project.select(Project.need_ids) for n in _json(p["need_ids"])
    }
    # The completed project's published outcome answered its needs (projects.findings).
    answered = {
        int(n)
        for p in await Project.select(Project.need_ids).where(Project.status == "completed")
        for n in _json(p["need_ids"])
    }
    assert closed_needs / 2 < len(decisions) < closed_needs + 1
    assert {d["decision"] for d in decisions} == {"prioritised", "not_prioritised", "deferred"}
    assert all(d["justification"] and d["situation"] and d["assessment"] for d in decisions)
    assert all(d["participation"] and d["child_best_interest"] for d in decisions)
    departing = [d for d in decisions if d["departs_reason"]]
    assert len(departing) == 1
    ranks = {i["need_id"]: i["rank"] for i in _json(closed["result"])}
    decided = {d["need"]: d["decision"] for d in decisions if d["id"] != departing[0]["id"]}
    assert rounds.departs_from_rank(ranks, decided, departing[0]["need"], departing[0]["decision"])
    for d in decisions:
        need = next(n for n in needs if n["id"] == d["need"])
        # The literature demo then checks two prioritised needs against the research, and the
        # projects demo accepts a proposal for one (the need is then "matched").
        expected = d["decision"]
        if need["id"] in literature_checked:
            expected = "literature_checked"
        if need["id"] in in_projects:
            expected = "answered" if need["id"] in answered else "matched"
        assert need["status"] == expected
        if d["decision"] == "prioritised":
            assert need["rank"] == ranks[d["need"]]

    # The open round is partly scored: some finished, some halfway, some not started.
    open_panel = await RoundRater.select().where(RoundRater.round == open_["id"])
    open_needs = await RoundNeed.count().where(RoundNeed.round == open_["id"])
    open_scores = Counter(
        x["rater"] for x in await Score.select().where(Score.round == open_["id"])
    )
    finished = [p for p in open_panel if p["finished_at"] is not None]
    assert 0 < len(finished) < len(open_panel)
    assert all(open_scores[p["id"]] == open_needs for p in finished)
    assert any(0 < open_scores[p["id"]] < open_needs for p in open_panel)
    assert any(open_scores[p["id"]] == 0 for p in open_panel)
    assert open_["result"] is None

    # The needs went through the real use cases: history for every need.
    with_history = {r["need"] for r in await NeedEvent.select(NeedEvent.need)}
    assert {n["id"] for n in needs} <= with_history

    # No free text anywhere holds a national ID number.
    texts = [
        value
        for n in needs
        for value in (n["title"], n["question"], n["background"], n["target_group"])
    ]
    texts += [d[f] for d in decisions for f in rounds.DECISION_TEXT]
    texts += [x["comment"] for x in await Score.select(Score.comment)]
    texts += [e["note"] for e in await NeedEndorsement.select(NeedEndorsement.note)]
    texts += [e["reason"] for e in await NeedEvent.select(NeedEvent.reason)]
    assert not [t for t in texts if contains_national_id(t)]

    # A second run changes nothing.
    before = await _counts()
    assert await demo.seed() is False
    assert await priorities_demo.seed_demo() is False
    assert await _counts() == before


async def test_demo_scores_are_reproducible(db) -> None:
    """The fixed seed gives the same closed-round ranking every time."""
    from klynge import demo
    from priorities.tables import Need, PriorityRound

    assert await demo.seed() is True
    closed = await PriorityRound.select().where(PriorityRound.status == "closed").first()
    titles = {r["id"]: r["title"] for r in await Need.select(Need.id, Need.title)}
    order = [titles[i["need_id"]] for i in sorted(_json(closed["result"]), key=lambda i: i["rank"])]
    assert order[0] == "Skolefravær og samarbeid mellom skole og barnevern"
    assert len(order) == len(set(order))


async def test_priorities_seed_needs_the_core_demo(db) -> None:
    from priorities import demo as priorities_demo
    from priorities.tables import Need

    assert await priorities_demo.seed_demo() is False
    assert await Need.count() == 0
