"""Loads the facts of calls and applications and decides the caller's access (404 for those
who may not see them)."""

from __future__ import annotations

from klynge.auth.principal import Principal
from klynge.errors import NotFound
from projects.grants.access import (
    NO_APPLICATION,
    NO_CALL,
    ApplicationAccess,
    ApplicationFacts,
    CallAccess,
    CallFacts,
    decide_application,
    decide_call,
)
from projects.grants.tables import Application, Call
from projects.workspace import api as workspace


async def load_call_access(actor: Principal | None, call_id: int) -> CallAccess:
    row = await (
        Call.select(Call.id, Call.funder, Call.status, Call.is_public)
        .where(Call.id == call_id)
        .first()
    )
    if row is None:
        raise NotFound(NO_CALL)
    access = decide_call(
        actor, CallFacts(row["id"], row["funder"], row["status"], bool(row["is_public"]))
    )
    if not access.see:
        raise NotFound(NO_CALL)
    return access


async def load_application_access(
    actor: Principal | None, application_id: int
) -> ApplicationAccess:
    row = await (
        Application.select(
            Application.id,
            Application.call,
            Application.call.funder.as_alias("funder"),
            Application.project,
            Application.cluster,
            Application.status,
        )
        .where(Application.id == application_id)
        .first()
    )
    if row is None:
        raise NotFound(NO_APPLICATION)
    facts = ApplicationFacts(
        row["id"], row["call"], row["funder"], row["project"], row["cluster"], row["status"]
    )
    project_facts = await workspace.load_facts(facts.project_id)
    if project_facts is None:  # pragma: no cover - the project's row cascades to the application
        raise NotFound(NO_APPLICATION)
    access = decide_application(actor, facts, workspace.decide(actor, project_facts))
    if not access.see:
        raise NotFound(NO_APPLICATION)
    return access


async def link_funder(project_id: int, funder_id: int) -> None:
    """Let the funder read the project (an application to its call was submitted)."""
    await workspace.add_project_funder(project_id, funder_id)
