"""Hand-offs of matching and proposals, in-app and by e-mail (klynge.notifications): research
groups hear of the needs matched to them; the cluster's advisers and the asking services hear
of a submitted proposal; the proposing group hears the adviser's decision. Each runs in the
caller's transaction. Params carry titles and names only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from klynge import notifications
from klynge.auth.roles import Role
from klynge.db import json_value
from klynge.directory import cluster_advisers, group_names, org_people
from klynge.i18n import N_
from priorities import api as priorities

MATCHED = N_(
    "Your group «%(group)s» is matched to the need «%(title)s»: answer if you are interested."
)
SUBMITTED_ADVISER = N_("A proposal «%(title)s» from «%(group)s» waits for your assessment.")
SUBMITTED_ASKER = N_("«%(group)s» proposes the project «%(title)s» for the need «%(need)s».")
DECIDED: dict[str, str] = {
    "accepted": N_("Your proposal «%(title)s» is accepted: the project is created."),
    "declined": N_("Your proposal «%(title)s» is declined; the adviser's reason is on the page."),
    "changes_requested": N_(
        "The adviser asks for changes to your proposal «%(title)s»: revise and submit it again."
    ),
}


async def researchers(group_ids: Iterable[int]) -> dict[int, list[int]]:
    """Group id -> account ids of its researchers (active accounts)."""
    people = await org_people(group_ids=sorted(set(group_ids)), roles=(Role.RESEARCHER,))
    found: dict[int, list[int]] = {}
    for p in people:
        found.setdefault(p["org_id"], []).append(p["id"])
    return found


async def notify_groups_matched(
    cluster_id: int, rows: Iterable[Mapping[str, Any]], need_ids: set[int]
) -> None:
    """Tell each group's researchers about every need in `need_ids` matched to the group."""
    pairs = sorted({(r["need"], r["group"]) for r in rows if r["need"] in need_ids})
    if not pairs:
        return
    groups = {g for _, g in pairs}
    people = await researchers(groups)
    names = await group_names(sorted(groups))
    titles = await priorities.need_titles(sorted({n for n, _ in pairs}))
    for need_id, group_id in pairs:
        for account_id in people.get(group_id, []):
            await notifications.notify(
                "need_matched_group",
                MATCHED,
                params={"group": names.get(group_id, ""), "title": titles.get(need_id, "")},
                link=f"/forsker/innboks#behov-{need_id}-{group_id}",
                cluster_id=cluster_id,
                account_id=account_id,
            )


async def notify_submitted(row: Mapping[str, Any], *, kind: str = "proposal_submitted") -> None:
    """A proposal (its row) was submitted or resubmitted: the cluster's advisers assess it,
    and the services (or municipalities) that asked its needs are told."""
    group = (await group_names([row["group"]])).get(row["group"], "")
    link = f"/forslag/{row['id']}"
    for account_id in await cluster_advisers(row["cluster"]):
        await notifications.notify(
            kind,
            SUBMITTED_ADVISER,
            params={"title": row["title"], "group": group},
            link=link,
            cluster_id=row["cluster"],
            account_id=account_id,
        )
    told: set[tuple[int, int | None]] = set()
    need_ids = [int(i) for i in json_value(row["need_ids"], [])]
    titles = await priorities.need_titles(need_ids)
    for need_id in need_ids:
        for municipality, service in await priorities.asker_orgs(need_id):
            if (municipality, service) in told:
                continue
            told.add((municipality, service))
            await notifications.notify(
                kind,
                SUBMITTED_ASKER,
                params={"title": row["title"], "group": group, "need": titles.get(need_id, "")},
                link=link,
                cluster_id=row["cluster"],
                service_id=service,
                municipality_id=None if service else municipality,
            )


async def notify_decided(row: Mapping[str, Any], status: str, project_id: int | None) -> None:
    """The adviser decided a proposal: its group's researchers and its author are told."""
    people = set((await researchers([row["group"]])).get(row["group"], []))
    if row.get("created_by") is not None:
        people.add(row["created_by"])
    link = f"/prosjekter/{project_id}" if project_id is not None else f"/forslag/{row['id']}"
    for account_id in sorted(people):
        await notifications.notify(
            f"proposal_review_{status}",
            DECIDED[status],
            params={"title": row["title"]},
            link=link,
            cluster_id=row["cluster"],
            account_id=account_id,
        )
