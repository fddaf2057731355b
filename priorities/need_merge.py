"""Merging needs: the target keeps every submitter, endorsement, service and the history of
the sources; the sources point at the target."""

from __future__ import annotations

from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster
from priorities import need_reasons as nr
from priorities import schemas as s
from priorities.need_read import load, load_visible, need_out
from priorities.need_rules import INACTIVE, check_text
from priorities.needs import event
from priorities.tables import Need, NeedEndorsement, NeedEvent, NeedService, NeedSubmitter


def _sources(data: s.MergeRequest) -> list[int]:
    sources = sorted(set(data.source_ids) - {data.target_id})
    if not sources:
        raise Invalid(
            N_("Choose at least one other need to merge with."),
            [FieldError("source_ids", N_("Choose at least one other need."))],
        )
    return sources


async def _target(actor: Principal, target_id: int) -> dict[str, Any]:
    target = await load_visible(actor, target_id)
    if not can_manage_cluster(actor, target["cluster"]):
        raise Forbidden(N_("Only the cluster's R&D adviser can merge needs."))
    if target["status"] in INACTIVE:
        raise Conflict(N_("The target need cannot take a merge in this status."))
    return target


async def _source(actor: Principal, source_id: int, target: dict[str, Any]) -> dict[str, Any]:
    # A need the caller may not see answers exactly as a missing one: ids cannot be probed.
    source = await load_visible(actor, source_id)
    if source["cluster"] != target["cluster"]:
        raise Invalid(
            N_("Needs from different clusters cannot be merged."),
            [
                FieldError(
                    "source_ids",
                    N_("Need %(id)s is in another cluster."),
                    params={"id": source_id},
                )
            ],
        )
    if source["status"] in (s.NeedStatus.MERGED, s.NeedStatus.WITHDRAWN):
        raise Conflict(N_("Need %(id)s is already merged or withdrawn."), params={"id": source_id})
    return source


async def _move_endorsements(source_id: int, target_id: int, endorsed: set[int]) -> None:
    for endorsement in await NeedEndorsement.select().where(NeedEndorsement.need == source_id):
        if endorsement["municipality"] in endorsed:
            continue  # one endorsement per municipality; the target's is kept
        await NeedEndorsement.update({NeedEndorsement.need: target_id}).where(
            NeedEndorsement.id == endorsement["id"]
        )
        endorsed.add(endorsement["municipality"])


async def _move_services(source_id: int, target_id: int, services: set[int]) -> None:
    for row in await NeedService.select(NeedService.service).where(NeedService.need == source_id):
        if row["service"] not in services:
            await NeedService.insert(NeedService(need=target_id, service=row["service"]))
            services.add(row["service"])


async def _copy_history(source_id: int, target_id: int) -> None:
    for e in await NeedEvent.select().where(NeedEvent.need == source_id):
        await NeedEvent.insert(
            NeedEvent(
                need=target_id,
                at=e["at"],
                actor=e["actor"],
                kind=e["kind"],
                from_status=e["from_status"],
                to_status=e["to_status"],
                reason=e["reason"],
                original_need=e["original_need"] or source_id,
            )
        )


async def _close_source(
    actor: Principal, source: dict[str, Any], target_id: int, reason: str
) -> None:
    source_id = source["id"]
    text = reason or nr.reason(nr.MERGED_INTO, id=target_id)
    await Need.update(
        {
            Need.status: s.NeedStatus.MERGED.value,
            Need.merged_into: target_id,
            Need.status_reason: text,
        }
    ).where(Need.id == source_id)
    await event(source_id, actor, "merge", source["status"], "merged", text)
    await event(
        target_id,
        actor,
        "merge",
        reason=reason or nr.reason(nr.MERGED_HERE, id=source_id),
        original_need=source_id,
    )


async def merge(actor: Principal, data: s.MergeRequest) -> s.NeedOut:
    """The adviser merges needs into one (see the module's docstring)."""
    sources = _sources(data)
    check_text({"reason": data.reason})
    target_id = data.target_id
    async with transaction():
        target = await _target(actor, target_id)
        endorsed = {
            r["municipality"]
            for r in await NeedEndorsement.select(NeedEndorsement.municipality).where(
                NeedEndorsement.need == target_id
            )
        }
        services = {
            r["service"]
            for r in await NeedService.select(NeedService.service).where(
                NeedService.need == target_id
            )
        }
        for source_id in sources:
            source = await _source(actor, source_id, target)
            await NeedSubmitter.update({NeedSubmitter.need: target_id}).where(
                NeedSubmitter.need == source_id
            )
            await _move_endorsements(source_id, target_id, endorsed)
            await _move_services(source_id, target_id, services)
            await _copy_history(source_id, target_id)
            await _close_source(actor, source, target_id, data.reason)
        # Submitting municipalities are not also "endorsers" of their own need.
        submitter_munis = {
            r["municipality"]
            for r in await NeedSubmitter.select(NeedSubmitter.municipality).where(
                NeedSubmitter.need == target_id
            )
        }
        await Need.update({Need.cross_service: len(services) >= 2}).where(Need.id == target_id)
        await audit.record(
            actor,
            "need.merge",
            "need",
            target_id,
            cluster_id=target["cluster"],
            after={
                "merged": sources,
                "reason": data.reason,
                "submitting_municipalities": sorted(submitter_munis),
            },
        )
    return await need_out(await load(target_id), detail=True)
