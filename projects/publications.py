"""Research groups' publications: imported with the literature parsers or typed in, the
curation of which of them (inside its recency window) represent the group for matching (by its
researchers, or by an adviser of a cluster the group is matched in), and their embeddings,
computed in a job after each change (`embed_publications`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from klynge import audit
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value, transaction
from klynge.errors import FieldError, Forbidden, Invalid, NotFound, translate
from klynge.i18n import N_
from klynge.jobs import runner
from literature.api import DedupRecord, FormatError, find_duplicates
from projects import embeddings
from projects import schemas as s
from projects.groups import _clean, _ensure_editor, _group_row, _in_window, may_edit
from projects.tables import GroupProfile, GroupPublication, Match, MatchRun

IMPORT_PUBLICATIONS = "projects.import_publications"
EMBED_PUBLICATIONS = "projects.embed_publications"
PUBLICATION_FORMATS = ("ris", "bibtex", "medline", "csljson", "xlsx", "csv")


def _publication_out(row: Mapping[str, Any], window: int | None) -> s.PublicationOut:
    authors = json_value(row["authors"], [])
    return s.PublicationOut(
        id=row["id"],
        title=row["title"],
        abstract=row["abstract"],
        year=row["year"],
        doi=row["doi"],
        container=row["container"],
        authors=[a if isinstance(a, str) else ", ".join(a) for a in authors],
        language=row["language"],
        included=row["included"],
        in_window=_in_window(row["year"], window, dt.date.today()),
        source=row["source"],
    )


async def _window(group_id: int) -> int | None:
    row = (
        await GroupProfile.select(GroupProfile.recency_years)
        .where(GroupProfile.group == group_id)
        .first()
    )
    return row["recency_years"] if row else None


async def list_publications(group_id: int) -> list[s.PublicationOut]:
    await _group_row(group_id)
    window = await _window(group_id)
    rows = (
        await GroupPublication.select()
        .where(GroupPublication.group == group_id)
        .order_by(GroupPublication.year, ascending=False)
        .order_by(GroupPublication.id)
    )
    return [_publication_out(r, window) for r in rows]


async def curated_publications(group_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """What represents each group for matching: included publications inside its window."""
    windows = {
        p["group"]: p["recency_years"]
        for p in await GroupProfile.select(GroupProfile.group, GroupProfile.recency_years).where(
            GroupProfile.group.is_in(list(group_ids) or [-1])
        )
    }
    today = dt.date.today()
    out: dict[int, list[dict[str, Any]]] = {g: [] for g in group_ids}
    rows = await GroupPublication.select(
        GroupPublication.id,
        GroupPublication.group,
        GroupPublication.title,
        GroupPublication.abstract,
        GroupPublication.year,
    ).where(
        GroupPublication.group.is_in(list(group_ids) or [-1]),
        GroupPublication.included == True,  # noqa: E712
    )
    for r in rows:
        if _in_window(r["year"], windows.get(r["group"]), today):
            out[r["group"]].append(r)
    return out


async def add_publication(
    actor: Principal, dispatcher: runner.Dispatcher, group_id: int, data: s.PublicationIn
) -> s.PublicationOut:
    await _group_row(group_id)
    _ensure_editor(actor, group_id)
    from literature.api import normalise_doi

    async with runner.submit_after_commit(dispatcher) as submit:
        inserted = await GroupPublication.insert(
            GroupPublication(
                group=group_id,
                title=" ".join(data.title.split()),
                abstract=data.abstract,
                year=data.year,
                doi=normalise_doi(data.doi),
                container=data.container,
                authors=[[a, ""] for a in data.authors if a.strip()],
                keywords=_clean(data.keywords),
                language=data.language,
                url=data.url,
                source="manual",
            )
        ).returning(*GroupPublication.all_columns())
        await submit_embedding(submit, actor, group_id)
    return _publication_out(inserted[0], await _window(group_id))


async def may_curate(actor: Principal, group_id: int) -> bool:
    """The group's researchers, and the advisers of a cluster the group is matched in (they
    read why it matched, and may take a misleading publication out of its profile)."""
    if may_edit(actor, group_id):
        return True
    if not access.holds_any(actor, Role.ADVISER):
        return False
    runs = Match.select(Match.run).where(Match.group == group_id).distinct()
    clusters = await MatchRun.select(MatchRun.cluster).where(MatchRun.id.is_in(runs)).distinct()
    return any(access.manages_cluster(actor, r["cluster"]) for r in clusters)


async def curate(
    actor: Principal,
    group_id: int,
    data: s.CurationIn,
    dispatcher: runner.Dispatcher | None = None,
    *,
    cluster_id: int | None = None,
) -> list[s.PublicationOut]:
    """Include/exclude publications and set the recency window; remembered across imports.
    What now represents the group is embedded in a job (with a dispatcher; the demo embeds
    when it matches)."""
    await _group_row(group_id)
    if not await may_curate(actor, group_id):
        raise Forbidden(
            N_(
                "Only the group's researchers and the cluster's R&D adviser can choose its "
                "publications."
            )
        )
    widened = data.recency_years is not None or data.clear_recency
    async with transaction():
        for ids, value in ((data.include, True), (data.exclude, False)):
            if ids:
                await GroupPublication.update({GroupPublication.included: value}).where(
                    GroupPublication.group == group_id, GroupPublication.id.is_in(ids)
                )
        if widened:
            if not await GroupProfile.exists().where(GroupProfile.group == group_id):
                await GroupProfile.insert(GroupProfile(group=group_id))
            await GroupProfile.update(
                {GroupProfile.recency_years: None if data.clear_recency else data.recency_years}
            ).where(GroupProfile.group == group_id)
        await audit.record(
            actor,
            "research_group.curate",
            "research_group",
            group_id,
            cluster_id=cluster_id,
            after={
                "include": data.include,
                "exclude": data.exclude,
                "recency_years": data.recency_years,
            },
        )
    if dispatcher is not None and (data.include or widened):
        # After the commit; should it fail, the next matching run embeds what is missing.
        await runner.submit(
            EMBED_PUBLICATIONS,
            {"group_id": group_id},
            dispatcher=dispatcher,
            created_by=actor.account_id,
        )
    return await list_publications(group_id)


async def exclude_publication(
    actor: Principal, publication_id: int, cluster_id: int | None = None
) -> int:
    """Take one publication out of its group's profile (from a match's explanation in a
    cluster): the next matching run leaves it out. Returns the group's id."""
    row = (
        await GroupPublication.select(GroupPublication.group)
        .where(GroupPublication.id == publication_id)
        .first()
    )
    if row is None:
        raise NotFound(N_("We could not find the publication."))
    await curate(actor, row["group"], s.CurationIn(exclude=[publication_id]), cluster_id=cluster_id)
    return int(row["group"])


async def submit_embedding(submit: runner.Submitter, actor: Principal, group_id: int) -> None:
    """The group's publications embedded after the caller's commit (a job)."""
    await submit(EMBED_PUBLICATIONS, {"group_id": group_id}, created_by=actor.account_id)


async def start_publication_import(
    actor: Principal,
    dispatcher: runner.Dispatcher,
    group_id: int,
    fmt: str,
    filename: str,
    data: bytes,
) -> Any:
    from klynge.jobs.service import get_job

    await _group_row(group_id)
    _ensure_editor(actor, group_id)
    if fmt not in PUBLICATION_FORMATS:
        raise Invalid(
            N_("Unknown format."),
            [
                FieldError(
                    "format",
                    N_("The format must be one of: %(formats)s"),
                    params={"formats": ", ".join(PUBLICATION_FORMATS)},
                )
            ],
        )
    job_id = await runner.submit(
        IMPORT_PUBLICATIONS,
        {"group_id": group_id, "format": fmt, "filename": filename},
        dispatcher=dispatcher,
        payload=data,
        created_by=actor.account_id,
    )
    return await get_job(actor, str(job_id))


async def _stored_records(group_id: int) -> list[DedupRecord]:
    """The group's publications as records the literature deduplicator compares."""
    existing = await GroupPublication.select(
        GroupPublication.id,
        GroupPublication.title,
        GroupPublication.authors,
        GroupPublication.year,
        GroupPublication.doi,
        GroupPublication.pmid,
    ).where(GroupPublication.group == group_id)
    return [
        DedupRecord(
            key=r["id"],
            title=r["title"],
            authors=tuple(
                (str(a[0]), str(a[1])) for a in json_value(r["authors"], []) if len(a) == 2
            ),
            year=r["year"],
            doi=r["doi"],
            pmid=r["pmid"],
        )
        for r in existing
    ]


def _new_records(records: Sequence[Any]) -> list[DedupRecord]:
    # Negative keys keep parsed records apart from stored rows (whose keys are their ids).
    return [
        DedupRecord(
            key=-(i + 1),
            title=r.title,
            authors=tuple((a.family, a.given) for a in r.authors),
            year=r.year,
            doi=r.doi,
            pmid=r.pmid,
            container=r.container,
        )
        for i, r in enumerate(records)
    ]


async def import_publications(
    group_id: int, fmt: str, filename: str, data: bytes
) -> s.PublicationImportOut:
    """Parse with the literature importers; skip what the group already has (DOI/PMID or
    title+author+year), so a re-import keeps the group's curation."""
    from literature.api import ImportFormat, parse_file

    parsed = parse_file(data, ImportFormat(fmt), filename)
    stored = await _stored_records(group_id)
    new = _new_records(parsed.records)
    duplicates = {m.key for m in find_duplicates(new, stored).exact}
    rows = [
        GroupPublication(
            group=group_id,
            title=r.title,
            abstract=r.abstract,
            authors=[[a.family, a.given] for a in r.authors],
            year=r.year,
            container=r.container,
            # Clipped to the columns, as the reference import does: a broken export must not
            # stop the import (both engines refuse an over-long varchar).
            doi=r.doi[:255],
            pmid=r.pmid[:20],
            keywords=list(r.keywords),
            language=r.language[:20],
            url=r.url,
            source=fmt,
        )
        for i, r in enumerate(parsed.records)
        if -(i + 1) not in duplicates
    ]
    async with transaction():
        if rows:
            await GroupPublication.insert(*rows)
    return s.PublicationImportOut(
        read=parsed.read,
        imported=len(rows),
        duplicates=len(duplicates),
        problems=[{"record": p.record, "reason": p.reason} for p in parsed.problems],
    )


async def embed_group_publications(
    group_ids: Sequence[int], progress: embeddings.Progress | None = None
) -> embeddings.EmbedReport:
    """Embed what represents these groups and is not embedded yet (or is stale)."""
    curated = await curated_publications(group_ids)
    pubs = [p for rows in curated.values() for p in rows]
    return await embeddings.embed_publications(pubs, progress)


@runner.job(EMBED_PUBLICATIONS)
async def embed_publications_job(ctx: runner.JobContext) -> dict[str, Any] | None:
    group_id = int(ctx.params["group_id"])
    report = await embed_group_publications(
        [group_id], embeddings.job_progress(ctx.progress, 5, 95)
    )
    message = translate(
        N_("%(computed)s publication embeddings computed, %(current)s already up to date."),
        {"computed": report.total, "current": report.current},
    )
    async with transaction():
        await ctx.finish(
            {"computed": report.computed, "current": report.current},
            message,
            f"/forskergrupper/{group_id}/publikasjoner",
        )
    return None


@runner.job(IMPORT_PUBLICATIONS)
async def import_publications_job(ctx: runner.JobContext) -> dict[str, Any] | None:
    if ctx.payload is None:
        raise runner.JobFailed(translate(N_("The job is missing the file it was to import.")))
    group_id = int(ctx.params["group_id"])
    await ctx.progress(10, translate(N_("Reading the file")))
    try:
        report = await import_publications(
            group_id, str(ctx.params["format"]), str(ctx.params["filename"]), bytes(ctx.payload)
        )
    except FormatError as exc:
        raise runner.JobFailed(
            translate(N_("The file was not imported: %(reason)s"), {"reason": str(exc)})
        ) from None
    # The new publications are embedded here, in the same background job (idempotent).
    await embed_group_publications([group_id], embeddings.job_progress(ctx.progress, 30, 95))
    result = {
        "read": report.read,
        "imported": report.imported,
        "duplicates": report.duplicates,
        "problems": report.problems,
    }
    message = translate(
        N_(
            "%(read)s read, %(new)s new publications, %(known)s already there, "
            "%(problems)s problems."
        ),
        {
            "read": report.read,
            "new": report.imported,
            "known": report.duplicates,
            "problems": len(report.problems),
        },
    )
    async with transaction():
        await ctx.finish(result, message, f"/forskergrupper/{group_id}")
    return None
