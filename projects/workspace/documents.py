"""Project workspace part: documents. Plans, approvals and minutes kept in the platform's file
store (klynge.files: type from the content, size limit, checksum), listed and downloaded only by
those who see the project, uploaded and deleted by the team; every change audited."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from klynge import audit, directory, privacy
from klynge.apps import Section
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import NotFound
from klynge.files import FileStore, Readable, forget_if_unused, safe_filename
from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.settings import get_settings
from klynge.views.common import Form
from projects.workspace.access import Access, require_edit, require_see
from projects.workspace.loading import load_access
from projects.workspace.participant_schemas import DocumentKind, DocumentOut
from projects.workspace.participant_store import project_row
from projects.workspace.tables import Approval, ProjectDocument

NO_DOCUMENT = N_("We could not find the document.")
KIND_LABELS = {
    "plan": N_("Plan"),
    "approval": N_("Approval"),
    "minutes": N_("Minutes"),
    "other": N_("Other"),
}
UPLOAD_FIELDS = ("file", "kind")


async def _outs(rows: list[Mapping[str, Any]]) -> list[DocumentOut]:
    names = await directory.account_names(
        sorted({r["uploaded_by"] for r in rows if r["uploaded_by"]})
    )
    return [
        DocumentOut(
            id=r["id"],
            project_id=r["project"],
            kind=DocumentKind(r["kind"]),
            filename=r["filename"],
            content_type=r["content_type"],
            size=r["size"],
            sha256=r["sha256"],
            uploaded_by=r["uploaded_by"],
            uploaded_by_name=names.get(r["uploaded_by"], ""),
            created_at=r["created_at"],
        )
        for r in rows
    ]


async def list_documents(project_id: int) -> list[DocumentOut]:
    """The project's documents, newest first. For other parts of the workspace (the approvals
    checklist offers them as "attached document"); the caller has checked access."""
    rows = await (
        ProjectDocument.select()
        .where(ProjectDocument.project == project_id)
        .order_by(ProjectDocument.id, ascending=False)
    )
    return await _outs(rows)


async def documents_for(actor: Principal | None, project_id: int) -> list[DocumentOut]:
    access = await load_access(actor, project_id)
    require_see(access)
    return await list_documents(project_id)


async def _row(project_id: int, document_id: int) -> dict[str, Any]:
    row = await (
        ProjectDocument.select()
        .where(ProjectDocument.id == document_id, ProjectDocument.project == project_id)
        .first()
    )
    if row is None:
        raise NotFound(NO_DOCUMENT)
    return dict(row)


async def upload_document(
    actor: Principal,
    files: FileStore,
    project_id: int,
    upload: Readable,
    filename: str,
    kind: DocumentKind,
) -> DocumentOut:
    """Keep an uploaded document. A disallowed type (by content), an empty or too large file
    is refused before anything is written."""
    access = await load_access(actor, project_id)
    require_edit(access)
    privacy.guard_text({"file": filename})
    stored = await files.save(upload)
    name = safe_filename(filename, stored.extension)
    try:
        async with transaction():
            created = await ProjectDocument.insert(
                ProjectDocument(
                    project=project_id,
                    kind=kind.value,
                    filename=name,
                    content_type=stored.content_type,
                    size=stored.size,
                    sha256=stored.sha256,
                    storage_key=stored.key,
                    uploaded_by=actor.account_id,
                )
            ).returning(ProjectDocument.id)
            row = await _row(project_id, created[0]["id"])
            await audit.record(
                actor,
                "document.uploaded",
                "project_document",
                row["id"],
                cluster_id=access.cluster_id,
                after=row,
            )
    except BaseException:
        await forget_if_unused(files, stored.key)
        raise
    return (await _outs([row]))[0]


async def document_file(
    actor: Principal | None, files: FileStore, project_id: int, document_id: int
) -> tuple[DocumentOut, Iterator[bytes]]:
    """A document and its content (streamed), for those who see the project."""
    access = await load_access(actor, project_id)
    require_see(access)
    row = await _row(project_id, document_id)
    if not files.exists(row["storage_key"]):
        raise NotFound(NO_DOCUMENT)
    return (await _outs([row]))[0], files.read(row["storage_key"])


async def delete_document(
    actor: Principal, files: FileStore, project_id: int, document_id: int
) -> None:
    """The team deletes a document; an approval that named it no longer does. The file goes
    when no other document has the same content."""
    async with transaction():
        access = await load_access(actor, project_id)
        require_edit(access)
        row = await _row(project_id, document_id)
        await Approval.update({Approval.document: None}).where(
            Approval.project == project_id, Approval.document == document_id
        )
        await ProjectDocument.delete().where(ProjectDocument.id == document_id)
        await audit.record(
            actor,
            "document.deleted",
            "project_document",
            document_id,
            cluster_id=access.cluster_id,
            before=row,
        )
    await forget_if_unused(files, row["storage_key"])


async def uses_file(key: str) -> bool:
    """Does a project document still refer to the content?"""
    return bool(await ProjectDocument.count().where(ProjectDocument.storage_key == key))


async def section(actor: Principal | None, access: Access) -> Section:
    """The project page's documents section: the list, and for the team the upload form."""
    return Section(
        "projects/workspace/_documents.html",
        {
            "project_id": access.project_id,
            "documents": await list_documents(access.project_id),
            "kinds": KIND_LABELS,
            "kind_options": [(k, _(label)) for k, label in KIND_LABELS.items()],
            "may_edit": access.edit,
            "form": Form("document", UPLOAD_FIELDS, values={"kind": "other"}),
            "max_megabytes": get_settings().files.max_bytes // (1024 * 1024),
        },
    )


async def documents_page(actor: Principal | None, project_id: int) -> dict[str, Any]:
    """The documents section as a page of its own (also where a refused upload is explained)."""
    access = await load_access(actor, project_id)
    require_see(access)
    project = await project_row(project_id)
    shown = await section(actor, access)
    return {"project": project, "data": dict(shown.context)}
