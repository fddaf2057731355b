"""Use cases behind the proposal pages: what a proposal's page shows and may offer, and the
choices of the proposal form (groups, matched needs, member municipalities and services)."""

from __future__ import annotations

from typing import Any

from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.directory import cluster_services, member_municipalities, municipality_names
from klynge.orgs.tables import Service
from klynge.scoping import can_manage_cluster
from priorities import api as priorities
from projects import match_lists, proposals
from projects import schemas as s
from projects.paging import PAGE_SIZE, Page, pages_for
from projects.workspace import api as workspace


async def proposals_overview(
    actor: Principal, number: int, size: int = PAGE_SIZE
) -> dict[str, Any]:
    """The proposals page: a page of the proposals the actor may see, and their projects."""
    total = await proposals.count_proposals(actor)
    number = min(number, pages_for(total, size))
    items = await proposals.list_proposals(actor, limit=size, offset=(number - 1) * size)
    return {
        "proposals": Page(items, number, pages_for(total, size), total),
        "projects": await workspace.list_projects(actor),
        "may_propose": bool(actor.org_ids(Role.RESEARCHER)),
    }


def may_revise(actor: Principal, out: s.ProposalOut) -> bool:
    """The group's researchers may revise a proposal the adviser sent back for changes."""
    return out.status == "changes_requested" and access.holds(actor, Role.RESEARCHER, out.group_id)


def may_review(actor: Principal, out: s.ProposalOut) -> bool:
    """A cluster's managers review proposals still waiting for a decision."""
    return can_manage_cluster(actor, out.cluster_id) and out.status == "submitted"


async def service_names(ids: list[int]) -> dict[int, str]:
    # The organisations directory has no service lookup by id yet (asked of the core).
    rows = await Service.select(Service.id, Service.name).where(Service.id.is_in(ids or [-1]))
    return {r["id"]: r["name"] for r in rows}


async def form_choices(actor: Principal, need_ids: list[int]) -> dict[str, Any]:
    """The choices of the form: the caller's groups and needs matched to them, and the member
    municipalities and services of the needs' clusters."""
    inbox = [r for r in await match_lists.inbox(actor) if r["interest"] != "declined"]
    own = sorted(actor.org_ids(Role.RESEARCHER))
    group_names = {r["group"]: r["group_name"] for r in inbox}
    groups = [(g, group_names.get(g, str(g))) for g in own if g in group_names]
    choices: dict[int, str] = {}
    for r in inbox:
        choices.setdefault(r["need"], r["need_title"])
    for need_id, title in (await priorities.need_titles(need_ids)).items():
        choices.setdefault(need_id, title)
    clusters = sorted(set((await priorities.need_clusters(list(choices))).values()))
    municipalities: list[tuple[int, str]] = []
    services: list[dict[str, Any]] = []
    for cluster_id in clusters:
        municipalities += await member_municipalities(cluster_id)
        services += await cluster_services(cluster_id)
    return {
        "group_choices": groups,
        "need_choices": list(choices.items()),
        "municipality_choices": municipalities,
        "service_choices": services,
        "method_choices": list(s.Method),
        "ethics_choices": list(s.Ethics),
    }


async def proposal_detail(actor: Principal, proposal_id: int) -> dict[str, Any]:
    """A proposal with the names its page shows, what the actor may do with it, and (when the
    actor may revise it) the form's choices."""
    out = await proposals.get_proposal(actor, proposal_id)
    codesign = out.codesign or {}
    revise = may_revise(actor, out)
    return {
        "proposal": out,
        "may_revise": revise,
        "manager": may_review(actor, out),
        "need_titles": await priorities.need_titles(out.need_ids),
        "municipality_names": await municipality_names(list(codesign.get("municipality_ids", []))),
        "service_names": await service_names(list(codesign.get("service_ids", []))),
        "context": await form_choices(actor, out.need_ids) if revise else {},
    }
