"""What a grant application needs to know about its project: how many research groups,
municipalities and user representatives take part, and the approvals checklist as
{kind: (required, status)} (the condition engine's facts; plain data, no access check)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from klynge.db import json_value
from projects.tables import Project
from projects.workspace.tables import Approval, Participant


@dataclass(frozen=True, slots=True)
class GrantFacts:
    research_groups: int = 0
    municipalities: int = 0
    user_representatives: int = 0
    approvals: Mapping[str, tuple[bool | None, str]] = field(default_factory=dict)


async def grant_facts(project_id: int) -> GrantFacts:
    """The counts of active participants (the project's own research group and municipalities
    count too) and the approvals checklist of the project."""
    project = await (
        Project.select(Project.group, Project.municipality_ids)
        .where(Project.id == project_id)
        .first()
    )
    if project is None:
        return GrantFacts()
    rows = await Participant.select(
        Participant.kind, Participant.group, Participant.municipality, Participant.id
    ).where((Participant.project == project_id) & (Participant.status == "active"))
    groups = {project["group"]} | {r["group"] for r in rows if r["kind"] == "research_group"}
    munis = {int(m) for m in json_value(project["municipality_ids"], [])}
    munis |= {r["municipality"] for r in rows if r["kind"] == "municipality"}
    users = sum(1 for r in rows if r["kind"] == "user_representative")
    approvals = await Approval.select(Approval.kind, Approval.required, Approval.status).where(
        Approval.project == project_id
    )
    return GrantFacts(
        research_groups=len(groups - {None}),
        municipalities=len(munis - {None}),
        user_representatives=users,
        approvals={
            a["kind"]: (None if a["required"] is None else bool(a["required"]), a["status"])
            for a in approvals
        },
    )
