"""Outcome rows as responses: the row, its attachments, the formatted citation; and the
public view (only public fields, nothing the privacy guard warns about)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from klynge import privacy
from klynge.db import json_value
from klynge.errors import NotFound
from projects.findings.access import NO_OUTCOME
from projects.findings.outcomes_rules import format_citation
from projects.findings.outcomes_schemas import FileOut, LinkOut, OutcomeOut
from projects.findings.tables import Outcome, OutcomeFile

PUBLIC_TEXTS = ("title", "summary", "summary_en", "practice", "evidence_note")


async def outcome_row(outcome_id: int) -> dict[str, Any]:
    row = await Outcome.select().where(Outcome.id == outcome_id).first()
    if row is None:
        raise NotFound(NO_OUTCOME)
    row = dict(row)
    row["citation"] = json_value(row["citation"], {})
    row["links"] = json_value(row["links"], [])
    return row


def file_out(r: Mapping[str, Any]) -> FileOut:
    return FileOut(
        id=r["id"],
        outcome_id=r["outcome"],
        filename=r["filename"],
        media_type=r["media_type"],
        size=r["size"],
        sha256=r["sha256"],
        created_at=r["created_at"],
    )


async def files_of(outcome_ids: list[int]) -> dict[int, list[FileOut]]:
    rows = await (
        OutcomeFile.select()
        .where(OutcomeFile.outcome.is_in(outcome_ids or [-1]))
        .order_by(OutcomeFile.id)
    )
    found: dict[int, list[FileOut]] = defaultdict(list)
    for r in rows:
        found[r["outcome"]].append(file_out(r))
    return found


def to_out(row: Mapping[str, Any], files: list[FileOut] | None = None) -> OutcomeOut:
    citation = json_value(row["citation"], {}) or {}
    return OutcomeOut(
        id=row["id"],
        project_id=row["project"],
        kind=row["kind"],
        title=row["title"],
        summary=row["summary"],
        summary_language=row["summary_language"],
        summary_en=row["summary_en"],
        practice=row["practice"],
        evidence_type=row["evidence_type"],
        evidence_note=row["evidence_note"],
        doi=row["doi"],
        citation=citation,
        citation_text=format_citation(citation, row["doi"]),
        links=[LinkOut(str(k["title"]), str(k["url"])) for k in json_value(row["links"], [])],
        is_public=bool(row["is_public"]),
        status=row["status"],
        published_at=row["published_at"],
        measure_scale=row["measure_scale"],
        measure_level=row["measure_level"],
        measure_status=row["measure_status"],
        measure_slug=row["measure_slug"],
        measure_note=row["measure_note"],
        files=files or [],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def public_out(row: Mapping[str, Any]) -> OutcomeOut:
    """What anyone may read of a public, published outcome: no attachments, no proposal, and
    a text the privacy guard warns about is left out."""
    texts = {name: str(row[name] or "") for name in PUBLIC_TEXTS}
    warned = {p.field for p in privacy.check_fields(texts)}
    shown = dict(row) | {name: "" for name in warned}
    shown |= {"measure_note": "", "measure_status": "", "measure_scale": "", "measure_level": ""}
    return to_out(shown)
