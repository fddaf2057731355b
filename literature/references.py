"""References of a cluster: read, correct the evidence type, and the duplicate queue (merge,
"not a duplicate", undo a merge, split an automatic merge)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import bulk_insert, json_value, transaction
from klynge.errors import Conflict, Forbidden, NotFound
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster, cluster_filter, ensure_cluster_visible
from literature import schemas as s
from literature.classify import SUMMARISED, EvidenceType
from literature.formats.record import Author, Record, make_record
from literature.tables import DuplicateCandidate, Reference, ReferenceSource


def _authors(value: Any) -> list[s.AuthorOut]:
    out = []
    for item in json_value(value, []):
        if isinstance(item, list | tuple) and len(item) == 2:
            out.append(s.AuthorOut(family=str(item[0]), given=str(item[1])))
    return out


def reference_out(row: Mapping[str, Any], sources: Iterable[s.SourceOut] = ()) -> s.ReferenceOut:
    return s.ReferenceOut(
        id=row["id"],
        cluster_id=row["cluster"],
        title=row["title"],
        abstract=row["abstract"],
        authors=_authors(row["authors"]),
        year=row["year"],
        container=row["container"],
        volume=row["volume"],
        issue=row["issue"],
        pages=row["pages"],
        doi=row["doi"],
        pmid=row["pmid"],
        publication_types=[str(v) for v in json_value(row["publication_types"], [])],
        keywords=[str(v) for v in json_value(row["keywords"], [])],
        language=row["language"],
        url=row["url"],
        evidence_type=EvidenceType(row["evidence_type"]),
        evidence_auto=EvidenceType(row["evidence_auto"]),
        evidence_reason=row["evidence_reason"],
        evidence_corrected=row["evidence_corrected_by"] is not None
        or row["evidence_type"] != row["evidence_auto"],
        summarised=row["summarised"],
        merged_into=row["merged_into"],
        sources=list(sources),
    )


async def sources_for(reference_ids: Iterable[int]) -> dict[int, list[s.SourceOut]]:
    ids = list(set(reference_ids))
    if not ids:
        return {}
    rows = await ReferenceSource.select(
        ReferenceSource.id,
        ReferenceSource.reference,
        ReferenceSource.literature_import,
        ReferenceSource.position,
        ReferenceSource.duplicate_tier,
        ReferenceSource.duplicate_reason,
        ReferenceSource.literature_import.source.as_alias("source"),
        ReferenceSource.literature_import.filename.as_alias("filename"),
        ReferenceSource.literature_import.searched_on.as_alias("searched_on"),
    ).where(ReferenceSource.reference.is_in(ids))
    out: dict[int, list[s.SourceOut]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r["id"]):
        out[r["reference"]].append(
            s.SourceOut(
                id=r["id"],
                import_id=r["literature_import"],
                source=r["source"],
                filename=r["filename"],
                searched_on=r["searched_on"],
                position=r["position"],
                duplicate_tier=r["duplicate_tier"],
                duplicate_reason=r["duplicate_reason"],
            )
        )
    return out


async def load_many(ids: Iterable[int], *, with_sources: bool = False) -> list[s.ReferenceOut]:
    """References by id, in the order given (no visibility check: callers have done it)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    rows = {r["id"]: r for r in await Reference.select().where(Reference.id.is_in(wanted))}
    sources = await sources_for(wanted) if with_sources else {}
    return [reference_out(rows[i], sources.get(i, ())) for i in wanted if i in rows]


REFERENCE_NOT_FOUND = N_("We could not find the reference.")
PAIR_NOT_FOUND = N_("We could not find the duplicate pair.")
SOURCE_NOT_FOUND = N_("We could not find the source.")


async def _load(
    actor: Principal | None, reference_id: int, missing: str = REFERENCE_NOT_FOUND
) -> dict[str, Any]:
    """The reference; another cluster's answers exactly as a missing one (`missing`)."""
    row = await Reference.select().where(Reference.id == reference_id).first()
    if row is None:
        raise NotFound(missing)
    ensure_cluster_visible(actor, row["cluster"], missing)
    return row


async def get_reference(actor: Principal, reference_id: int) -> s.ReferenceOut:
    row = await _load(actor, reference_id)
    sources = await sources_for([reference_id])
    return reference_out(row, sources.get(reference_id, ()))


def _ensure_manager(actor: Principal, cluster_id: int) -> None:
    if not can_manage_cluster(actor, cluster_id):
        raise Forbidden(N_("Only the cluster's R&D adviser can change references."))


async def correct_evidence_type(
    actor: Principal, reference_id: int, data: s.EvidenceCorrection
) -> s.ReferenceOut:
    """A person's correction of the classifier; kept, with who made it (and in the audit log)."""
    async with transaction():
        before = await _load(actor, reference_id)
        _ensure_manager(actor, before["cluster"])
        await Reference.update(
            {
                Reference.evidence_type: data.evidence_type.value,
                Reference.summarised: data.evidence_type in SUMMARISED,
                Reference.evidence_corrected_by: actor.account_id,
            }
        ).where(Reference.id == reference_id)
        await audit.record(
            actor,
            "literature.reference.evidence_type",
            "literature_reference",
            reference_id,
            cluster_id=before["cluster"],
            before={"evidence_type": before["evidence_type"]},
            after={"evidence_type": data.evidence_type.value},
        )
    return await get_reference(actor, reference_id)


# --- Duplicate queue ---------------------------------------------------------------------------


async def list_duplicates(
    actor: Principal, cluster_id: int | None = None, status: str = "open"
) -> list[s.DuplicateOut]:
    query = DuplicateCandidate.select().order_by(DuplicateCandidate.score, ascending=False)
    where = cluster_filter(DuplicateCandidate.cluster, actor)
    if where is not None:
        query = query.where(where)
    if cluster_id is not None:
        ensure_cluster_visible(actor, cluster_id)
        query = query.where(DuplicateCandidate.cluster == cluster_id)
    if status:
        query = query.where(DuplicateCandidate.status == status)
    rows = await query.limit(500)
    refs = {
        r.id: r
        for r in await load_many(
            [i for row in rows for i in (row["keeper"], row["duplicate"])], with_sources=True
        )
    }
    return [_duplicate_out(row, refs) for row in rows]


def _duplicate_out(row: Mapping[str, Any], refs: Mapping[int, s.ReferenceOut]) -> s.DuplicateOut:
    return s.DuplicateOut(
        id=row["id"],
        keeper=refs[row["keeper"]],
        duplicate=refs[row["duplicate"]],
        score=row["score"],
        reason=row["reason"],
        status=row["status"],
    )


async def decide_duplicate(
    actor: Principal, candidate_id: int, data: s.DuplicateDecision
) -> s.DuplicateOut:
    """Merge a possible duplicate into its keeper, mark it "not a duplicate" (remembered by
    later imports), or undo an earlier merge."""
    async with transaction():
        row = await DuplicateCandidate.select().where(DuplicateCandidate.id == candidate_id).first()
        if row is None:
            raise NotFound(PAIR_NOT_FOUND)
        ensure_cluster_visible(actor, row["cluster"], PAIR_NOT_FOUND)
        _ensure_manager(actor, row["cluster"])
        now = dt.datetime.now(dt.UTC)
        if data.decision == "merge":
            await _merge(row, actor, now)
        elif data.decision == "not_duplicate":
            if row["status"] not in ("open", "unmerged"):
                raise Conflict(N_("The pair is already decided."))
            await DuplicateCandidate.update(
                {
                    DuplicateCandidate.status: "not_duplicate",
                    DuplicateCandidate.decided_by: actor.account_id,
                    DuplicateCandidate.decided_at: now,
                }
            ).where(DuplicateCandidate.id == candidate_id)
        else:
            await _unmerge(row, actor, now)
        await audit.record(
            actor,
            f"literature.duplicate.{data.decision}",
            "literature_duplicate",
            candidate_id,
            cluster_id=row["cluster"],
            before={"status": row["status"]},
            after={"keeper": row["keeper"], "duplicate": row["duplicate"]},
        )
        after = (
            await DuplicateCandidate.select().where(DuplicateCandidate.id == candidate_id).first()
        )
        refs = {
            r.id: r for r in await load_many([row["keeper"], row["duplicate"]], with_sources=True)
        }
    assert after is not None
    return _duplicate_out(after, refs)


async def _merge(row: Mapping[str, Any], actor: Principal, now: dt.datetime) -> None:
    if row["status"] not in ("open", "unmerged", "not_duplicate"):
        raise Conflict(N_("The pair is already merged."))
    keeper = await Reference.select(Reference.merged_into).where(Reference.id == row["keeper"])
    if not keeper or keeper[0]["merged_into"] is not None:
        raise Conflict(N_("The reference to keep is itself merged into another."))
    moved = await ReferenceSource.select(ReferenceSource.id).where(
        ReferenceSource.reference == row["duplicate"]
    )
    moved_ids = [m["id"] for m in moved]
    if moved_ids:
        await ReferenceSource.update(
            {
                ReferenceSource.reference: row["keeper"],
                ReferenceSource.duplicate_tier: 3,
                ReferenceSource.duplicate_reason: f"merged by a person: {row['reason']}",
            }
        ).where(ReferenceSource.id.is_in(moved_ids))
    await Reference.update({Reference.merged_into: row["keeper"]}).where(
        Reference.id == row["duplicate"]
    )
    await DuplicateCandidate.update(
        {
            DuplicateCandidate.status: "merged",
            DuplicateCandidate.moved_sources: moved_ids,
            DuplicateCandidate.decided_by: actor.account_id,
            DuplicateCandidate.decided_at: now,
        }
    ).where(DuplicateCandidate.id == row["id"])


async def _unmerge(row: Mapping[str, Any], actor: Principal, now: dt.datetime) -> None:
    if row["status"] != "merged":
        raise Conflict(N_("Only a merge can be undone."))
    moved = [int(i) for i in json_value(row["moved_sources"], [])]
    if moved:
        await ReferenceSource.update(
            {
                ReferenceSource.reference: row["duplicate"],
                ReferenceSource.duplicate_tier: None,
                ReferenceSource.duplicate_reason: "",
            }
        ).where(ReferenceSource.id.is_in(moved))
    await Reference.update({Reference.merged_into: None}).where(Reference.id == row["duplicate"])
    await DuplicateCandidate.update(
        {
            DuplicateCandidate.status: "unmerged",
            DuplicateCandidate.moved_sources: [],
            DuplicateCandidate.decided_by: actor.account_id,
            DuplicateCandidate.decided_at: now,
        }
    ).where(DuplicateCandidate.id == row["id"])


def _stored_record(raw: str, data: Mapping[str, Any]) -> Record:
    """The record a source's import read, from its stored JSON."""
    return make_record(
        raw=raw,
        title=data.get("title", ""),
        abstract=data.get("abstract", ""),
        authors=[Author(str(a[0]), str(a[1])) for a in data.get("authors", [])],
        year=data.get("year"),
        container=data.get("container", ""),
        volume=data.get("volume", ""),
        issue=data.get("issue", ""),
        pages=data.get("pages", ""),
        doi=data.get("doi", ""),
        pmid=data.get("pmid", ""),
        publication_types=data.get("publication_types", []),
        keywords=data.get("keywords", []),
        language=data.get("language", ""),
        url=data.get("url", ""),
    )


async def split_source(actor: Principal, source_id: int) -> s.ReferenceOut:
    """Undo an automatic merge (tier 1/2): the source becomes a reference of its own again,
    and the pair is remembered as "not a duplicate"."""
    from literature.import_run import reference_values

    async with transaction():
        src = await ReferenceSource.select().where(ReferenceSource.id == source_id).first()
        if src is None:
            raise NotFound(SOURCE_NOT_FOUND)
        keeper = await _load(actor, src["reference"], SOURCE_NOT_FOUND)
        _ensure_manager(actor, keeper["cluster"])
        if src["duplicate_tier"] is None:
            raise Conflict(
                N_("The source is the reference's first source and cannot be split off.")
            )
        data = json_value(src["record"], {})
        if not data.get("title"):
            raise Conflict(
                N_("The source lacks the record as it was read and cannot be split off.")
            )
        record = _stored_record(src["raw"], data)
        (new_id,) = await bulk_insert(
            Reference,
            [reference_values(keeper["cluster"], record, src["literature_import"])],
            returning_id=True,
        )
        await ReferenceSource.update(
            {
                ReferenceSource.reference: new_id,
                ReferenceSource.duplicate_tier: None,
                ReferenceSource.duplicate_reason: "",
            }
        ).where(ReferenceSource.id == source_id)
        await DuplicateCandidate.insert(
            DuplicateCandidate(
                cluster=keeper["cluster"],
                keeper=keeper["id"],
                duplicate=new_id,
                score=1.0,
                reason=f"split by a person: {src['duplicate_reason']}",
                status="not_duplicate",
                decided_by=actor.account_id,
                decided_at=dt.datetime.now(dt.UTC),
            )
        )
        await audit.record(
            actor,
            "literature.duplicate.split",
            "literature_reference_source",
            source_id,
            cluster_id=keeper["cluster"],
            before={"reference": keeper["id"]},
            after={"reference": new_id},
        )
    return await get_reference(actor, new_id)


def to_record(ref: s.ReferenceOut) -> Record:
    """A stored reference back to the parsers' Record (for export)."""
    return make_record(
        raw="",
        title=ref.title,
        abstract=ref.abstract,
        authors=[Author(a.family, a.given) for a in ref.authors],
        year=ref.year,
        container=ref.container,
        volume=ref.volume,
        issue=ref.issue,
        pages=ref.pages,
        doi=ref.doi,
        pmid=ref.pmid,
        publication_types=ref.publication_types,
        keywords=ref.keywords,
        language=ref.language,
        url=ref.url,
    )
