"""What matching stored, read back: a need's ranked groups (scoped to who asks), a
researcher's inbox of matched needs, and a cluster's latest run."""

from __future__ import annotations

from typing import Any

from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value
from klynge.errors import NotFound
from klynge.i18n import N_
from priorities import api as priorities
from projects import match_explain, proposals
from projects import schemas as s
from projects.tables import GroupPublication, Match, MatchRun


async def latest_run(cluster_id: int) -> dict[str, Any] | None:
    return (
        await MatchRun.select()
        .where(MatchRun.cluster == cluster_id, MatchRun.status == "done")
        .order_by(MatchRun.id, ascending=False)
        .first()
    )


async def _worded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows' explanations worded for the reader (one query for the exclusions)."""
    stored = [json_value(r["explanation"], {}) for r in rows]
    ids = match_explain.publication_ids(stored)
    excluded = {
        r["id"]
        for r in await GroupPublication.select(GroupPublication.id).where(
            GroupPublication.id.is_in(ids or [-1]),
            GroupPublication.included == False,  # noqa: E712
        )
    }
    return [match_explain.worded(e, excluded) for e in stored]


async def need_matches(actor: Principal, need_id: int) -> s.MatchList:
    """A need's stored matches: the adviser and the cluster see all; a researcher only sees
    the need when their group is among its matches, and then only their group's match."""
    need = await priorities.load_need(need_id)
    researcher_groups = sorted(actor.org_ids(Role.RESEARCHER))
    in_cluster = access.in_cluster(actor, need["cluster"])
    latest = (
        await Match.select(Match.run)
        .where(Match.need == need_id)
        .order_by(Match.run, ascending=False)
        .first()
    )
    run = await MatchRun.select().where(MatchRun.id == latest["run"]).first() if latest else None
    query = Match.select(
        Match.group,
        Match.rank,
        Match.score,
        Match.text_fit,
        Match.explanation,
        Match.group.name.as_alias("group_name"),
        Match.group.institution.as_alias("institution"),
    ).where(Match.need == need_id, Match.run == (run["id"] if run else -1))
    if not in_cluster:
        if not researcher_groups:
            raise NotFound(N_("We could not find the knowledge need."))
        query = query.where(Match.group.is_in(researcher_groups))
    rows = await query.order_by(Match.rank)
    if not in_cluster and not rows:
        raise NotFound(N_("We could not find the knowledge need."))
    answers = await proposals.interests([r["group"] for r in rows])
    explanations = await _worded(rows)
    return s.MatchList(
        need_id=need_id,
        run_id=run["id"] if run else None,
        computed_at=run["finished_at"] if run else None,
        matches=[
            s.MatchOut(
                group_id=r["group"],
                group_name=r["group_name"],
                institution=r["institution"],
                rank=r["rank"],
                score=r["score"],
                text_fit=r["text_fit"],
                explanation=explanation,
                interest=answers.get((need_id, r["group"])),
            )
            for r, explanation in zip(rows, explanations, strict=True)
        ],
    )


async def inbox(actor: Principal) -> list[dict[str, Any]]:
    """The researcher's matched needs: each (need, group) of their groups, best first."""
    groups = sorted(actor.org_ids(Role.RESEARCHER))
    if not groups:
        return []
    runs = {r["id"] for r in await MatchRun.select(MatchRun.id).where(MatchRun.status == "done")}
    rows = (
        await Match.select(
            Match.need,
            Match.group,
            Match.rank,
            Match.score,
            Match.explanation,
            Match.need.title.as_alias("need_title"),
            Match.need.question.as_alias("need_question"),
            Match.need.status.as_alias("need_status"),
            Match.group.name.as_alias("group_name"),
        )
        .where(Match.group.is_in(groups), Match.run.is_in(list(runs) or [-1]))
        .order_by(Match.score, ascending=False)
    )
    answers = await proposals.interests(groups)
    explanations = await _worded(rows)
    return [
        {**r, "explanation": explanation, "interest": answers.get((r["need"], r["group"]))}
        for r, explanation in zip(rows, explanations, strict=True)
    ]
