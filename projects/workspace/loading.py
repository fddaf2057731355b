"""Loads a project's access facts (two queries) and decides the caller's access; every workspace
use case starts here."""

from __future__ import annotations

from klynge.auth.principal import Principal
from klynge.db import json_value
from klynge.errors import NotFound
from projects.tables import Project
from projects.workspace.access import NOT_FOUND, Access, ProjectFacts, decide
from projects.workspace.tables import Participant


async def load_facts(project_id: int) -> ProjectFacts | None:
    row = await (
        Project.select(
            Project.id,
            Project.cluster,
            Project.status,
            Project.is_public,
            Project.leader,
            Project.group,
            Project.funder_ids,
        )
        .where(Project.id == project_id)
        .first()
    )
    if row is None:
        return None
    people = await Participant.select(
        Participant.kind,
        Participant.group,
        Participant.municipality,
        Participant.service,
        Participant.account,
    ).where((Participant.project == project_id) & (Participant.status == "active"))
    groups = {row["group"]} | {p["group"] for p in people if p["group"]}
    return ProjectFacts(
        project_id=project_id,
        cluster_id=row["cluster"],
        status=row["status"],
        is_public=bool(row["is_public"]),
        leader_id=row["leader"],
        group_ids=frozenset(groups),
        municipality_ids=frozenset(p["municipality"] for p in people if p["municipality"]),
        service_ids=frozenset(p["service"] for p in people if p["service"]),
        participant_accounts=frozenset(p["account"] for p in people if p["account"]),
        funder_ids=frozenset(int(f) for f in json_value(row["funder_ids"], [])),
    )


async def load_access(actor: Principal | None, project_id: int) -> Access:
    """The caller's access to the project; 404 if it does not exist or is invisible to them
    (a public project is visible to everyone, as its public summary only)."""
    facts = await load_facts(project_id)
    if facts is None:
        raise NotFound(NOT_FOUND)
    access = decide(actor, facts)
    if not (access.see or access.public_only):
        raise NotFound(NOT_FOUND)
    return access


async def project_cluster(project_id: int) -> int | None:
    row = await Project.select(Project.cluster).where(Project.id == project_id).first()
    return None if row is None else int(row["cluster"])
