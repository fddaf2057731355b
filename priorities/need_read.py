"""Reading needs: load one or many, build NeedOut for a page of needs in a fixed number of
queries, similar needs, and the filtered list paged in SQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import NotFound
from klynge.i18n import N_
from klynge.orgs.tables import Municipality, Service
from klynge.scoping import can_see_cluster, cluster_filter
from klynge.text import contains
from priorities import need_reasons, need_terms
from priorities import schemas as s
from priorities.need_rules import INACTIVE, MATCHABLE, may_see_draft
from priorities.similarity import NeedText, similar_needs
from priorities.tables import Need, NeedEndorsement, NeedEvent, NeedService, NeedSubmitter

NEED_NOT_FOUND = N_("We could not find the knowledge need.")
MAX_PER_PAGE = 200


async def load(need_id: int) -> dict[str, Any]:
    row = await Need.select().where(Need.id == need_id).first()
    if row is None:
        raise NotFound(NEED_NOT_FOUND)
    return row


async def load_many(need_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The rows of the given needs, in the given order (unknown ids are left out)."""
    rows = await Need.select().where(Need.id.is_in(list(need_ids) or [-1]))
    by_id = {r["id"]: r for r in rows}
    return [by_id[i] for i in need_ids if i in by_id]


async def load_visible(actor: Principal | None, need_id: int) -> dict[str, Any]:
    row = await load(need_id)
    # Another cluster's need and a draft of someone else's answer exactly as a missing need.
    if not can_see_cluster(actor, row["cluster"]) or not may_see_draft(actor, row):
        raise NotFound(NEED_NOT_FOUND)
    return row


async def names(table: Any, ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = await table.select(table.id, table.name).where(table.id.is_in(ids))
    return {r["id"]: r["name"] for r in rows}


@dataclass
class _Related:
    """What a batch of needs refers to, fetched once for the whole batch."""

    services: dict[int, list[int]]
    endorsements: dict[int, list[dict[str, Any]]]
    submitters: dict[int, list[dict[str, Any]]]
    munis: dict[int, str]
    service_names: dict[int, str]


def _grouped(rows: Iterable[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["need"], []).append(row)
    return out


async def _related(rows: Sequence[Mapping[str, Any]]) -> _Related:
    ids = [r["id"] for r in rows] or [-1]
    service_rows = await NeedService.select(NeedService.need, NeedService.service).where(
        NeedService.need.is_in(ids)
    )
    endorsements = _grouped(
        await NeedEndorsement.select()
        .where(NeedEndorsement.need.is_in(ids))
        .order_by(NeedEndorsement.id)
    )
    submitters = _grouped(
        await NeedSubmitter.select().where(NeedSubmitter.need.is_in(ids)).order_by(NeedSubmitter.id)
    )
    services: dict[int, list[int]] = {}
    for r in service_rows:
        services.setdefault(r["need"], []).append(r["service"])
    every_e = [e for group in endorsements.values() for e in group]
    every_x = [x for group in submitters.values() for x in group]
    munis = await names(
        Municipality,
        [r["municipality"] for r in rows]
        + [e["municipality"] for e in every_e]
        + [x["municipality"] for x in every_x],
    )
    service_names = await names(
        Service,
        [i for group in services.values() for i in group]
        + [e["service"] for e in every_e if e["service"]]
        + [r["service"] for r in rows if r["service"]],
    )
    return _Related(services, endorsements, submitters, munis, service_names)


def _need_struct(row: Mapping[str, Any], rel: _Related) -> s.NeedOut:
    need_id = row["id"]
    service_ids = rel.services.get(need_id, [])
    endorsements = rel.endorsements.get(need_id, [])
    submitters = rel.submitters.get(need_id, [])
    sharing_munis = (
        {row["municipality"]}
        | {x["municipality"] for x in submitters}
        | {e["municipality"] for e in endorsements}
    )
    sharing_services = set(service_ids) | {e["service"] for e in endorsements if e["service"]}
    munis, services = rel.munis, rel.service_names
    return s.NeedOut(
        id=need_id,
        cluster_id=row["cluster"],
        title=row["title"],
        question=row["question"],
        background=row["background"],
        age_from=row["age_from"],
        age_to=row["age_to"],
        target_group=row["target_group"],
        prevention_level=row["prevention_level"],
        intended_use=row["intended_use"],
        language=row["language"],
        status=row["status"],
        status_reason=need_reasons.show(row["status_reason"]),
        rank=row["rank"],
        cross_service=bool(row["cross_service"]),
        knowledge_gap=row["knowledge_gap"],
        municipality=s.Ref(row["municipality"], munis.get(row["municipality"], "")),
        service=s.Ref(row["service"], services.get(row["service"], "")) if row["service"] else None,
        services=[s.Ref(i, services.get(i, "")) for i in sorted(service_ids)],
        municipalities_sharing=len(sharing_munis),
        services_sharing=len(sharing_services),
        merged_into=row["merged_into"],
        created_at=row["created_at"],
        submitted_at=row["submitted_at"],
        answer_summary=row.get("answer_summary", ""),
        answer_link=row.get("answer_link", ""),
    )


async def _add_detail(out: s.NeedOut, row: Mapping[str, Any], rel: _Related) -> None:
    """Submitters, endorsements, history and similar needs: the need's own page."""
    munis, services = rel.munis, rel.service_names
    out.submitters = [
        s.Ref(x["municipality"], munis.get(x["municipality"], ""))
        for x in rel.submitters.get(out.id, [])
    ]
    out.endorsements = [
        s.EndorsementOut(
            municipality=s.Ref(e["municipality"], munis.get(e["municipality"], "")),
            service=s.Ref(e["service"], services.get(e["service"], "")) if e["service"] else None,
            note=e["note"],
            created_at=e["created_at"],
        )
        for e in rel.endorsements.get(out.id, [])
    ]
    events = (
        await NeedEvent.select(NeedEvent.all_columns(), NeedEvent.actor.name)
        .where(NeedEvent.need == out.id)
        .order_by(NeedEvent.at)
        .order_by(NeedEvent.id)
    )
    out.history = [
        s.EventOut(
            at=e["at"],
            kind=e["kind"],
            from_status=e["from_status"],
            to_status=e["to_status"],
            reason=need_reasons.show(e["reason"]),
            actor=e["actor.name"] or "",
            original_need=e["original_need"],
        )
        for e in events
    ]
    if row["status"] not in (s.NeedStatus.MERGED, s.NeedStatus.WITHDRAWN):
        out.similar = await similar_to(row)


async def need_outs(rows: Sequence[Mapping[str, Any]]) -> list[s.NeedOut]:
    """NeedOut for many needs in five queries, however many needs there are."""
    if not rows:
        return []
    rel = await _related(rows)
    return [_need_struct(r, rel) for r in rows]


async def need_out(row: Mapping[str, Any], *, detail: bool = False) -> s.NeedOut:
    rel = await _related([row])
    out = _need_struct(row, rel)
    if detail:
        await _add_detail(out, row, rel)
    return out


async def need_detail(actor: Principal, need_id: int) -> s.NeedOut:
    """A need the caller may see, with history, endorsements and similar needs."""
    return await need_out(await load_visible(actor, need_id), detail=True)


async def similar_to(need: Mapping[str, Any], limit: int = 5) -> list[s.SimilarNeed]:
    """The most similar active needs of the cluster: candidates through shared terms
    (priorities.need_terms), compared exactly (priorities.similarity)."""
    ids = await need_terms.candidates(need)
    if not ids:
        return []
    rows = await Need.select(
        Need.id, Need.title, Need.question, Need.background, Need.status
    ).where(Need.id.is_in(ids), Need.status.not_in([st.value for st in INACTIVE]))
    status = {r["id"]: r["status"] for r in rows}
    titles = {r["id"]: r["title"] for r in rows}
    target = NeedText(need["id"], need["title"], need["question"], need["background"])
    candidates = [NeedText(r["id"], r["title"], r["question"], r["background"]) for r in rows]
    return [
        s.SimilarNeed(id=i, title=titles[i], status=status[i], similarity=round(score, 3))
        for i, score in similar_needs(target, candidates, limit=limit)
    ]


async def matchable_needs(cluster_id: int) -> list[dict[str, Any]]:
    """Needs research groups should see: prioritised or literature-checked, and not already
    answered by summarised research (knowledge gap 1 = answered: disseminate instead)."""
    rows = (
        await Need.select(
            Need.id,
            Need.cluster,
            Need.municipality,
            Need.service,
            Need.title,
            Need.question,
            Need.background,
            Need.target_group,
            Need.status,
            Need.rank,
            Need.knowledge_gap,
            Need.language,
            Need.intended_use,
        )
        .where(Need.cluster == cluster_id, Need.status.is_in([m.value for m in MATCHABLE]))
        .order_by(Need.id)
    )
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["id"]))  # priority order
    return [r for r in rows if r["knowledge_gap"] != 1]


@dataclass(frozen=True)
class NeedFilter:
    cluster_id: int | None = None
    status: str | None = None
    service_id: int | None = None
    municipality_id: int | None = None
    prevention_level: str | None = None
    cross_service: bool | None = None
    q: str = ""


async def _where(actor: Principal, f: NeedFilter) -> list[Any]:
    """The list's conditions as SQL: visible clusters, drafts only their author's, filters."""
    where: list[Any] = []
    scope = cluster_filter(Need.cluster, actor)
    if scope is not None:
        where.append(scope)
    if not actor.is_admin:
        coordinated = sorted(actor.org_ids(Role.COORDINATOR)) or [-1]
        where.append(
            (Need.status != s.NeedStatus.DRAFT.value)
            | (Need.submitted_by == actor.account_id)
            | Need.municipality.is_in(coordinated)
        )
    if f.cluster_id is not None:
        where.append(Need.cluster == f.cluster_id)
    if f.status:
        where.append(Need.status == f.status)
    else:
        where.append(Need.status.not_in([s.NeedStatus.MERGED.value]))
    if f.municipality_id is not None:
        where.append(Need.municipality == f.municipality_id)
    if f.prevention_level:
        where.append(Need.prevention_level == f.prevention_level)
    if f.cross_service is not None:
        where.append(Need.cross_service == f.cross_service)
    if f.service_id is not None:
        with_service = await NeedService.select(NeedService.need).where(
            NeedService.service == f.service_id
        )
        where.append(Need.id.is_in([r["need"] for r in with_service] or [-1]))
    if f.q.strip():
        # Unicode-aware (SQLite's LIKE folds ASCII only): the text columns are matched here,
        # and the matching ids then narrow the SQL that counts and pages.
        texts = await Need.select(Need.id, Need.title, Need.question, Need.background).where(*where)
        hits = [r["id"] for r in texts if contains(f.q, r["title"], r["question"], r["background"])]
        where.append(Need.id.is_in(hits or [-1]))
    return where


async def list_needs(
    actor: Principal,
    *,
    cluster_id: int | None = None,
    status: str | None = None,
    service_id: int | None = None,
    municipality_id: int | None = None,
    prevention_level: str | None = None,
    cross_service: bool | None = None,
    q: str = "",
    page: int = 1,
    per_page: int = 50,
) -> s.NeedPage:
    """Needs visible to the caller (their clusters; drafts only their own), filtered, one
    page of them: a COUNT, a LIMIT/OFFSET select and five queries for what they refer to."""
    f = NeedFilter(
        cluster_id, status, service_id, municipality_id, prevention_level, cross_service, q
    )
    where = await _where(actor, f)
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = await Need.count().where(*where)
    rows = (
        await Need.select()
        .where(*where)
        .order_by(Need.id, ascending=False)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return s.NeedPage(items=await need_outs(rows), total=total, page=page, per_page=per_page)


async def merge_choices(actor: Principal, cluster_id: int, *, limit: int) -> list[s.MergeChoice]:
    """The first `limit` needs of list_needs(cluster_id) (newest first), with only what the
    merge form shows: one query, not the list's six."""
    where = await _where(actor, NeedFilter(cluster_id))
    rows = (
        await Need.select(
            Need.id, Need.title, Need.status, Need.municipality, Need.municipality.name
        )
        .where(*where)
        .order_by(Need.id, ascending=False)
        .limit(limit)
    )
    return [
        s.MergeChoice(
            r["id"], r["title"], r["status"], s.Ref(r["municipality"], r["municipality.name"])
        )
        for r in rows
    ]
