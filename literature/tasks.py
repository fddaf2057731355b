"""The literature part's contribution to each user's task list: open checks whose records
wait for the caller to screen, and — for the cluster's R&D adviser — disagreements to settle
and verdicts to give. Four queries, whatever the number of checks (one when there is none)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from klynge.auth.principal import Principal
from klynge.db import json_value
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster
from klynge.tasks import Task
from literature import screening
from literature.checks import _decision
from literature.tables import LiteratureCheck, ReferenceSource, ScreeningDecision
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
        if can_manage_cluster(actor, r["cluster"])
        or actor.account_id in [int(i) for i in json_value(r["screeners"], [])]
    ]


async def _records(check_ids: list[int]) -> dict[int, list[int]]:
    """Each check's unique records (from its completed imports)."""
    rows = await ReferenceSource.select(
        ReferenceSource.reference, ReferenceSource.literature_import.check.as_alias("check")
    ).where(
        ReferenceSource.literature_import.check.is_in(check_ids or [-1]),
        ReferenceSource.literature_import.status == "done",
    )
    found: dict[int, dict[int, None]] = {}
    for r in rows:
        found.setdefault(r["check"], {})[r["reference"]] = None
    return {check: list(refs) for check, refs in found.items()}


async def _decisions(check_ids: list[int]) -> dict[int, list[screening.Decision]]:
    rows = (
        await ScreeningDecision.select()
        .where(ScreeningDecision.check.is_in(check_ids or [-1]))
        .order_by(ScreeningDecision.id)
    )
    found: dict[int, list[screening.Decision]] = {}
    for r in rows:
        found.setdefault(r["check"], []).append(_decision(r))
    return found


def check_tasks(
    actor: Principal,
    row: Mapping[str, Any],
    records: Sequence[int],
    decisions: Sequence[screening.Decision],
    title: str,
) -> list[Task]:
    """What one open check asks of the actor. Pure."""
    screeners = [int(i) for i in json_value(row["screeners"], [])]
    manager = can_manage_cluster(actor, row["cluster"])
    blind = bool(row["blind"]) and len(screeners) >= 2
    outcomes = screening.screen(decisions, blind=blind, screeners=screeners, references=records)
    waits = screening.waiting(outcomes, actor.account_id, blind=blind)
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


async def screening_tasks(actor: Principal) -> list[Task]:
    checks = await _open_checks(actor)
    if not checks:  # most people screen nothing: one query on every page, not four
        return []
    ids = [c["id"] for c in checks]
    records = await _records(ids)
    decisions = await _decisions(ids)
    titles = await priorities.need_titles(sorted({c["need"] for c in checks}))
    tasks: list[Task] = []
    for row in checks:
        title = titles.get(row["need"], "")
        tasks += check_tasks(
            actor, row, records.get(row["id"], []), decisions.get(row["id"], []), title
        )
    return tasks
