"""The researcher's task from matching: matched needs still waiting for their group's answer
(interested or not), one task per group so a long match list does not flood the task list.
No queries for someone who is in no research group."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.i18n import N_
from klynge.tasks import Task
from projects import match_lists

ANSWER = N_("Say whether «%(group)s» is interested in its matched needs (%(count)s waiting)")
# A need in these states no longer looks for a group.
SETTLED = frozenset({"matched", "answered", "withdrawn", "merged"})


def waiting_by_group(rows: Iterable[Mapping[str, Any]]) -> dict[int, tuple[str, int]]:
    """Group id -> (its name, matched needs without the group's answer). Pure."""
    found: dict[int, tuple[str, set[int]]] = {}
    for r in rows:
        if r["interest"] is not None or r["need_status"] in SETTLED:
            continue
        _, needs = found.setdefault(int(r["group"]), (str(r["group_name"]), set()))
        needs.add(int(r["need"]))
    return {group: (name, len(needs)) for group, (name, needs) in found.items()}


async def match_tasks(actor: Principal) -> list[Task]:
    if not actor.org_ids(Role.RESEARCHER):
        return []
    waiting = waiting_by_group(await match_lists.inbox(actor))
    return [
        Task(
            "projects.match_answer",
            ANSWER,
            name,
            "/forsker/innboks",
            params={"group": name, "count": str(count)},
        )
        for _, (name, count) in sorted(waiting.items())
    ]
