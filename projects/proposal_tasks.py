"""Proposals on the task list: the cluster's R&D adviser assesses each submitted proposal; the
proposing group's researchers revise one the adviser sent back for changes. One query."""

from __future__ import annotations

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.i18n import N_
from klynge.tasks import Task
from projects.tables import Proposal

ASSESS = N_("Assess the proposal «%(title)s» from «%(group)s»")
REVISE = N_("Revise the proposal «%(title)s» as the adviser asked")


async def proposal_tasks(actor: Principal) -> list[Task]:
    advised = sorted(actor.org_ids(Role.ADVISER))
    groups = sorted(actor.org_ids(Role.RESEARCHER))
    if not advised and not groups:
        return []
    rows = await Proposal.select(
        Proposal.id,
        Proposal.title,
        Proposal.status,
        Proposal.cluster,
        Proposal.group,
        Proposal.group.name.as_alias("group_name"),
    ).where(
        ((Proposal.status == "submitted") & Proposal.cluster.is_in(advised or [-1]))
        | ((Proposal.status == "changes_requested") & Proposal.group.is_in(groups or [-1]))
    )
    return [
        Task(
            "projects.proposal_assess"
            if r["status"] == "submitted"
            else "projects.proposal_revise",
            ASSESS if r["status"] == "submitted" else REVISE,
            r["title"],
            f"/forslag/{r['id']}#vurdering"
            if r["status"] == "submitted"
            else f"/forslag/{r['id']}#revider",
            params={"title": r["title"], "group": r["group_name"]},
        )
        for r in rows
    ]
