"""Hand-offs (issue 15): who is told when it is their turn in the priorities app. A submitted
need goes to the cluster's advisers, an opened round to its panel, a closed round and each
decision to the services (or municipalities) that asked. Each call runs in the caller's
transaction; `notify` also queues the e-mail. Params carry titles and names only: the
decision's reason is adviser-written text, so it stays on the need's page behind the link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from klynge import notifications
from klynge.directory import cluster_advisers, municipality_names
from klynge.i18n import N_
from priorities.tables import Need, NeedSubmitter

NEED_SUBMITTED = N_("New knowledge need to triage: «%(title)s»")
NEEDS_IMPORTED = N_("%(municipality)s imported knowledge needs to triage: %(count)s")
ROUND_OPENED = N_("Your turn to score the needs of round «%(round)s»")
ROUND_CLOSING = N_("The round «%(round)s» closes on %(date)s: finish your scoring")
ROUND_CLOSED = N_("Round «%(round)s» is closed: «%(title)s» ranked %(rank)s of %(total)s")
ROUND_CLOSED_UNRANKED = N_("Round «%(round)s» is closed: the decision on «%(title)s» follows")
DECIDED = {
    "prioritised": N_("«%(title)s» was prioritised in round «%(round)s»"),
    "not_prioritised": N_("«%(title)s» was not prioritised in round «%(round)s»"),
    "deferred": N_("«%(title)s» was deferred in round «%(round)s»"),
}


def scoring_link(round_id: int) -> str:
    return f"/runder/{round_id}/skaar"


async def _advisers(cluster_id: int, actor_id: int | None) -> list[int]:
    """The cluster's advisers, but not the one who submitted (they know already)."""
    return [a for a in await cluster_advisers(cluster_id) if a != actor_id]


async def need_submitted(need: Mapping[str, Any], actor_id: int | None) -> None:
    """A need reached "submitted" (form or API): its cluster's advisers triage it."""
    for account_id in await _advisers(need["cluster"], actor_id):
        await notifications.notify(
            "priorities.need_submitted",
            NEED_SUBMITTED,
            params={"title": need["title"]},
            link=f"/behov/{need['id']}",
            cluster_id=need["cluster"],
            account_id=account_id,
        )


async def needs_imported(
    cluster_id: int, municipality_id: int, count: int, actor_id: int | None
) -> None:
    """One notification per Excel import of submitted needs, with the count."""
    name = (await municipality_names([municipality_id])).get(municipality_id, "")
    for account_id in await _advisers(cluster_id, actor_id):
        await notifications.notify(
            "priorities.needs_imported",
            NEEDS_IMPORTED,
            params={"municipality": name, "count": count},
            link="/behov",
            cluster_id=cluster_id,
            account_id=account_id,
        )


async def round_opened(round_row: Mapping[str, Any], rater_ids: Iterable[int]) -> None:
    """Everyone on the new round's panel: their scoring page."""
    for account_id in sorted(set(rater_ids)):
        await notifications.notify(
            "priorities.round_opened",
            ROUND_OPENED,
            params={"round": round_row["name"]},
            link=scoring_link(round_row["id"]),
            cluster_id=round_row["cluster"],
            account_id=account_id,
        )


async def round_closing(round_row: Mapping[str, Any], account_id: int) -> None:
    """A rater who has not finished, shortly before the round's deadline."""
    await notifications.notify(
        "priorities.round_closing",
        ROUND_CLOSING,
        params={"round": round_row["name"], "date": round_row["deadline"].date().isoformat()},
        link=scoring_link(round_row["id"]),
        cluster_id=round_row["cluster"],
        account_id=account_id,
    )


def _recipients(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, int]]:
    """The asking service, or the municipality where no service asked; each once."""
    found: dict[tuple[str, int], dict[str, int]] = {}
    for row in rows:
        if row["service"]:
            found[("service", row["service"])] = {"service_id": row["service"]}
        else:
            found[("municipality", row["municipality"])] = {"municipality_id": row["municipality"]}
    return [found[k] for k in sorted(found)]


async def askers(need_ids: Sequence[int]) -> dict[int, list[dict[str, int]]]:
    """Need id -> the recipients who asked it: the need's own service or municipality and
    those of every submitter (a merge brings the other need's submitters along)."""
    ids = list(need_ids) or [-1]
    rows: dict[int, list[Mapping[str, Any]]] = {}
    for r in await Need.select(Need.id, Need.service, Need.municipality).where(Need.id.is_in(ids)):
        rows.setdefault(r["id"], []).append(r)
    for r in await NeedSubmitter.select(
        NeedSubmitter.need, NeedSubmitter.service, NeedSubmitter.municipality
    ).where(NeedSubmitter.need.is_in(ids)):
        rows.setdefault(r["need"], []).append(r)
    return {need_id: _recipients(found) for need_id, found in rows.items()}


async def round_closed(round_row: Mapping[str, Any], items: Sequence[Mapping[str, Any]]) -> None:
    """Each need's askers: the round is closed, where their need ranked; the decision follows
    (decisions are recorded on the closed round, see `decided`)."""
    ids = [i["need_id"] for i in items]
    titles = {
        r["id"]: r["title"]
        for r in await Need.select(Need.id, Need.title).where(Need.id.is_in(ids or [-1]))
    }
    who = await askers(ids)
    ranked = sum(1 for i in items if i["rank"] is not None)
    for item in items:
        params: dict[str, str | int] = {
            "round": round_row["name"],
            "title": titles[item["need_id"]],
        }
        text = ROUND_CLOSED_UNRANKED
        if item["rank"] is not None:
            params.update(rank=item["rank"], total=ranked)
            text = ROUND_CLOSED
        for recipient in who.get(item["need_id"], []):
            await notifications.notify(
                "priorities.round_closed",
                text,
                params=params,
                link=f"/behov/{item['need_id']}",
                cluster_id=round_row["cluster"],
                **recipient,
            )


async def decided(round_row: Mapping[str, Any], need_id: int, decision: str) -> None:
    """The adviser's decision on a need of a closed round, to those who asked it. The reason
    is on the need's page (the link), not in the message."""
    title = await Need.select(Need.title).where(Need.id == need_id).first()
    for recipient in (await askers([need_id])).get(need_id, []):
        await notifications.notify(
            "priorities.decision",
            DECIDED[decision],
            params={"title": title["title"] if title else "", "round": round_row["name"]},
            link=f"/behov/{need_id}",
            cluster_id=round_row["cluster"],
            **recipient,
        )
