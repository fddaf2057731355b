"""The literature part's contribution to each user's task list: open checks whose records
wait for the caller to screen, and — for the cluster's R&D adviser — disagreements to settle
and verdicts to give. Three queries, whatever the number of checks (one when there is none): the
screening state is summed up by the database (literature.screening_sql), not loaded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge.auth.principal import Principal
from klynge.db import json_value
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster
from klynge.tasks import Task
from literature import screening, screening_sql
from literature.tables import LiteratureCheck
from priorities import api as priorities

SCREEN = N_("Screen the records of the literature check «%(title)s» (%(count)s waiting)")
SETTLE = N_("Settle the screeners' disagreements in the literature check «%(title)s»")
VERDICT = N_("Screening is done: give the verdict of the literature check «%(title)s»")


async def _open_checks(actor: Principal) -> list[dict[str, Any]]:
    """Open checks of the actor's clusters that they screen or manage."""
    clusters = sorted(actor.cluster_ids)
    if not clusters:
        return []
    rows = await LiteratureCheck.select(
        LiteratureCheck.id,
        LiteratureCheck.cluster,
        LiteratureCheck.need,
        LiteratureCheck.blind,
        LiteratureCheck.screeners,
    ).where(LiteratureCheck.status == "open", LiteratureCheck.cluster.is_in(clusters))
    return [
        r
        for r in rows
        if can_manage_cluster(actor, r["cluster"]) or actor.account_id in _screeners(r)
    ]


def _screeners(row: Mapping[str, Any]) -> list[int]:
    return [int(i) for i in json_value(row["screeners"], [])]


def check_tasks(
    actor: Principal, row: Mapping[str, Any], waits: screening.Waiting, records: int, title: str
) -> list[Task]:
    """What one open check asks of the actor, given what its screening waits for. Pure."""
    screeners = _screeners(row)
    manager = can_manage_cluster(actor, row["cluster"])
    link = f"/litteratursjekker/{row['id']}"
    params = {"title": title}
    tasks: list[Task] = []
    screens = actor.account_id in screeners or (manager and not screeners)
    if screens and waits.mine:
        label = {**params, "count": str(waits.mine)}
        tasks.append(Task("literature.screen", SCREEN, title, link + "#tittel", params=label))
    if manager and waits.conflicts:
        tasks.append(Task("literature.reconcile", SETTLE, title, link + "#uenighet", params=params))
    if manager and records and not waits.open and not waits.conflicts:
        tasks.append(
            Task("literature.verdict", VERDICT, title, link + "#konklusjon", params=params)
        )
    return tasks


async def _waiting(
    actor: Principal, checks: list[dict[str, Any]]
) -> dict[int, tuple[screening.Waiting, int]]:
    given = {c["id"]: (bool(c["blind"]), _screeners(c)) for c in checks}
    return await screening_sql.waiting_of(given, actor.account_id)


async def screening_task_count(actor: Principal) -> int:
    """len(screening_tasks(actor)) without the needs' titles."""
    checks = await _open_checks(actor)
    if not checks:
        return 0
    waiting = await _waiting(actor, checks)
    return sum(len(check_tasks(actor, c, *waiting[c["id"]], "")) for c in checks)


async def screening_tasks(actor: Principal) -> list[Task]:
    checks = await _open_checks(actor)
    if not checks:  # most people screen nothing: one query on every page, not four
        return []
    waiting = await _waiting(actor, checks)
    titles = await priorities.need_titles(sorted({c["need"] for c in checks}))
    tasks: list[Task] = []
    for row in checks:
        title = titles.get(row["need"], "")
        tasks += check_tasks(actor, row, *waiting[row["id"]], title)
    return tasks
