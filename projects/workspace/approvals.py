"""The approvals checklist of a project: seeded from the catalogue when the project is created,
updated by the team (status, reference, date, document) and decided by the adviser (required or
not, with a reason); and the project page's section with the status box."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit
from klynge.apps import Section
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.errors import FieldError, Invalid, NotFound, translate
from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.views.common import Form
from projects.tables import Project
from projects.workspace import approvals_rules as rules
from projects.workspace import transitions
from projects.workspace.access import Access, require_advise, require_edit, require_see
from projects.workspace.approvals_schemas import (
    ApprovalCreate,
    ApprovalOut,
    ApprovalUpdate,
    ChecklistOut,
    MissingOut,
    Required,
)
from projects.workspace.loading import load_access
from projects.workspace.tables import Approval, ProjectDocument

NO_ITEM = N_("No such item in the approvals checklist.")
REASON_NEEDED = N_("Write why the item is or is not required.")
NOT_A_DOCUMENT = N_("Choose one of the project's documents.")
REQUIRED: dict[Required, bool | None] = {
    Required.YES: True,
    Required.NO: False,
    Required.UNDECIDED: None,
}
REQUIRED_LABELS: dict[Required, str] = {
    Required.UNDECIDED: N_("Not decided"),
    Required.YES: N_("Yes"),
    Required.NO: N_("No"),
}
TEAM_FIELDS = ("status", "reference", "decided_on", "document_id")


async def on_project_created(project_id: int) -> None:
    """Seed the checklist of a new project from the catalogue; the items its proposal named
    under "ethics and approvals" start as required. Runs in the caller's transaction; a
    project that already has a checklist is left alone."""
    if await Approval.exists().where(Approval.project == project_id):
        return
    project = await (
        Project.select(Project.cluster, Project.proposal.ethics)
        .where(Project.id == project_id)
        .first()
    )
    if project is None:
        return
    named = rules.required_by_proposal(json_value(project["proposal.ethics"], []))
    rows = [
        Approval(
            project=project_id,
            kind=kind.value,
            required=True if kind in named else None,
            required_reason=rules.NAMED_IN_PROPOSAL if kind in named else "",
        )
        for kind, _name, _help in rules.CATALOGUE
    ]
    await Approval.insert(*rows)
    await audit.record(
        None,
        "approvals.seeded",
        "project",
        project_id,
        cluster_id=project["cluster"],
        after={"required": sorted(k.value for k in named)},
    )


async def _rows(project_id: int) -> list[dict[str, Any]]:
    return list(await Approval.select().where(Approval.project == project_id).order_by(Approval.id))


async def _documents(project_id: int) -> dict[int, str]:
    rows = await (
        ProjectDocument.select(ProjectDocument.id, ProjectDocument.filename)
        .where(ProjectDocument.project == project_id)
        .order_by(ProjectDocument.id)
    )
    return {int(r["id"]): r["filename"] for r in rows}


def _item(row: dict[str, Any]) -> rules.Item:
    return rules.Item(row["kind"], row["required"], row["status"], row["label"])


def _out(row: dict[str, Any], documents: dict[int, str]) -> ApprovalOut:
    name, is_msgid = rules.name_of(_item(row))
    reason = row["required_reason"]
    help_text = rules.HELP.get(row["kind"], "")
    return ApprovalOut(
        id=row["id"],
        kind=row["kind"],
        name=_(name) if is_msgid else name,
        help=_(help_text) if help_text else "",
        required=None if row["required"] is None else bool(row["required"]),
        required_reason=_(reason) if reason == rules.NAMED_IN_PROPOSAL else reason,
        status=row["status"],
        reference=row["reference"],
        decided_on=row["decided_on"],
        document_id=row["document"],
        document_name=documents.get(row["document"] or 0, ""),
        updated_at=row["updated_at"],
    )


def _missing(rows: list[dict[str, Any]]) -> list[MissingOut]:
    found = rules.missing(_item(r) for r in rows)
    return [
        MissingOut(
            code=f"approval-{m.problem}:{m.kind}",
            message=translate(m.message, {"item": _(m.item) if m.item_is_msgid else m.item}),
        )
        for m in found
    ]


async def checklist(actor: Principal | None, project_id: int) -> ChecklistOut:
    access = await load_access(actor, project_id)
    require_see(access)
    rows = await _rows(project_id)
    documents = await _documents(project_id)
    return ChecklistOut(
        project_id=project_id,
        project_status=access.facts.status,
        items=[_out(r, documents) for r in rows],
        missing=_missing(rows),
    )


def _changes(data: ApprovalUpdate, documents: dict[int, str]) -> dict[str, Any]:
    """The columns to set (by name) from an update; raises Invalid on a bad combination."""
    changes: dict[str, Any] = {}
    if data.required is not None:
        reason = (data.required_reason or "").strip()
        if data.required is not Required.UNDECIDED and not reason:
            raise Invalid(REASON_NEEDED, [FieldError("required_reason", REASON_NEEDED)])
        changes["required"] = REQUIRED[data.required]
        changes["required_reason"] = reason
    elif data.required_reason is not None and data.required_reason.strip():
        changes["required_reason"] = data.required_reason.strip()
    if data.status is not None:
        changes["status"] = data.status.value
    if data.reference is not None:
        changes["reference"] = data.reference.strip()
    if data.decided_on is not None:
        changes["decided_on"] = data.decided_on
    if data.document_id is not None:
        if data.document_id not in documents:
            raise Invalid(NOT_A_DOCUMENT, [FieldError("document_id", NOT_A_DOCUMENT)])
        changes["document"] = data.document_id
    for name in data.clear:
        changes["document" if name == "document_id" else name] = None
    return changes


async def update_approval(
    actor: Principal, project_id: int, approval_id: int, data: ApprovalUpdate
) -> ApprovalOut:
    access = await load_access(actor, project_id)
    require_see(access)
    if data.required is not None or data.required_reason is not None:
        require_advise(access)
    if any(getattr(data, name) is not None for name in TEAM_FIELDS) or data.clear:
        require_edit(access)
    async with transaction():
        before = await (
            Approval.select()
            .where((Approval.id == approval_id) & (Approval.project == project_id))
            .first()
        )
        if before is None:
            raise NotFound(NO_ITEM)
        documents = await _documents(project_id)
        changes = _changes(data, documents)
        if changes:
            values: dict[Any, Any] = {
                Approval._meta.get_column_by_name(k): v for k, v in changes.items()
            }
            values[Approval.updated_by] = actor.account_id
            values[Approval.updated_at] = dt.datetime.now(dt.UTC)
            await Approval.update(values).where(Approval.id == approval_id)
            await audit.record(
                actor,
                "approval.updated",
                "project_approval",
                approval_id,
                cluster_id=access.cluster_id,
                before={k: before[k] for k in changes},
                after=changes,
            )
        row = await Approval.select().where(Approval.id == approval_id).first()
    assert row is not None
    return _out(row, documents)


async def add_approval(actor: Principal, project_id: int, data: ApprovalCreate) -> ApprovalOut:
    access = await load_access(actor, project_id)
    require_see(access)
    require_advise(access)
    reason = data.required_reason.strip()
    if data.required is not Required.UNDECIDED and not reason:
        raise Invalid(REASON_NEEDED, [FieldError("required_reason", REASON_NEEDED)])
    async with transaction():
        inserted = await Approval.insert(
            Approval(
                project=project_id,
                kind=rules.Kind.OTHER.value,
                label=data.label.strip(),
                required=REQUIRED[data.required],
                required_reason=reason,
                updated_by=actor.account_id,
            )
        ).returning(*Approval.all_columns())
        row = inserted[0]
        await audit.record(
            actor,
            "approval.created",
            "project_approval",
            row["id"],
            cluster_id=access.cluster_id,
            after={"project": project_id, "label": row["label"], "required": row["required"]},
        )
    return _out(row, {})


def _required_value(required: bool | None) -> str:
    return "undecided" if required is None else ("yes" if required else "no")


def _forms(items: list[ApprovalOut]) -> dict[str, Form]:
    """The forms of the section, filled with each item's values (a failed form replaces its
    own on the approvals page)."""
    forms = {"approval-new": Form("approval-new", ("label", "required", "required_reason"))}
    for item in items:
        forms[f"approval-{item.id}"] = Form(
            f"approval-{item.id}",
            ("status", "reference", "decided_on", "document_id"),
            values={
                "status": item.status,
                "reference": item.reference,
                "decided_on": item.decided_on.isoformat() if item.decided_on else "",
                "document_id": str(item.document_id or ""),
            },
        )
        forms[f"decision-{item.id}"] = Form(
            f"decision-{item.id}",
            ("required", "required_reason"),
            values={
                "required": _required_value(item.required),
                "required_reason": item.required_reason,
            },
        )
    return forms


async def section(actor: Principal | None, access: Access) -> Section:
    """The project page's status box and approvals checklist."""
    if not access.see:
        return Section("projects/workspace/_approvals.html", {"visible": False})
    rows = await _rows(access.project_id)
    documents = await _documents(access.project_id)
    missing = _missing(rows)
    items = [_out(r, documents) for r in rows]
    return Section(
        "projects/workspace/_approvals.html",
        {
            "visible": True,
            "project_id": access.project_id,
            "status": await transitions.status_box(access),
            "checklist": items,
            "forms": _forms(items),
            "missing": missing,
            "documents": list(documents.items()),
            "status_labels": rules.STATUS_LABELS,
            "status_options": [(k, _(v)) for k, v in rules.STATUS_LABELS.items()],
            "required_options": [(k.value, _(v)) for k, v in REQUIRED_LABELS.items()],
            "edit": access.edit,
            "manage": access.manage,
            "advise": access.advise,
        },
    )


async def page(actor: Principal, project_id: int) -> dict[str, Any]:
    """The approvals page of its own: the project's title and the same section."""
    access = await load_access(actor, project_id)
    require_see(access)
    row = await Project.select(Project.title).where(Project.id == project_id).first()
    return {
        "project": {"id": project_id, "title": row["title"] if row else ""},
        "section": await section(actor, access),
    }
