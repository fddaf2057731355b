"""The export use case: a closed round as an Excel workbook (built by priorities.export)."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.errors import Forbidden
from klynge.i18n import N_
from klynge.orgs.tables import Cluster, Municipality
from klynge.scoping import can_manage_cluster
from priorities import schemas as s
from priorities.export import ExportNeed, ExportScore, RoundExport, build_round_workbook
from priorities.round_read import decisions_of, load_visible, ranking
from priorities.round_rules import DECISION_TEXT
from priorities.tables import RoundRater, Score


def _need(i: s.RankingItem, decision: dict[str, Any] | None) -> ExportNeed:
    return ExportNeed(
        need_id=i.need_id,
        rank=i.rank,
        title=i.title,
        score=i.score,
        criteria=i.criteria,
        agreement=i.agreement,
        aea=i.aea,
        rank_min=i.rank_min,
        rank_max=i.rank_max,
        unstable=i.unstable,
        raters=i.raters,
        blanks=i.blanks,
        group_scores=i.group_scores,
        decision=i.decision,
        justification=i.justification,
        departs_reason=decision["departs_reason"] if decision else "",
    )


async def _scores(round_id: int, pseudonymise: bool, titles: dict[int, str]) -> list[ExportScore]:
    raters = (
        await RoundRater.select(RoundRater.all_columns(), RoundRater.account.name)
        .where(RoundRater.round == round_id)
        .order_by(RoundRater.id)
    )
    munis = {
        r["id"]: r["name"] for r in await Municipality.select(Municipality.id, Municipality.name)
    }
    labels = {
        r["id"]: (f"Panelist {i}" if pseudonymise else r["account.name"])
        for i, r in enumerate(raters, start=1)
    }
    by_rater = {r["id"]: r for r in raters}
    scores = await Score.select().where(Score.round == round_id).order_by(Score.rater)
    return [
        ExportScore(
            rater_label=labels[x["rater"]],
            group=by_rater[x["rater"]]["stakeholder_group"],
            municipality=munis.get(by_rater[x["rater"]]["municipality"], ""),
            need_id=x["need"],
            need_title=titles.get(x["need"], ""),
            nytte=x["nytte"] or None,
            alvorlighet=x["alvorlighet"] or None,
            ressurs=x["ressurs"] or None,
            comment=x["comment"],
        )
        for x in scores
    ]


async def export_xlsx(actor: Principal, round_id: int) -> tuple[str, bytes]:
    row = await load_visible(actor, round_id)
    if not can_manage_cluster(actor, row["cluster"]):
        raise Forbidden(N_("Only the cluster's R&D adviser can export the round."))
    ranked = await ranking(actor, round_id)
    cluster = await Cluster.select(Cluster.name).where(Cluster.id == row["cluster"]).first()
    titles = {i.need_id: i.title for i in ranked.items}
    decisions = await decisions_of(round_id)
    scores = await _scores(round_id, bool(row["pseudonymise"]), titles)
    export = RoundExport(
        round_name=row["name"],
        cluster_name=cluster["name"] if cluster else "",
        closed_at=row["closed_at"],
        weights=ranked.weights,
        weighting=ranked.weighting,
        group_labels={g.value: g.value for g in s.StakeholderGroup},
        needs=[_need(i, decisions.get(i.need_id)) for i in ranked.items],
        scores=scores,
        decisions_fields=[
            {
                "need_id": str(d["need"]),
                "decision": d["decision"],
                **{f: d[f] for f in DECISION_TEXT},
            }
            for d in decisions.values()
        ],
    )
    filename = f"prioriteringsrunde-{round_id}.xlsx"
    return filename, build_round_workbook(export)
