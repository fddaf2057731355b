"""Use cases for knowledge needs: create, edit, submit, withdraw, endorse, and the status
moves other use cases make (rounds, literature, matching)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid
from klynge.i18n import N_
from klynge.orgs.tables import ClusterMembership, Service
from klynge.scoping import can_manage_cluster
from priorities import handoffs, need_terms
from priorities import need_reasons as nr
from priorities import schemas as s
from priorities.need_read import load, load_visible, matchable_needs, need_out
from priorities.need_rules import (
    ADVISER_MOVES,
    CHECKABLE,
    FREE_TEXT,
    GAP_FOR_VERDICT,
    INACTIVE,
    OPEN_FOR_SUBMITTER,
    check_ages,
    check_text,
    is_submitter,
    language,
    may_submit_for,
)
from priorities.tables import Need, NeedEndorsement, NeedEvent, NeedService, NeedSubmitter

__all__ = ["matchable_needs"]  # tests of the projects app ask this module for it

NOT_A_MEMBER = N_("The municipality is not a member of the cluster.")
NOT_FOR_THIS_MUNICIPALITY = N_("You cannot submit needs for this municipality in this cluster.")


async def member_municipalities(cluster_id: int) -> set[int]:
    rows = await ClusterMembership.select(ClusterMembership.municipality).where(
        ClusterMembership.cluster == cluster_id, ClusterMembership.status == "member"
    )
    return {r["municipality"] for r in rows}


async def check_services(cluster_id: int, service_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(service_ids))
    members = await member_municipalities(cluster_id)
    rows = await Service.select(Service.id, Service.municipality).where(Service.id.is_in(ids))
    found = {r["id"] for r in rows if r["municipality"] in members}
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise Invalid(
            N_("Unknown service for this cluster."),
            [
                FieldError(
                    "service_ids",
                    N_("Service %(id)s does not belong to the cluster."),
                    params={"id": i},
                )
                for i in unknown
            ],
        )
    return ids


async def event(
    need_id: int,
    actor: Principal | None,
    kind: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    original_need: int | None = None,
) -> None:
    await NeedEvent.insert(
        NeedEvent(
            need=need_id,
            actor=actor.account_id if actor else None,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            original_need=original_need,
        )
    )


def ensure_may_submit_for(actor: Principal, municipality_id: int, cluster_id: int) -> None:
    if not may_submit_for(actor, municipality_id, cluster_id):
        raise Forbidden(NOT_FOR_THIS_MUNICIPALITY)


async def _check_origin(data: s.NeedCreate) -> list[int]:
    """The municipality is a member, the services belong to the cluster, the submitting
    service to the municipality; returns the need's services."""
    if data.municipality_id not in await member_municipalities(data.cluster_id):
        raise Invalid(NOT_A_MEMBER, [FieldError("municipality_id", NOT_A_MEMBER)])
    service_ids = await check_services(data.cluster_id, data.service_ids)
    if data.service_id is not None:
        own = (
            await Service.select(Service.municipality).where(Service.id == data.service_id).first()
        )
        if own is None or own["municipality"] != data.municipality_id:
            raise Invalid(
                N_("The service does not belong to the municipality."),
                [FieldError("service_id", N_("Choose a service in the municipality."))],
            )
    return service_ids


async def _insert_need(
    actor: Principal, data: s.NeedCreate, lang: str, service_ids: list[int]
) -> dict[str, Any]:
    status = s.NeedStatus.SUBMITTED if data.submit else s.NeedStatus.DRAFT
    row = (
        await Need.insert(
            Need(
                cluster=data.cluster_id,
                municipality=data.municipality_id,
                service=data.service_id,
                submitted_by=actor.account_id,
                title=data.title.strip(),
                question=data.question.strip(),
                background=data.background.strip(),
                age_from=data.age_from,
                age_to=data.age_to,
                target_group=data.target_group.strip(),
                prevention_level=data.prevention_level.value,
                intended_use=data.intended_use.value,
                language=lang,
                cross_service=len(service_ids) >= 2,
                status=status.value,
                submitted_at=dt.datetime.now(dt.UTC) if data.submit else None,
            )
        ).returning(*Need.all_columns())
    )[0]
    for service_id in service_ids:
        await NeedService.insert(NeedService(need=row["id"], service=service_id))
    await need_terms.write_terms(row["id"], row["cluster"], row)
    await NeedSubmitter.insert(
        NeedSubmitter(
            need=row["id"],
            account=actor.account_id,
            municipality=data.municipality_id,
            service=data.service_id,
            original_need=row["id"],
        )
    )
    await event(row["id"], actor, "status", "", status.value, nr.CREATED)
    return row


async def create_need(actor: Principal, data: s.NeedCreate, *, announce: bool = True) -> s.NeedOut:
    """`announce=False`: the caller tells the advisers once (an import of many needs)."""
    ensure_may_submit_for(actor, data.municipality_id, data.cluster_id)
    warnings = check_text({f: getattr(data, f) for f in FREE_TEXT})
    check_ages(data.age_from, data.age_to)
    lang = language(data.language)
    async with transaction():
        service_ids = await _check_origin(data)
        row = await _insert_need(actor, data, lang, service_ids)
        await audit.record(
            actor, "need.create", "need", row["id"], cluster_id=data.cluster_id, after=row
        )
        if data.submit and announce:
            await handoffs.need_submitted(row, actor.account_id)
    out = await need_out(await load(row["id"]), detail=True)
    out.warnings = warnings
    return out


def _changes(data: s.NeedUpdate, before: Mapping[str, Any]) -> dict[Any, Any]:
    changes: dict[Any, Any] = {Need.updated_at: dt.datetime.now(dt.UTC)}
    for name in (*FREE_TEXT, "age_from", "age_to"):
        value = getattr(data, name)
        if value is not None:
            changes[getattr(Need, name)] = value.strip() if isinstance(value, str) else value
    for name in ("prevention_level", "intended_use"):
        value = getattr(data, name)
        if value is not None:
            changes[getattr(Need, name)] = value.value
    if data.language is not None:
        changes[Need.language] = language(data.language)
    check_ages(
        data.age_from if data.age_from is not None else before["age_from"],
        data.age_to if data.age_to is not None else before["age_to"],
    )
    return changes


async def update_need(actor: Principal, need_id: int, data: s.NeedUpdate) -> s.NeedOut:
    fields = {f: getattr(data, f) for f in FREE_TEXT if getattr(data, f) is not None}
    warnings = check_text(fields)
    async with transaction():
        before = await load_visible(actor, need_id)
        manager = can_manage_cluster(actor, before["cluster"])
        if not (manager or is_submitter(actor, before)):
            raise Forbidden()
        if before["status"] not in OPEN_FOR_SUBMITTER and not manager:
            raise Conflict(N_("The need cannot be changed after the assessment has started."))
        changes = _changes(data, before)
        if data.service_ids is not None:
            service_ids = await check_services(before["cluster"], data.service_ids)
            await NeedService.delete().where(NeedService.need == need_id)
            for service_id in service_ids:
                await NeedService.insert(NeedService(need=need_id, service=service_id))
            changes[Need.cross_service] = len(service_ids) >= 2
        await Need.update(changes).where(Need.id == need_id)
        after = await load(need_id)
        if fields:
            await need_terms.write_terms(need_id, after["cluster"], after)
        await event(need_id, actor, "edit", reason=nr.EDITED)
        await audit.record(
            actor,
            "need.update",
            "need",
            need_id,
            cluster_id=before["cluster"],
            before=before,
            after=after,
        )
    out = await need_out(after, detail=True)
    out.warnings = warnings
    return out


async def transition(
    actor: Principal,
    need_id: int,
    allowed_from: tuple[s.NeedStatus, ...],
    to_status: s.NeedStatus,
    reason: str,
    *,
    may: Callable[[dict[str, Any]], bool],
    rank: int | None = None,
) -> dict[str, Any]:
    """Move a need along its lifecycle, recording reason and actor (history + audit log)."""
    check_text({"reason": reason})
    before = await load_visible(actor, need_id)
    if not may(before):
        raise Forbidden()
    if before["status"] not in allowed_from:
        raise Conflict(
            N_("The need has status «%(status)s» and cannot move to «%(to)s»."),
            params={"status": before["status"], "to": to_status.value},
        )
    now = dt.datetime.now(dt.UTC)
    changes: dict[Any, Any] = {
        Need.status: to_status.value,
        Need.status_reason: reason,
        Need.updated_at: now,
    }
    if to_status is s.NeedStatus.SUBMITTED:
        changes[Need.submitted_at] = now
    if to_status is s.NeedStatus.PRIORITISED:
        changes[Need.rank] = rank
    # The status condition makes two concurrent transitions resolve to one winner.
    updated = (
        await Need.update(changes)
        .where(Need.id == need_id, Need.status == before["status"])
        .returning(Need.id)
    )
    if not updated:
        raise Conflict(N_("Someone else changed the need at the same time. Reload the page."))
    await event(need_id, actor, "status", before["status"], to_status.value, reason)
    after = await load(need_id)
    await audit.record(
        actor,
        f"need.{to_status.value}",
        "need",
        need_id,
        cluster_id=before["cluster"],
        before=before,
        after=after,
    )
    return after


async def submit_need(actor: Principal, need_id: int) -> s.NeedOut:
    async with transaction():
        after = await transition(
            actor,
            need_id,
            (s.NeedStatus.DRAFT,),
            s.NeedStatus.SUBMITTED,
            nr.SUBMITTED,
            may=lambda n: is_submitter(actor, n) or can_manage_cluster(actor, n["cluster"]),
        )
        await handoffs.need_submitted(after, actor.account_id)
    return await need_out(after, detail=True)


async def withdraw_need(actor: Principal, need_id: int, data: s.Transition) -> s.NeedOut:
    async with transaction():
        after = await transition(
            actor,
            need_id,
            OPEN_FOR_SUBMITTER,
            s.NeedStatus.WITHDRAWN,
            data.reason.strip() or nr.WITHDRAWN,
            may=lambda n: is_submitter(actor, n),
        )
    return await need_out(after, detail=True)


async def set_status(
    actor: Principal,
    need_id: int,
    to_status: s.NeedStatus,
    reason: str,
    *,
    rank: int | None = None,
) -> dict[str, Any]:
    """An adviser's transition (used by rounds and decisions); runs in the caller's
    transaction."""
    if to_status not in ADVISER_MOVES:
        raise Invalid(N_("Invalid status change."))
    return await transition(
        actor,
        need_id,
        ADVISER_MOVES[to_status],
        to_status,
        reason,
        may=lambda n: can_manage_cluster(actor, n["cluster"]),
        rank=rank,
    )


async def record_literature_verdict(
    actor: Principal, need_id: int, verdict: str, reason: str
) -> dict[str, Any]:
    """The literature app's verdict on a need: sets its knowledge-gap score and moves it to
    "literature-checked". Runs in the caller's transaction."""
    gap = GAP_FOR_VERDICT[verdict]
    await Need.update({Need.knowledge_gap: gap}).where(Need.id == need_id)
    return await transition(
        actor,
        need_id,
        CHECKABLE,
        s.NeedStatus.LITERATURE_CHECKED,
        reason,
        may=lambda n: can_manage_cluster(actor, n["cluster"]),
    )


async def _check_endorsement(
    actor: Principal, need: Mapping[str, Any], data: s.EndorsementCreate
) -> None:
    if need["status"] in INACTIVE:
        raise Conflict(N_("The need cannot be endorsed in this status."))
    if not (actor.is_admin or data.municipality_id in actor.municipality_ids):
        raise Forbidden(N_("You can only endorse on behalf of your own municipality."))
    if data.municipality_id not in await member_municipalities(need["cluster"]):
        raise Invalid(NOT_A_MEMBER, [FieldError("municipality_id", NOT_A_MEMBER)])
    submitters = await NeedSubmitter.select(NeedSubmitter.municipality).where(
        NeedSubmitter.need == need["id"]
    )
    if data.municipality_id in {r["municipality"] for r in submitters}:
        raise Conflict(N_("The municipality submitted this need itself."))
    if await NeedEndorsement.exists().where(
        NeedEndorsement.need == need["id"],
        NeedEndorsement.municipality == data.municipality_id,
    ):
        raise Conflict(N_("The municipality has already said it has the same need."))


async def endorse(actor: Principal, need_id: int, data: s.EndorsementCreate) -> s.NeedOut:
    """Another municipality of the cluster says "we have the same need"."""
    check_text({"note": data.note})
    async with transaction():
        need = await load_visible(actor, need_id)
        await _check_endorsement(actor, need, data)
        await NeedEndorsement.insert(
            NeedEndorsement(
                need=need_id,
                municipality=data.municipality_id,
                service=data.service_id,
                account=actor.account_id,
                note=data.note.strip(),
            )
        )
        await event(need_id, actor, "endorse", reason=data.note.strip())
        await audit.record(
            actor,
            "need.endorse",
            "need",
            need_id,
            cluster_id=need["cluster"],
            after={"municipality": data.municipality_id, "note": data.note},
        )
    return await need_out(await load(need_id), detail=True)
