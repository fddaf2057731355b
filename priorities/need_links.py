"""What other apps ask of a need: the matchable needs of a cluster, who asked a need (and
gets the answer back), its services, marking it matched with research, and answered by a
project's findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.orgs.tables import Municipality, Service
from klynge.scoping import can_manage_cluster
from priorities import schemas as s
from priorities.need_read import load, names
from priorities.need_rules import MATCHABLE
from priorities.needs import event, transition
from priorities.tables import Need, NeedEndorsement, NeedService, NeedSubmitter


async def mark_matched(actor: Principal, need_id: int, reason: str) -> dict[str, Any]:
    """A research group will take the need on (its proposal was accepted). Runs in the
    caller's transaction."""
    return await transition(
        actor,
        need_id,
        (*MATCHABLE, s.NeedStatus.MATCHED),
        s.NeedStatus.MATCHED,
        reason,
        may=lambda n: can_manage_cluster(actor, n["cluster"]),
    )


# A need a project works on: matched (or in a project), or still on the prioritised list.
ANSWERABLE = (*MATCHABLE, s.NeedStatus.MATCHED, s.NeedStatus.IN_PROJECT)


async def mark_answered(
    actor: Principal, need_id: int, *, summary: str, link: str, reason: str
) -> bool:
    """A project's first published outcome answers the need: status "answered" with the public
    summary and the link to the findings. The caller has decided that `actor` may publish the
    project's findings; runs in the caller's transaction. An answered (or withdrawn, merged,
    archived) need is left as it is: True only when this call answered it."""
    before = await load(need_id)
    if before["status"] not in ANSWERABLE:
        return False
    now = dt.datetime.now(dt.UTC)
    answered = s.NeedStatus.ANSWERED.value
    updated = (
        await Need.update(
            {
                Need.status: answered,
                Need.status_reason: reason,
                Need.updated_at: now,
                Need.answer_summary: summary,
                Need.answer_link: link,
                Need.answered_at: now,
            }
        )
        .where(Need.id == need_id, Need.status == before["status"])
        .returning(Need.id)
    )
    if not updated:
        return False
    await event(need_id, actor, "status", before["status"], answered, reason)
    await audit.record(
        actor,
        "need.answered",
        "need",
        need_id,
        cluster_id=before["cluster"],
        before=before,
        after=await load(need_id),
    )
    return True


async def needs_asked_by(actor: Principal) -> list[int]:
    """The needs the caller asked: submitted or endorsed by a service they work in, or by a
    municipality they coordinate (three queries)."""
    services = sorted(actor.org_ids(Role.SERVICE_LEADER, Role.SERVICE_EMPLOYEE))
    munis = sorted(actor.org_ids(Role.COORDINATOR))
    if not services and not munis:
        return []
    found = {
        r["id"]
        for r in await Need.select(Need.id).where(
            Need.service.is_in(services or [-1]) | Need.municipality.is_in(munis or [-1])
        )
    }
    for table in (NeedSubmitter, NeedEndorsement):
        rows = await table.select(table.need).where(
            table.service.is_in(services or [-1]) | table.municipality.is_in(munis or [-1])
        )
        found |= {r["need"] for r in rows}
    return sorted(found)


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
    pairs = await asker_orgs(need_id)
    munis = await names(Municipality, [m for m, _ in pairs])
    services = await names(Service, [v for _, v in pairs if v])
    found = [services[v] if v else munis.get(m, "") for m, v in pairs]
    return [n for n in dict.fromkeys(found) if n]


async def endorsing_municipalities(need_id: int) -> list[int]:
    """The municipalities that endorsed the need ("we have the same need"), in order."""
    rows = (
        await NeedEndorsement.select(NeedEndorsement.municipality)
        .where(NeedEndorsement.need == need_id)
        .order_by(NeedEndorsement.id)
    )
    return list(dict.fromkeys(r["municipality"] for r in rows))
