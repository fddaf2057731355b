"""The researchers' side: interest in a matched need (or a reasoned decline), project
proposals for one or more needs, the adviser's review, and the Project an accepted proposal
creates. The services that asked are told through in-app notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from klynge import audit
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.i18n import N_
from klynge.orgs import service as orgs
from klynge.orgs.tables import ClusterMembership, ResearchGroup, Service
from klynge.scoping import can_manage_cluster
from priorities import api as priorities
from projects import handoffs
from projects import schemas as s
from projects.proposal_access import load_proposal, visible_where
from projects.tables import Interest, Match, Project, Proposal
from projects.workspace import api as workspace


def _ensure_researcher(actor: Principal, group_id: int) -> None:
    if not access.holds(actor, Role.RESEARCHER, group_id):
        raise Forbidden(N_("Only the group's researchers can answer for the group."))


async def group_sees_need(group_id: int, need_id: int) -> bool:
    """A group sees a need once matching has stored it among the group's matches."""
    return await Match.exists().where(Match.group == group_id, Match.need == need_id)


async def _need_for_group(actor: Principal, group_id: int, need_id: int) -> dict[str, Any]:
    _ensure_researcher(actor, group_id)
    if not actor.is_admin and not await group_sees_need(group_id, need_id):
        raise NotFound(N_("We could not find the knowledge need."))
    return await priorities.load_need(need_id)


async def set_interest(actor: Principal, need_id: int, data: s.InterestIn) -> dict[str, Any]:
    need = await _need_for_group(actor, data.group_id, need_id)
    reason = data.reason.strip()
    if not data.interested and not reason:
        raise Invalid(
            N_("Give a reason for declining."),
            [FieldError("reason", N_("Write why the group declines."))],
        )
    orgs.guard_text({"reason": reason})
    async with transaction():
        await Interest.delete().where(Interest.need == need_id, Interest.group == data.group_id)
        await Interest.insert(
            Interest(
                need=need_id,
                group=data.group_id,
                status="interested" if data.interested else "declined",
                reason=reason,
                account=actor.account_id,
            )
        )
        await audit.record(
            actor,
            "match.interest" if data.interested else "match.decline",
            "need",
            need_id,
            cluster_id=need["cluster"],
            after={"group": data.group_id, "reason": reason},
        )
    return {
        "need_id": need_id,
        "group_id": data.group_id,
        "status": "interested" if data.interested else "declined",
    }


async def interests(group_ids: list[int]) -> dict[tuple[int, int], str]:
    rows = await Interest.select(Interest.need, Interest.group, Interest.status).where(
        Interest.group.is_in(group_ids or [-1])
    )
    return {(r["need"], r["group"]): r["status"] for r in rows}


async def _validate(actor: Principal, data: s.ProposalIn) -> tuple[int, list[dict[str, Any]]]:
    errors: list[FieldError] = []
    rows = []
    for i, need_id in enumerate(dict.fromkeys(data.need_ids)):
        try:
            rows.append(await _need_for_group(actor, data.group_id, need_id))
        except NotFound:
            errors.append(FieldError(f"need_ids.{i}", N_("The need is not matched to the group.")))
    clusters = {r["cluster"] for r in rows}
    if len(clusters) > 1:
        errors.append(FieldError("need_ids", N_("All needs must belong to the same cluster.")))
    if data.start and data.end and data.end < data.start:
        errors.append(FieldError("end", N_("The end date must be after the start date.")))
    if errors:
        raise Invalid(N_("The proposal cannot be submitted."), errors)
    cluster_id = clusters.pop()
    members = {
        r["municipality"]
        for r in await ClusterMembership.select(ClusterMembership.municipality).where(
            ClusterMembership.cluster == cluster_id, ClusterMembership.status == "member"
        )
    }
    for i, muni in enumerate(data.codesign.municipality_ids):
        if muni not in members:
            errors.append(
                FieldError(
                    f"codesign.municipality_ids.{i}",
                    N_("The municipality is not a member of the cluster."),
                )
            )
    if data.codesign.service_ids:
        services = await Service.select(Service.id, Service.municipality).where(
            Service.id.is_in(data.codesign.service_ids)
        )
        known = {r["id"]: r["municipality"] for r in services}
        for i, service_id in enumerate(data.codesign.service_ids):
            if known.get(service_id) not in members:
                errors.append(
                    FieldError(
                        f"codesign.service_ids.{i}", N_("The service is not in the cluster.")
                    )
                )
    if errors:
        raise Invalid(N_("The proposal cannot be submitted."), errors)
    orgs.guard_text(
        {
            "title": data.title,
            "aims": data.aims,
            "research_questions": data.research_questions,
            "design": data.design,
            "codesign.user_representatives": data.codesign.user_representatives,
            "codesign.how": data.codesign.how,
            "ethics_note": data.ethics_note,
            "timeline": data.timeline,
        }
    )
    return cluster_id, rows


def _codesign(data: s.ProposalIn) -> dict[str, Any]:
    return {
        "municipality_ids": list(dict.fromkeys(data.codesign.municipality_ids)),
        "service_ids": list(dict.fromkeys(data.codesign.service_ids)),
        "user_representatives": data.codesign.user_representatives,
        "how": data.codesign.how,
    }


async def create_proposal(actor: Principal, data: s.ProposalIn) -> s.ProposalOut:
    cluster_id, rows = await _validate(actor, data)
    async with transaction():
        inserted = await Proposal.insert(
            Proposal(
                cluster=cluster_id,
                group=data.group_id,
                need_ids=[r["id"] for r in rows],
                title=data.title.strip(),
                aims=data.aims,
                research_questions=data.research_questions,
                design=data.design,
                methods=[m.value for m in data.methods],
                codesign=_codesign(data),
                ethics=[e.value for e in dict.fromkeys(data.ethics)],
                ethics_note=data.ethics_note,
                budget_nok=data.budget_nok,
                start=data.start,
                end=data.end,
                timeline=data.timeline,
                created_by=actor.account_id,
            )
        ).returning(Proposal.id)
        proposal_id = int(inserted[0]["id"])
        for need in rows:
            await Interest.delete().where(
                Interest.need == need["id"], Interest.group == data.group_id
            )
            await Interest.insert(
                Interest(
                    need=need["id"],
                    group=data.group_id,
                    status="interested",
                    account=actor.account_id,
                )
            )
        await audit.record(
            actor,
            "proposal.create",
            "proposal",
            proposal_id,
            cluster_id=cluster_id,
            after={"group": data.group_id, "needs": [r["id"] for r in rows], "title": data.title},
        )
        await handoffs.notify_submitted(
            {
                "id": proposal_id,
                "cluster": cluster_id,
                "group": data.group_id,
                "title": data.title.strip(),
                "need_ids": [r["id"] for r in rows],
            }
        )
    return await get_proposal(actor, proposal_id)


async def resubmit(actor: Principal, proposal_id: int, data: s.ProposalIn) -> s.ProposalOut:
    """A revised proposal after "ask for changes"."""
    row = await load_proposal(actor, proposal_id)
    _ensure_researcher(actor, row["group"])
    if row["status"] != "changes_requested":
        raise Conflict(N_("Only a proposal with requested changes can be resubmitted."))
    if data.group_id != row["group"]:
        raise Invalid(
            N_("Wrong group."),
            [FieldError("group_id", N_("The proposal belongs to another group."))],
        )
    _, rows = await _validate(actor, data)
    async with transaction():
        await Proposal.update(
            {
                Proposal.need_ids: [r["id"] for r in rows],
                Proposal.title: data.title.strip(),
                Proposal.aims: data.aims,
                Proposal.research_questions: data.research_questions,
                Proposal.design: data.design,
                Proposal.methods: [m.value for m in data.methods],
                Proposal.codesign: _codesign(data),
                Proposal.ethics: [e.value for e in dict.fromkeys(data.ethics)],
                Proposal.ethics_note: data.ethics_note,
                Proposal.budget_nok: data.budget_nok,
                Proposal.start: data.start,
                Proposal.end: data.end,
                Proposal.timeline: data.timeline,
                Proposal.status: "submitted",
                Proposal.updated_at: dt.datetime.now(dt.UTC),
            }
        ).where(Proposal.id == proposal_id)
        await audit.record(
            actor, "proposal.resubmit", "proposal", proposal_id, cluster_id=row["cluster"]
        )
        revised = {**row, "title": data.title.strip(), "need_ids": [r["id"] for r in rows]}
        await handoffs.notify_submitted(revised, kind="proposal_resubmitted")
    return await get_proposal(actor, proposal_id)


async def _proposal_outs(rows: Sequence[Mapping[str, Any]]) -> list[s.ProposalOut]:
    """Proposals with their group's name and project: two queries for any number of rows."""
    ids = [r["id"] for r in rows]
    names = {
        r["id"]: r["name"]
        for r in await ResearchGroup.select(ResearchGroup.id, ResearchGroup.name).where(
            ResearchGroup.id.is_in(sorted({r["group"] for r in rows}) or [-1])
        )
    }
    projects = {
        r["proposal"]: r["id"]
        for r in await Project.select(Project.id, Project.proposal).where(
            Project.proposal.is_in(ids or [-1])
        )
    }
    return [_proposal_out(r, names.get(r["group"], ""), projects.get(r["id"])) for r in rows]


def _proposal_out(row: Mapping[str, Any], group_name: str, project_id: int | None) -> s.ProposalOut:
    return s.ProposalOut(
        id=row["id"],
        cluster_id=row["cluster"],
        group_id=row["group"],
        group_name=group_name,
        need_ids=[int(i) for i in json_value(row["need_ids"], [])],
        title=row["title"],
        aims=row["aims"],
        research_questions=row["research_questions"],
        design=row["design"],
        methods=json_value(row["methods"], []),
        codesign=json_value(row["codesign"], {}),
        ethics=json_value(row["ethics"], []),
        ethics_note=row["ethics_note"],
        budget_nok=row["budget_nok"],
        start=row["start"],
        end=row["end"],
        timeline=row["timeline"],
        status=row["status"],
        review_reason=row["review_reason"],
        project_id=project_id,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


async def get_proposal(actor: Principal, proposal_id: int) -> s.ProposalOut:
    return (await _proposal_outs([await load_proposal(actor, proposal_id)]))[0]


async def list_proposals(
    actor: Principal,
    *,
    cluster_id: int | None = None,
    group_id: int | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[s.ProposalOut]:
    """A page of the proposals the actor may see, newest first (three queries)."""
    query = Proposal.select().order_by(Proposal.id, ascending=False)
    for condition in await visible_where(actor, cluster_id, group_id):
        query = query.where(condition)
    return await _proposal_outs(await query.limit(limit).offset(offset))


async def count_proposals(
    actor: Principal, *, cluster_id: int | None = None, group_id: int | None = None
) -> int:
    query = Proposal.count()
    for condition in await visible_where(actor, cluster_id, group_id):
        query = query.where(condition)
    return await query


_REVIEW = {"accept": "accepted", "changes": "changes_requested", "decline": "declined"}


async def review(actor: Principal, proposal_id: int, data: s.ReviewIn) -> s.ProposalOut:
    """Accept (creates a planned Project, moves the needs to "matched" and tells the services
    that asked), ask for changes, or decline — changes and declines need a reason."""
    async with transaction():
        row = await load_proposal(actor, proposal_id)
        if not can_manage_cluster(actor, row["cluster"]):
            raise Forbidden(N_("Only the cluster's R&D adviser can review proposals."))
        if row["status"] != "submitted":
            raise Conflict(
                N_("The proposal has status «%(status)s» and cannot be reviewed now."),
                params={"status": row["status"]},
            )
        reason = data.reason.strip()
        if data.decision != "accept" and not reason:
            raise Invalid(
                N_("Give a reason for the decision."), [FieldError("reason", N_("Write a reason."))]
            )
        orgs.guard_text({"reason": reason})
        status = _REVIEW[data.decision]
        await Proposal.update(
            {
                Proposal.status: status,
                Proposal.review_reason: reason,
                Proposal.reviewed_by: actor.account_id,
                Proposal.reviewed_at: dt.datetime.now(dt.UTC),
                Proposal.updated_at: dt.datetime.now(dt.UTC),
            }
        ).where(Proposal.id == proposal_id, Proposal.status == "submitted")
        project_id = None
        if data.decision == "accept":
            project_id = await workspace.create_project(actor, row)
        await handoffs.notify_decided(row, status, project_id)
        await audit.record(
            actor,
            f"proposal.{status}",
            "proposal",
            proposal_id,
            cluster_id=row["cluster"],
            before={"status": row["status"]},
            after={"status": status, "reason": reason},
        )
    return await get_proposal(actor, proposal_id)
