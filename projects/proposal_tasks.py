"""Proposals on the task list: the cluster's R&D adviser assesses each submitted proposal; the
proposing group's researchers revise one the adviser sent back for changes. One query (the
header's count: a COUNT of the same rows)."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.i18n import N_
from klynge.tasks import Task
from projects.tables import Proposal

ASSESS = N_("Assess the proposal «%(title)s» from «%(group)s»")
REVISE = N_("Revise the proposal «%(title)s» as the adviser asked")


def _where(actor: Principal) -> Any | None:
    advised = sorted(actor.org_ids(Role.ADVISER))
    groups = sorted(actor.org_ids(Role.RESEARCHER))
    if not advised and not groups:
        return None
    return ((Proposal.status == "submitted") & Proposal.cluster.is_in(advised or [-1])) | (
        (Proposal.status == "changes_requested") & Proposal.group.is_in(groups or [-1])
    )


async def proposal_count(actor: Principal) -> int:
    where = _where(actor)
    return 0 if where is None else int(await Proposal.count().where(where))


async def proposal_tasks(actor: Principal) -> list[Task]:
    where = _where(actor)
    if where is None:
        return []
    rows = await Proposal.select(
        Proposal.id,
        Proposal.title,
        Proposal.status,
        Proposal.cluster,
        Proposal.group,
        Proposal.group.name.as_alias("group_name"),
    ).where(where)
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
