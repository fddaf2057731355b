"""What other apps ask of a need: the matchable needs of a cluster, who asked a need (and
gets the answer back), its services, and marking it matched with research."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.orgs.tables import Municipality, Service
from klynge.scoping import can_manage_cluster
from priorities import schemas as s
from priorities.need_read import load, names
from priorities.need_rules import MATCHABLE
from priorities.needs import transition
from priorities.tables import NeedEndorsement, NeedService, NeedSubmitter


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
