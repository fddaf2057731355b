"""Use cases for knowledge needs: create, edit, submit, withdraw, endorse, merge, list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from klynge import audit, privacy
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.orgs.tables import ClusterMembership, Municipality, Service
from klynge.scoping import can_manage_cluster, cluster_filter, ensure_cluster_visible
from priorities import schemas as s
from priorities.similarity import NeedText, similar_needs
from priorities.tables import Need, NeedEndorsement, NeedEvent, NeedService, NeedSubmitter

FREE_TEXT = ("title", "question", "background", "target_group")
# Statuses a need can be edited or withdrawn in by its submitter (before assessment).
OPEN_FOR_SUBMITTER = (s.NeedStatus.DRAFT, s.NeedStatus.SUBMITTED)
INACTIVE = (s.NeedStatus.WITHDRAWN, s.NeedStatus.MERGED, s.NeedStatus.DRAFT)


def check_text(fields: Mapping[str, str | None]) -> list[s.Warning]:
    """The privacy guard on every free-text field: a national ID refuses (naming the field,
    never the number); phone numbers, e-mail addresses and birth dates come back as warnings."""
    problems = privacy.guard_text(fields)
    return [s.Warning(p.field, p.kind.value, p.message) for p in problems]


def _may_submit_for(actor: Principal, municipality_id: int, cluster_id: int) -> bool:
    """Members of the municipality (coordinator, its services, user representatives) and the
    cluster's advisers may submit a need on the municipality's behalf."""
    return access.may_submit_for(actor, cluster_id, municipality_id)


def _is_submitter(actor: Principal, need: Mapping[str, Any]) -> bool:
    return need["submitted_by"] == actor.account_id or actor.coordinates(need["municipality"])


async def _member_municipalities(cluster_id: int) -> set[int]:
    rows = await ClusterMembership.select(ClusterMembership.municipality).where(
        ClusterMembership.cluster == cluster_id, ClusterMembership.status == "member"
    )
    return {r["municipality"] for r in rows}


async def _check_services(cluster_id: int, service_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(service_ids))
    members = await _member_municipalities(cluster_id)
    rows = await Service.select(Service.id, Service.municipality).where(Service.id.is_in(ids))
    found = {r["id"] for r in rows if r["municipality"] in members}
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise Invalid(
            "Ukjent tjeneste for denne klyngen.",
            [FieldError("service_ids", f"Tjenesten {i} hører ikke til klyngen.") for i in unknown],
        )
    return ids


def _check_ages(age_from: int, age_to: int) -> None:
    if age_from > age_to:
        raise Invalid(
            "Aldersspennet er ugyldig.",
            [FieldError("age_to", "«Alder til» kan ikke være lavere enn «alder fra».")],
        )


def _language(value: str) -> str:
    if value not in ("nb", "nn"):
        raise Invalid("Ukjent språk.", [FieldError("language", "Velg nb eller nn.")])
    return value


async def _event(
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


async def load(need_id: int) -> dict[str, Any]:
    row = await Need.select().where(Need.id == need_id).first()
    if row is None:
        raise NotFound("Fant ikke kunnskapsbehovet.")
    return row


async def load_visible(actor: Principal | None, need_id: int) -> dict[str, Any]:
    row = await load(need_id)
    ensure_cluster_visible(actor, row["cluster"])
    if row["status"] == s.NeedStatus.DRAFT and not (
        actor and (_is_submitter(actor, row) or actor.is_admin)
    ):
        raise NotFound("Fant ikke kunnskapsbehovet.")  # drafts are their author's own
    return row


async def create_need(actor: Principal, data: s.NeedCreate) -> s.NeedOut:
    if not _may_submit_for(actor, data.municipality_id, data.cluster_id):
        raise Forbidden("Du kan ikke melde inn behov for denne kommunen i denne klyngen.")
    warnings = check_text({f: getattr(data, f) for f in FREE_TEXT})
    _check_ages(data.age_from, data.age_to)
    language = _language(data.language)
    async with transaction():
        if data.municipality_id not in await _member_municipalities(data.cluster_id):
            raise Invalid(
                "Kommunen er ikke medlem av klyngen.",
                [FieldError("municipality_id", "Kommunen er ikke medlem av klyngen.")],
            )
        service_ids = await _check_services(data.cluster_id, data.service_ids)
        if data.service_id is not None:
            own = (
                await Service.select(Service.municipality)
                .where(Service.id == data.service_id)
                .first()
            )
            if own is None or own["municipality"] != data.municipality_id:
                raise Invalid(
                    "Tjenesten hører ikke til kommunen.",
                    [FieldError("service_id", "Velg en tjeneste i kommunen.")],
                )
        now = dt.datetime.now(dt.UTC)
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
                    language=language,
                    cross_service=len(service_ids) >= 2,
                    status=status.value,
                    submitted_at=now if data.submit else None,
                )
            ).returning(*Need.all_columns())
        )[0]
        need_id = row["id"]
        for service_id in service_ids:
            await NeedService.insert(NeedService(need=need_id, service=service_id))
        await NeedSubmitter.insert(
            NeedSubmitter(
                need=need_id,
                account=actor.account_id,
                municipality=data.municipality_id,
                service=data.service_id,
                original_need=need_id,
            )
        )
        await _event(need_id, actor, "status", "", status.value, "Opprettet")
        await audit.record(
            actor, "need.create", "need", need_id, cluster_id=data.cluster_id, after=row
        )
    out = await need_out(await load(need_id), detail=True)
    out.warnings = warnings
    return out


async def update_need(actor: Principal, need_id: int, data: s.NeedUpdate) -> s.NeedOut:
    fields = {f: getattr(data, f) for f in FREE_TEXT if getattr(data, f) is not None}
    warnings = check_text(fields)
    async with transaction():
        before = await load_visible(actor, need_id)
        manager = can_manage_cluster(actor, before["cluster"])
        if not (manager or _is_submitter(actor, before)):
            raise Forbidden()
        if before["status"] not in OPEN_FOR_SUBMITTER and not manager:
            raise Conflict("Behovet kan ikke endres etter at vurderingen har startet.")
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
            changes[Need.language] = _language(data.language)
        _check_ages(
            data.age_from if data.age_from is not None else before["age_from"],
            data.age_to if data.age_to is not None else before["age_to"],
        )
        if data.service_ids is not None:
            service_ids = await _check_services(before["cluster"], data.service_ids)
            await NeedService.delete().where(NeedService.need == need_id)
            for service_id in service_ids:
                await NeedService.insert(NeedService(need=need_id, service=service_id))
            changes[Need.cross_service] = len(service_ids) >= 2
        await Need.update(changes).where(Need.id == need_id)
        after = await load(need_id)
        await _event(need_id, actor, "edit", reason="Endret")
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


async def _transition(
    actor: Principal,
    need_id: int,
    allowed_from: tuple[s.NeedStatus, ...],
    to_status: s.NeedStatus,
    reason: str,
    *,
    may: Any,
    rank: int | None = None,
) -> dict[str, Any]:
    """Move a need along its lifecycle, recording reason and actor (history + audit log)."""
    check_text({"reason": reason})
    before = await load_visible(actor, need_id)
    if not may(before):
        raise Forbidden()
    if before["status"] not in allowed_from:
        raise Conflict(
            f"Behovet har status «{before['status']}» og kan ikke gå til «{to_status.value}»."
        )
    changes: dict[Any, Any] = {
        Need.status: to_status.value,
        Need.status_reason: reason,
        Need.updated_at: dt.datetime.now(dt.UTC),
    }
    if to_status is s.NeedStatus.SUBMITTED:
        changes[Need.submitted_at] = dt.datetime.now(dt.UTC)
    if to_status is s.NeedStatus.PRIORITISED:
        changes[Need.rank] = rank
    # The status condition makes two concurrent transitions resolve to one winner.
    updated = (
        await Need.update(changes)
        .where(Need.id == need_id, Need.status == before["status"])
        .returning(Need.id)
    )
    if not updated:
        raise Conflict("Behovet ble endret samtidig av noen andre. Last siden på nytt.")
    await _event(need_id, actor, "status", before["status"], to_status.value, reason)
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
        after = await _transition(
            actor,
            need_id,
            (s.NeedStatus.DRAFT,),
            s.NeedStatus.SUBMITTED,
            "Sendt inn",
            may=lambda n: _is_submitter(actor, n) or can_manage_cluster(actor, n["cluster"]),
        )
    return await need_out(after, detail=True)


async def withdraw_need(actor: Principal, need_id: int, data: s.Transition) -> s.NeedOut:
    async with transaction():
        after = await _transition(
            actor,
            need_id,
            OPEN_FOR_SUBMITTER,
            s.NeedStatus.WITHDRAWN,
            data.reason.strip() or "Trukket av innsender",
            may=lambda n: _is_submitter(actor, n),
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
    checked = s.NeedStatus.LITERATURE_CHECKED
    allowed: dict[s.NeedStatus, tuple[s.NeedStatus, ...]] = {
        s.NeedStatus.UNDER_ASSESSMENT: (s.NeedStatus.SUBMITTED, s.NeedStatus.DEFERRED, checked),
        s.NeedStatus.PRIORITISED: (s.NeedStatus.UNDER_ASSESSMENT, *_DECIDED, checked),
        s.NeedStatus.NOT_PRIORITISED: (s.NeedStatus.UNDER_ASSESSMENT, *_DECIDED, checked),
        s.NeedStatus.DEFERRED: (s.NeedStatus.UNDER_ASSESSMENT, *_DECIDED, checked),
        s.NeedStatus.ARCHIVED: tuple(st for st in s.NeedStatus if st != s.NeedStatus.ARCHIVED),
    }
    if to_status not in allowed:
        raise Invalid("Ugyldig statusendring.")
    return await _transition(
        actor,
        need_id,
        allowed[to_status],
        to_status,
        reason,
        may=lambda n: can_manage_cluster(actor, n["cluster"]),
        rank=rank,
    )


_DECIDED = (s.NeedStatus.PRIORITISED, s.NeedStatus.NOT_PRIORITISED, s.NeedStatus.DEFERRED)

# The literature verdict -> the knowledge-gap criterion (domain.md: answered 1, partly 3,
# unanswered 5).
GAP_FOR_VERDICT = {"answered": 1, "partly": 3, "unanswered": 5}
CHECKABLE = (
    s.NeedStatus.SUBMITTED,
    s.NeedStatus.UNDER_ASSESSMENT,
    *_DECIDED,
    s.NeedStatus.LITERATURE_CHECKED,
)


async def record_literature_verdict(
    actor: Principal, need_id: int, verdict: str, reason: str
) -> dict[str, Any]:
    """The literature app's verdict on a need: sets its knowledge-gap score and moves it to
    "literature-checked". Runs in the caller's transaction."""
    gap = GAP_FOR_VERDICT[verdict]
    await Need.update({Need.knowledge_gap: gap}).where(Need.id == need_id)
    return await _transition(
        actor,
        need_id,
        CHECKABLE,
        s.NeedStatus.LITERATURE_CHECKED,
        reason,
        may=lambda n: can_manage_cluster(actor, n["cluster"]),
    )


async def endorse(actor: Principal, need_id: int, data: s.EndorsementCreate) -> s.NeedOut:
    """Another municipality of the cluster says "we have the same need"."""
    check_text({"note": data.note})
    async with transaction():
        need = await load_visible(actor, need_id)
        if need["status"] in INACTIVE:
            raise Conflict("Behovet kan ikke støttes i denne statusen.")
        if not (actor.is_admin or data.municipality_id in actor.municipality_ids):
            raise Forbidden("Du kan bare støtte på vegne av din egen kommune.")
        if data.municipality_id not in await _member_municipalities(need["cluster"]):
            raise Invalid(
                "Kommunen er ikke medlem av klyngen.",
                [FieldError("municipality_id", "Kommunen er ikke medlem av klyngen.")],
            )
        submitters = await NeedSubmitter.select(NeedSubmitter.municipality).where(
            NeedSubmitter.need == need_id
        )
        if data.municipality_id in {r["municipality"] for r in submitters}:
            raise Conflict("Kommunen har selv meldt inn dette behovet.")
        if await NeedEndorsement.exists().where(
            NeedEndorsement.need == need_id,
            NeedEndorsement.municipality == data.municipality_id,
        ):
            raise Conflict("Kommunen har allerede sagt at den har samme behov.")
        await NeedEndorsement.insert(
            NeedEndorsement(
                need=need_id,
                municipality=data.municipality_id,
                service=data.service_id,
                account=actor.account_id,
                note=data.note.strip(),
            )
        )
        await _event(need_id, actor, "endorse", reason=data.note.strip())
        await audit.record(
            actor,
            "need.endorse",
            "need",
            need_id,
            cluster_id=need["cluster"],
            after={"municipality": data.municipality_id, "note": data.note},
        )
    return await need_out(await load(need_id), detail=True)


async def merge(actor: Principal, data: s.MergeRequest) -> s.NeedOut:
    """The adviser merges needs into one: the target keeps every submitter, endorsement,
    service and the history of all of them; the sources point at the target."""
    sources = sorted(set(data.source_ids) - {data.target_id})
    if not sources:
        raise Invalid(
            "Velg minst ett annet behov å slå sammen med.",
            [FieldError("source_ids", "Velg minst ett annet behov.")],
        )
    check_text({"reason": data.reason})
    async with transaction():
        target = await load_visible(actor, data.target_id)
        if not can_manage_cluster(actor, target["cluster"]):
            raise Forbidden("Bare klyngens FoU-rådgiver kan slå sammen behov.")
        if target["status"] in INACTIVE:
            raise Conflict("Målbehovet kan ikke ta imot en sammenslåing i denne statusen.")
        endorsed = {
            r["municipality"]
            for r in await NeedEndorsement.select(NeedEndorsement.municipality).where(
                NeedEndorsement.need == data.target_id
            )
        }
        services = {
            r["service"]
            for r in await NeedService.select(NeedService.service).where(
                NeedService.need == data.target_id
            )
        }
        for source_id in sources:
            source = await load(source_id)
            if source["cluster"] != target["cluster"]:
                raise Invalid(
                    "Behov fra ulike klynger kan ikke slås sammen.",
                    [FieldError("source_ids", f"Behov {source_id} er i en annen klynge.")],
                )
            if source["status"] in (s.NeedStatus.MERGED, s.NeedStatus.WITHDRAWN):
                raise Conflict(f"Behov {source_id} er allerede slått sammen eller trukket.")
            await NeedSubmitter.update({NeedSubmitter.need: data.target_id}).where(
                NeedSubmitter.need == source_id
            )
            for endorsement in await NeedEndorsement.select().where(
                NeedEndorsement.need == source_id
            ):
                if endorsement["municipality"] in endorsed:
                    continue  # one endorsement per municipality; the target's is kept
                await NeedEndorsement.update({NeedEndorsement.need: data.target_id}).where(
                    NeedEndorsement.id == endorsement["id"]
                )
                endorsed.add(endorsement["municipality"])
            for row in await NeedService.select(NeedService.service).where(
                NeedService.need == source_id
            ):
                if row["service"] not in services:
                    await NeedService.insert(
                        NeedService(need=data.target_id, service=row["service"])
                    )
                    services.add(row["service"])
            for event in await NeedEvent.select().where(NeedEvent.need == source_id):
                await NeedEvent.insert(
                    NeedEvent(
                        need=data.target_id,
                        at=event["at"],
                        actor=event["actor"],
                        kind=event["kind"],
                        from_status=event["from_status"],
                        to_status=event["to_status"],
                        reason=event["reason"],
                        original_need=event["original_need"] or source_id,
                    )
                )
            await Need.update(
                {
                    Need.status: s.NeedStatus.MERGED.value,
                    Need.merged_into: data.target_id,
                    Need.status_reason: data.reason or f"Slått sammen med behov {data.target_id}",
                }
            ).where(Need.id == source_id)
            await _event(
                source_id,
                actor,
                "merge",
                source["status"],
                "merged",
                data.reason or f"Slått sammen med behov {data.target_id}",
            )
            await _event(
                data.target_id,
                actor,
                "merge",
                reason=data.reason or f"Behov {source_id} slått sammen hit",
                original_need=source_id,
            )
        # Submitting municipalities are not also "endorsers" of their own need.
        submitter_munis = {
            r["municipality"]
            for r in await NeedSubmitter.select(NeedSubmitter.municipality).where(
                NeedSubmitter.need == data.target_id
            )
        }
        await Need.update({Need.cross_service: len(services) >= 2}).where(Need.id == data.target_id)
        await audit.record(
            actor,
            "need.merge",
            "need",
            data.target_id,
            cluster_id=target["cluster"],
            after={
                "merged": sources,
                "reason": data.reason,
                "submitting_municipalities": sorted(submitter_munis),
            },
        )
    return await need_out(await load(data.target_id), detail=True)


async def similar_to(need: Mapping[str, Any], limit: int = 5) -> list[s.SimilarNeed]:
    rows = await Need.select(
        Need.id, Need.title, Need.question, Need.background, Need.status
    ).where(
        Need.cluster == need["cluster"],
        Need.status.not_in([st.value for st in INACTIVE]),
        Need.id != need["id"],
    )
    status = {r["id"]: r["status"] for r in rows}
    titles = {r["id"]: r["title"] for r in rows}
    target = NeedText(need["id"], need["title"], need["question"], need["background"])
    candidates = [NeedText(r["id"], r["title"], r["question"], r["background"]) for r in rows]
    return [
        s.SimilarNeed(id=i, title=titles[i], status=status[i], similarity=round(score, 3))
        for i, score in similar_needs(target, candidates, limit=limit)
    ]


async def _names(table: Any, ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = await table.select(table.id, table.name).where(table.id.is_in(ids))
    return {r["id"]: r["name"] for r in rows}


MATCHABLE = (s.NeedStatus.PRIORITISED, s.NeedStatus.LITERATURE_CHECKED)


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


async def mark_matched(actor: Principal, need_id: int, reason: str) -> dict[str, Any]:
    """A research group will take the need on (its proposal was accepted). Runs in the
    caller's transaction."""
    return await _transition(
        actor,
        need_id,
        (*MATCHABLE, s.NeedStatus.MATCHED),
        s.NeedStatus.MATCHED,
        reason,
        may=lambda n: can_manage_cluster(actor, n["cluster"]),
    )


async def service_ids(need_id: int) -> list[int]:
    """The services the need concerns (a cross-service need has two or more)."""
    rows = await NeedService.select(NeedService.service).where(NeedService.need == need_id)
    return [r["service"] for r in rows]


async def asker_orgs(need_id: int) -> list[tuple[int, int | None]]:
    """(municipality, service) of everyone who asked the need: submitters and endorsers."""
    row = await load(need_id)
    submitters = await NeedSubmitter.select().where(NeedSubmitter.need == need_id)
    endorsements = await NeedEndorsement.select().where(NeedEndorsement.need == need_id)
    pairs = [(row["municipality"], row["service"])]
    pairs += [(x["municipality"], x["service"]) for x in submitters]
    pairs += [(e["municipality"], e["service"]) for e in endorsements]
    return list(dict.fromkeys(pairs))


async def askers(need_id: int) -> list[str]:
    """Everyone who asked the question: the submitting municipalities and services, and those
    who endorsed it ("we have the same need") - who an answer goes back to."""
    row = await load(need_id)
    submitters = await NeedSubmitter.select().where(NeedSubmitter.need == need_id)
    endorsements = await NeedEndorsement.select().where(NeedEndorsement.need == need_id)
    pairs = [(row["municipality"], row["service"])]
    pairs += [(x["municipality"], x["service"]) for x in submitters]
    pairs += [(e["municipality"], e["service"]) for e in endorsements]
    munis = await _names(Municipality, [m for m, _ in pairs])
    services = await _names(Service, [v for _, v in pairs if v])
    names = [services[v] if v else munis.get(m, "") for m, v in pairs]
    return [n for n in dict.fromkeys(names) if n]


async def need_out(row: Mapping[str, Any], *, detail: bool = False) -> s.NeedOut:
    need_id = row["id"]
    service_rows = await NeedService.select(NeedService.service).where(NeedService.need == need_id)
    endorsements = await NeedEndorsement.select().where(NeedEndorsement.need == need_id)
    submitters = await NeedSubmitter.select().where(NeedSubmitter.need == need_id)
    service_ids = [r["service"] for r in service_rows]
    munis = await _names(
        Municipality,
        [row["municipality"]]
        + [e["municipality"] for e in endorsements]
        + [x["municipality"] for x in submitters],
    )
    services = await _names(
        Service,
        service_ids
        + [e["service"] for e in endorsements if e["service"]]
        + ([row["service"]] if row["service"] else []),
    )
    sharing_munis = (
        {row["municipality"]}
        | {x["municipality"] for x in submitters}
        | {e["municipality"] for e in endorsements}
    )
    sharing_services = set(service_ids) | {e["service"] for e in endorsements if e["service"]}
    out = s.NeedOut(
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
        status_reason=row["status_reason"],
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
    )
    if detail:
        out.submitters = [
            s.Ref(x["municipality"], munis.get(x["municipality"], "")) for x in submitters
        ]
        out.endorsements = [
            s.EndorsementOut(
                municipality=s.Ref(e["municipality"], munis.get(e["municipality"], "")),
                service=s.Ref(e["service"], services.get(e["service"], ""))
                if e["service"]
                else None,
                note=e["note"],
                created_at=e["created_at"],
            )
            for e in endorsements
        ]
        events = (
            await NeedEvent.select(NeedEvent.all_columns(), NeedEvent.actor.name)
            .where(NeedEvent.need == need_id)
            .order_by(NeedEvent.at)
            .order_by(NeedEvent.id)
        )
        out.history = [
            s.EventOut(
                at=e["at"],
                kind=e["kind"],
                from_status=e["from_status"],
                to_status=e["to_status"],
                reason=e["reason"],
                actor=e["actor.name"] or "",
                original_need=e["original_need"],
            )
            for e in events
        ]
        if row["status"] not in (s.NeedStatus.MERGED, s.NeedStatus.WITHDRAWN):
            out.similar = await similar_to(row)
    return out


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
    """Needs visible to the caller (their clusters; drafts only their own), filtered."""
    from klynge.text import contains

    query = Need.select().order_by(Need.id, ascending=False)
    scope = cluster_filter(Need.cluster, actor)
    if scope is not None:
        query = query.where(scope)
    if cluster_id is not None:
        query = query.where(Need.cluster == cluster_id)
    if status:
        query = query.where(Need.status == status)
    else:
        query = query.where(Need.status.not_in([s.NeedStatus.MERGED.value]))
    if municipality_id is not None:
        query = query.where(Need.municipality == municipality_id)
    if prevention_level:
        query = query.where(Need.prevention_level == prevention_level)
    if cross_service is not None:
        query = query.where(Need.cross_service == cross_service)
    if service_id is not None:
        with_service = await NeedService.select(NeedService.need).where(
            NeedService.service == service_id
        )
        query = query.where(Need.id.is_in([r["need"] for r in with_service] or [-1]))
    rows = [
        r
        for r in await query
        if r["status"] != s.NeedStatus.DRAFT or _is_submitter(actor, r) or actor.is_admin
    ]
    if q.strip():
        # Unicode-aware (SQLite's LIKE folds ASCII only); needs per cluster are few hundred.
        rows = [r for r in rows if contains(q, r["title"], r["question"], r["background"])]
    total = len(rows)
    page = max(1, page)
    per_page = max(1, min(per_page, 200))
    chunk = rows[(page - 1) * per_page : page * per_page]
    return s.NeedPage(
        items=[await need_out(r) for r in chunk], total=total, page=page, per_page=per_page
    )


def may_manage(actor: Principal, cluster_id: int) -> bool:
    return can_manage_cluster(actor, cluster_id)


def submitter_roles() -> tuple[Role, ...]:
    return (
        Role.COORDINATOR,
        Role.SERVICE_LEADER,
        Role.SERVICE_EMPLOYEE,
        Role.USER_REPRESENTATIVE,
        Role.ADVISER,
    )
