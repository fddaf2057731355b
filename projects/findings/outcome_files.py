"""Attachments of an outcome, kept in the core file store (klynge.files: type from the
content, size limit). Uploaded and deleted by the project leader and adviser, read by those
who may read the outcome; nothing is half-written; every change audited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from klynge import audit, privacy
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import NotFound
from klynge.files import FileStore, Readable, forget_if_unused, safe_filename
from klynge.i18n import N_
from projects.findings.access import require_manage
from projects.findings.loading import load_outcome_access
from projects.findings.outcome_store import file_out
from projects.findings.outcomes import public_only
from projects.findings.outcomes_schemas import FileOut
from projects.findings.tables import OutcomeFile

NO_FILE = N_("We could not find the attachment.")


async def _row(outcome_id: int, file_id: int) -> dict[str, Any]:
    row = await (
        OutcomeFile.select()
        .where(OutcomeFile.id == file_id, OutcomeFile.outcome == outcome_id)
        .first()
    )
    if row is None:
        raise NotFound(NO_FILE)
    return dict(row)


async def upload_file(
    actor: Principal, files: FileStore, outcome_id: int, upload: Readable, filename: str
) -> FileOut:
    """Attach a file. A disallowed type (by content: 415), a too large (413) or empty file
    (422) is refused before anything is written."""
    access = await load_outcome_access(actor, outcome_id)
    require_manage(access)
    privacy.guard_text({"file": filename})
    stored = await files.save(upload)
    try:
        async with transaction():
            created = await OutcomeFile.insert(
                OutcomeFile(
                    outcome=outcome_id,
                    sha256=stored.sha256,
                    filename=safe_filename(filename, stored.extension),
                    media_type=stored.content_type,
                    size=stored.size,
                    created_by=actor.account_id,
                )
            ).returning(OutcomeFile.id)
            row = await _row(outcome_id, int(created[0]["id"]))
            await audit.record(
                actor, "projects.outcome.file.upload", "project_outcome_file", row["id"],
                cluster_id=access.facts.cluster_id, after=row,
            )  # fmt: skip
    except BaseException:
        await forget_if_unused(files, stored.sha256)
        raise
    return file_out(row)


async def outcome_file(
    actor: Principal | None, files: FileStore, outcome_id: int, file_id: int
) -> tuple[FileOut, Iterator[bytes]]:
    """An attachment and its content, for those who may read the outcome (not the anonymous
    public: the public view has no attachments)."""
    access = await load_outcome_access(actor, outcome_id)
    if await public_only(actor, access):
        raise NotFound(NO_FILE)
    row = await _row(outcome_id, file_id)
    if not files.exists(row["sha256"]):
        raise NotFound(NO_FILE)
    return file_out(row), files.read(row["sha256"])


async def delete_file(actor: Principal, files: FileStore, outcome_id: int, file_id: int) -> None:
    access = await load_outcome_access(actor, outcome_id)
    require_manage(access)
    async with transaction():
        row = await _row(outcome_id, file_id)
        await OutcomeFile.delete().where(OutcomeFile.id == file_id)
        await audit.record(
            actor, "projects.outcome.file.delete", "project_outcome_file", file_id,
            cluster_id=access.facts.cluster_id, before=row,
        )  # fmt: skip
    await forget_if_unused(files, row["sha256"])


async def uses_file(key: str) -> bool:
    """Does an outcome's attachment still refer to the content?"""
    return bool(await OutcomeFile.count().where(OutcomeFile.sha256 == key))
