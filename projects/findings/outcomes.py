"""Outcomes of a project: the project leader and the adviser record, edit and delete (drafts
only) them; the team reads drafts; a published outcome is read by those who see the project or
received it, a public one by anyone. Every change audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Conflict, Invalid
from klynge.i18n import N_
from literature import api as literature
from projects.findings import citations
from projects.findings.access import OutcomeAccess, require_manage
from projects.findings.loading import is_recipient, load_outcome_access
from projects.findings.outcome_store import files_of, outcome_row, public_out, to_out
from projects.findings.outcomes_rules import validate
from projects.findings.outcomes_schemas import OutcomeCreate, OutcomeOut, OutcomeUpdate
from projects.findings.tables import Outcome
from projects.workspace import api as workspace

EDITABLE = (
    "kind", "title", "summary", "summary_language", "summary_en", "practice", "evidence_type",
    "evidence_note", "doi", "is_public",
)  # fmt: skip
EVIDENCE_TYPES = frozenset(t.value for t in literature.EvidenceType)


def _check(values: dict[str, Any]) -> None:
    errors = validate(values, EVIDENCE_TYPES)
    if errors:
        raise Invalid(N_("The outcome cannot be saved."), errors)


def _links(data: OutcomeCreate | OutcomeUpdate) -> list[dict[str, str]] | None:
    if data.links is None:
        return None
    return [{"title": link.title.strip(), "url": link.url.strip()} for link in data.links]


async def create_outcome(actor: Principal, project_id: int, data: OutcomeCreate) -> OutcomeOut:
    """The project leader or adviser records an outcome (a draft)."""
    project = await workspace.load_access(actor, project_id)
    workspace.require_manage(project)
    values: dict[str, Any] = {name: getattr(data, name) for name in EDITABLE}
    values["title"] = data.title.strip()
    values["links"] = _links(data) or []
    values["doi"], values["citation"] = await citations.resolve(
        project.cluster_id, data.doi, data.citation_text, {}
    )
    _check(values)
    async with transaction():
        created = await Outcome.insert(
            Outcome(
                project=project_id,
                cluster=project.cluster_id,
                created_by=actor.account_id,
                status="draft",
                **values,
            )
        ).returning(Outcome.id)
        row = await outcome_row(int(created[0]["id"]))
        await audit.record(
            actor, "projects.outcome.create", "project_outcome", row["id"],
            cluster_id=project.cluster_id, after=row,
        )  # fmt: skip
    return to_out(row)


def visible(access: workspace.Access, row: dict[str, Any]) -> bool:
    """May someone with this access to the project see the outcome in its list?"""
    if access.edit or access.manage:
        return True
    if row["status"] != "published":
        return False
    return access.see or bool(row["is_public"])


async def list_outcomes(actor: Principal | None, project_id: int) -> list[OutcomeOut]:
    """The project's outcomes the caller may read (the public ones only for the public)."""
    project = await workspace.load_access(actor, project_id)
    rows = await Outcome.select().where(Outcome.project == project_id).order_by(Outcome.id)
    shown = [r for r in rows if visible(project, r)]
    if not project.see:
        return [public_out(r) for r in shown]
    files = await files_of([r["id"] for r in shown])
    return [to_out(r, files.get(r["id"], [])) for r in shown]


async def public_only(actor: Principal | None, access: OutcomeAccess) -> bool:
    """Does the caller read the outcome only because it is public (neither sees the project
    nor received it)? They get the public view: no attachments, nothing the guard warns of."""
    if actor is None:
        return True
    return not access.project.see and not await is_recipient(actor, access.outcome_id)


async def read_outcome(
    actor: Principal | None, outcome_id: int
) -> tuple[OutcomeAccess, OutcomeOut]:
    """The outcome and the caller's access; the public get the public view."""
    access = await load_outcome_access(actor, outcome_id)
    row = await outcome_row(outcome_id)
    if await public_only(actor, access):
        return access, public_out(row)
    files = await files_of([outcome_id])
    return access, to_out(row, files.get(outcome_id, []))


async def get_outcome(actor: Principal | None, outcome_id: int) -> OutcomeOut:
    return (await read_outcome(actor, outcome_id))[1]


async def update_outcome(actor: Principal, outcome_id: int, data: OutcomeUpdate) -> OutcomeOut:
    access = await load_outcome_access(actor, outcome_id)
    require_manage(access)
    before = await outcome_row(outcome_id)
    changes: dict[str, Any] = {
        name: getattr(data, name) for name in EDITABLE if getattr(data, name) is not None
    }
    if data.links is not None:
        changes["links"] = _links(data)
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    doi = changes.get("doi", before["doi"])
    citation = {} if "doi" in changes and doi != before["doi"] else before["citation"]
    changes["doi"], changes["citation"] = await citations.resolve(
        access.facts.cluster_id, doi, data.citation_text or "", citation
    )
    _check(before | changes)
    async with transaction():
        await Outcome.update(
            {getattr(Outcome, k): v for k, v in changes.items()}
            | {Outcome.updated_at: dt.datetime.now(dt.UTC)}
        ).where(Outcome.id == outcome_id)
        row = await outcome_row(outcome_id)
        await audit.record(
            actor, "projects.outcome.update", "project_outcome", outcome_id,
            cluster_id=access.facts.cluster_id, before=before, after=row,
        )  # fmt: skip
    files = await files_of([outcome_id])
    return to_out(row, files.get(outcome_id, []))


async def delete_outcome(actor: Principal, outcome_id: int) -> int:
    """Delete a draft (a published outcome has been delivered: it stays). Returns the project."""
    access = await load_outcome_access(actor, outcome_id)
    require_manage(access)
    async with transaction():
        row = await outcome_row(outcome_id)
        if row["status"] != "draft":
            raise Conflict(N_("Only a draft can be deleted."))
        await Outcome.delete().where(Outcome.id == outcome_id)
        await audit.record(
            actor, "projects.outcome.delete", "project_outcome", outcome_id,
            cluster_id=access.facts.cluster_id, before=row,
        )  # fmt: skip
    return int(row["project"])
