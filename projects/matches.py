"""Matching a cluster's prioritised needs to research groups, as a job; results are stored
and a need's match list is served from storage, each match with its explanation."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import bulk_insert, transaction
from klynge.errors import Conflict as ConflictError
from klynge.errors import FieldError, Forbidden, Invalid, NotFound, translate
from klynge.i18n import N_, gettext
from klynge.jobs import runner
from klynge.orgs.tables import Municipality, ResearchGroup, Service
from klynge.scoping import can_manage_cluster, ensure_cluster_visible
from priorities import api as priorities
from projects import embeddings, handoffs, match_explain, publications
from projects import groups as group_service
from projects import schemas as s
from projects.matching import GroupText, NeedText, Publication, factors, variants
from projects.matching.ensemble import Matcher
from projects.tables import Conflict, GroupMember, Match, MatchRun
from projects.workspace import api as workspace

RUN_MATCHING = "projects.run_matching"
KEEP_PER_NEED = 20  # matches stored per need (the rest are far below)

# What kind of research a need's intended use calls for (the method part of the fit).
METHODS_FOR_USE: dict[str, tuple[str, ...]] = {
    "evaluate_measure": ("rct", "quasi_experimental", "implementation", "economic"),
    "service_development": ("participatory", "qualitative", "implementation", "survey"),
    "decision": ("systematic_reviews", "register", "economic", "survey"),
    "other": (),
}


def _need_text(row: Mapping[str, Any]) -> NeedText:
    return NeedText(
        id=str(row["id"]),
        title=row["title"],
        question=row["question"],
        background=row["background"],
        language=row["language"] if row["language"] in ("nb", "nn", "en") else None,
    )


async def _group_texts(group_ids: Sequence[int]) -> tuple[list[GroupText], dict[int, list[int]]]:
    """The groups as the matcher sees them (publications with their stored vectors), and each
    group's publication ids by position."""
    profiles = {g.id: g for g in await group_service.list_groups(group_ids)}
    curated = await publications.curated_publications(group_ids)
    vectors = await embeddings.stored_vectors(
        {p["id"]: embeddings.publication_text(p) for pubs in curated.values() for p in pubs}
    )
    texts = []
    pub_ids: dict[int, list[int]] = {}
    for group_id in group_ids:
        g = profiles[group_id]
        pubs = curated.get(group_id, [])
        pub_ids[group_id] = [p["id"] for p in pubs]
        texts.append(
            GroupText(
                id=str(group_id),
                name=g.name,
                description=" ".join(x for x in (g.description, g.expertise) if x),
                keywords=tuple(g.keywords + g.target_groups),
                publications=tuple(
                    Publication(
                        title=p["title"],
                        abstract=p["abstract"],
                        year=p["year"],
                        vectors=vectors.get(p["id"], {}),
                    )
                    for p in pubs
                ),
            )
        )
    return texts, pub_ids


# Conflict reasons the platform writes (in the language of the one who runs the matching).
EMPLOYED_BY_ASKER = N_("%(name)s works in a service that submitted the need")
MANUAL_CONFLICT = N_("Conflict of interest set by hand")


async def conflicts_for(
    cluster_id: int, need_rows: Sequence[Mapping[str, Any]]
) -> factors.Conflicts:
    """Hard constraints: a member employed by a service that submitted or shares the need
    (rule), and the adviser's manual conflicts."""
    out = factors.Conflicts()
    members = await GroupMember.select(
        GroupMember.group, GroupMember.name, GroupMember.employer_service
    ).where(GroupMember.employer_service.is_not_null())
    for need in need_rows:
        services = {svc for _, svc in await priorities.asker_orgs(need["id"]) if svc is not None}
        for m in members:
            if m["employer_service"] in services:
                out.add(
                    str(need["id"]),
                    str(m["group"]),
                    translate(EMPLOYED_BY_ASKER, {"name": m["name"]}),
                )
    manual = await Conflict.select().where(Conflict.cluster == cluster_id)
    need_ids = [n["id"] for n in need_rows]
    for c in manual:
        for need_id in need_ids if c["need"] is None else [c["need"]]:
            out.add(str(need_id), str(c["group"]), c["reason"] or translate(MANUAL_CONFLICT))
    return out


async def _service_types(need_rows: Sequence[Mapping[str, Any]]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for need in need_rows:
        ids = [svc for _, svc in await priorities.asker_orgs(need["id"]) if svc is not None]
        ids += await priorities.service_ids(need["id"])
        rows = await Service.select(Service.service_type).where(Service.id.is_in(ids or [-1]))
        out[need["id"]] = {r["service_type"] for r in rows}
    return out


async def compute(
    cluster_id: int, progress: Any = None
) -> tuple[list[dict[str, Any]], int, int, list[int]]:
    """Rank every group for every matchable need of the cluster; rows ready to store. The
    publications' missing embeddings are computed (and stored) first."""
    need_rows = await priorities.matchable_needs(cluster_id)
    group_ids = [r["id"] for r in await ResearchGroup.select(ResearchGroup.id)]
    if progress:
        await progress(
            5,
            gettext(N_("%(needs)s needs and %(groups)s research groups"))
            % {"needs": len(need_rows), "groups": len(group_ids)},
        )
    await publications.embed_group_publications(
        group_ids, embeddings.job_progress(progress, 5, 50) if progress else None
    )
    texts, pub_ids = await _group_texts(group_ids)
    # Building the matcher embeds the profiles and calibrates: seconds of CPU, off the loop.
    matcher = await asyncio.to_thread(
        variants.build, texts, variants.DEFAULT, embeddings.run_source()
    )
    assert isinstance(matcher, Matcher)
    context = _Context(
        profiles={g.id: g for g in await group_service.list_groups(group_ids)},
        coords={
            r["id"]: (r["latitude"], r["longitude"])
            for r in await Municipality.select(
                Municipality.id, Municipality.latitude, Municipality.longitude
            )
            if r["latitude"] is not None and r["longitude"] is not None
        },
        service_types=await _service_types(need_rows),
        pub_ids=pub_ids,
    )
    conflicts = await conflicts_for(cluster_id, need_rows)
    rows: list[dict[str, Any]] = []
    for done, need in enumerate(need_rows, start=1):
        excluded = conflicts.excluded_groups(str(need["id"]))
        rows += await asyncio.to_thread(_match_need, matcher, need, excluded, context)
        if progress and (done % 10 == 0 or done == len(need_rows)):
            await progress(
                50 + int(40 * done / max(1, len(need_rows))),
                gettext(N_("%(done)s of %(total)s needs"))
                % {"done": done, "total": len(need_rows)},
            )
    return rows, len(need_rows), len(group_ids), [n["id"] for n in need_rows]


@dataclass(frozen=True)
class _Context:
    """What a need's matches are scored with besides the text."""

    profiles: Mapping[int, s.GroupOut]
    coords: Mapping[int, tuple[float, float]]
    service_types: Mapping[int, set[str]]
    pub_ids: Mapping[int, list[int]]


def _match_need(
    matcher: Matcher, need: Mapping[str, Any], excluded: set[str], context: _Context
) -> list[dict[str, Any]]:
    """One need's best groups, explained (CPU only: runs in a worker thread)."""
    text = _need_text(need)
    ranked = matcher.rank(text, exclude=excluded)
    scored = _scored(need, ranked, context.profiles, context.coords, context.service_types)
    rows = []
    for rank, (combined, m, g, km) in enumerate(scored[:KEEP_PER_NEED], start=1):
        if combined.score <= 0:
            break
        explanation = matcher.explain(text, m.group_id, fit=m.score)
        rows.append(
            {
                "need": need["id"],
                "group": int(m.group_id),
                "rank": rank,
                "score": round(combined.score, 6),
                "text_fit": round(m.score, 6),
                "explanation": match_explain.explanation_json(
                    explanation, combined, g, km, context.pub_ids.get(int(m.group_id), [])
                ),
            }
        )
    return rows


def _scored(
    need: Mapping[str, Any],
    ranked: Sequence[Any],
    profiles: Mapping[int, s.GroupOut],
    coords: Mapping[int, tuple[float, float]],
    service_types: Mapping[int, set[str]],
) -> list[tuple[factors.Combined, Any, s.GroupOut, float | None]]:
    """Text fit combined with method, target group, capacity and distance; best first. The
    text part is the combined fit above the average group, relative to the best group's."""
    best = factors.centred_text_fit(ranked[0].score) if ranked else 0.0
    scored = []
    for m in ranked:
        g = profiles[int(m.group_id)]
        km = factors.distance_km(
            coords.get(need["municipality"]),
            (g.latitude, g.longitude) if g.latitude is not None else None,
        )
        combined = factors.combine(
            factors.relative_text_fit(factors.centred_text_fit(m.score), best),
            method=factors.method_fit(METHODS_FOR_USE.get(need["intended_use"], ()), g.methods),
            target=factors.set_fit(service_types.get(need["id"], set()), g.service_types),
            capacity=factors.capacity_fit(g.capacity, g.capacity - g.capacity_left),
            distance=factors.distance_fit(km),
        )
        scored.append((combined, m, g, km))
    scored.sort(key=lambda x: (-x[0].score, int(x[1].group_id)))
    return scored


async def start_matching(actor: Principal, dispatcher: runner.Dispatcher, cluster_id: int) -> Any:
    from klynge.jobs.service import get_job

    ensure_cluster_visible(actor, cluster_id)
    if not can_manage_cluster(actor, cluster_id):
        raise Forbidden(N_("Only the cluster's R&D adviser can run matching."))
    async with runner.submit_after_commit(dispatcher) as submit:
        inserted = await MatchRun.insert(
            MatchRun(cluster=cluster_id, created_by=actor.account_id)
        ).returning(MatchRun.id)
        run_id = int(inserted[0]["id"])
        job_id = await submit(
            RUN_MATCHING,
            {"run_id": run_id},
            created_by=actor.account_id,
            cluster_id=cluster_id,
        )
        await MatchRun.update({MatchRun.job_id: str(job_id)}).where(MatchRun.id == run_id)
    return await get_job(actor, str(job_id))


async def run(run_id: int, progress: Any = None) -> dict[str, Any]:
    row = await MatchRun.select().where(MatchRun.id == run_id).first()
    if row is None:
        raise NotFound(N_("We could not find the matching run."))
    # Claim first: of two workers given the same run only one computes and writes it.
    claimed = (
        await MatchRun.update({MatchRun.status: "running"})
        .where(MatchRun.id == run_id, MatchRun.status == "queued")
        .returning(MatchRun.id)
    )
    if not claimed:
        raise ConflictError(N_("Matching is already running."))
    rows, n_needs, n_groups, need_ids = await compute(row["cluster"], progress)
    previously = {
        r["need"]
        for r in await Match.select(Match.need).where(
            Match.need.is_in(need_ids or [-1]), Match.run != run_id
        )
    }
    async with transaction():
        await bulk_insert(Match, [{"run": run_id, **r} for r in rows])
        await MatchRun.update(
            {
                MatchRun.status: "done",
                MatchRun.needs: n_needs,
                MatchRun.groups: n_groups,
                MatchRun.finished_at: dt.datetime.now(dt.UTC),
            }
        ).where(MatchRun.id == run_id)
        # The new run replaces older matches of the needs it covered; a need no longer
        # matchable (e.g. already matched to a project) keeps its last list.
        await Match.delete().where(Match.need.is_in(need_ids or [-1]), Match.run != run_id)
        await MatchRun.delete().where(
            MatchRun.cluster == row["cluster"],
            MatchRun.id != run_id,
            MatchRun.status == "done",
            MatchRun.id.not_in(Match.select(Match.run).distinct()),
        )
        per_need: dict[int, int] = {}
        for r in rows:
            per_need[r["need"]] = per_need.get(r["need"], 0) + 1
        for need_id, count in per_need.items():
            if need_id not in previously:
                await workspace.notify_matched(need_id, row["cluster"], count)
        await handoffs.notify_groups_matched(row["cluster"], rows, set(per_need) - previously)
    return {"run_id": run_id, "needs": n_needs, "groups": n_groups, "matches": len(rows)}


@runner.job(RUN_MATCHING)
async def run_matching(ctx: runner.JobContext) -> dict[str, Any] | None:
    run_id = int(ctx.params["run_id"])
    try:
        result = await run(run_id, ctx.progress)
    except Exception:
        await MatchRun.update({MatchRun.status: "failed"}).where(
            MatchRun.id == run_id, MatchRun.status != "done"
        )
        raise
    async with transaction():
        await ctx.finish(
            result,
            gettext(N_("%(needs)s needs matched against %(groups)s research groups."))
            % {"needs": result["needs"], "groups": result["groups"]},
            "/behov",
        )
    return None


async def add_conflict(actor: Principal, cluster_id: int, data: s.ConflictIn) -> dict[str, Any]:
    ensure_cluster_visible(actor, cluster_id)
    if not can_manage_cluster(actor, cluster_id):
        raise Forbidden(N_("Only the cluster's R&D adviser can register conflicts of interest."))
    if not await ResearchGroup.exists().where(ResearchGroup.id == data.group_id):
        raise Invalid(
            N_("Unknown group."), [FieldError("group_id", N_("The group does not exist."))]
        )
    if data.need_id is not None:
        need = await priorities.load_need(data.need_id)
        if need["cluster"] != cluster_id:
            raise Invalid(
                N_("Unknown need."), [FieldError("need_id", N_("The need is not in the cluster."))]
            )
    async with transaction():
        inserted = await Conflict.insert(
            Conflict(
                cluster=cluster_id,
                need=data.need_id,
                group=data.group_id,
                reason=data.reason,
                created_by=actor.account_id,
            )
        ).returning(Conflict.id)
        await audit.record(
            actor,
            "match.conflict",
            "match_conflict",
            inserted[0]["id"],
            cluster_id=cluster_id,
            after={"group": data.group_id, "need": data.need_id, "reason": data.reason},
        )
    return {"id": inserted[0]["id"]}
