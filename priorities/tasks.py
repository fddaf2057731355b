"""The priorities app's contribution to each user's task list: the needs an adviser has to
triage, and the open rounds a panel member has not finished scoring. Computed from the state
each time (one query per provider, whatever the number of needs or rounds); the header's count
is a COUNT of the same rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.i18n import N_
from klynge.tasks import Task
from priorities.handoffs import scoring_link
from priorities.schemas import NeedStatus
from priorities.tables import Need, RoundRater

TRIAGE = N_("Triage the knowledge need «%(title)s»")
SCORE = N_("Score the needs of round «%(name)s»")
# A submitted need should be triaged (put in a round, checked or archived) within two weeks.
TRIAGE_DAYS = 14


def triage_due(submitted_at: dt.datetime | None) -> dt.date | None:
    """The triage deadline: the submission date plus TRIAGE_DAYS. Pure."""
    if submitted_at is None:
        return None
    return submitted_at.date() + dt.timedelta(days=TRIAGE_DAYS)


def _triage_where(clusters: list[int]) -> Any:
    return Need.cluster.is_in(clusters) & (Need.status == NeedStatus.SUBMITTED.value)


async def triage_tasks(actor: Principal) -> list[Task]:
    """Needs awaiting triage (status "submitted") in the clusters the caller advises."""
    clusters = sorted(actor.org_ids(Role.ADVISER))
    if not clusters:
        return []
    rows = await Need.select(Need.id, Need.title, Need.submitted_at).where(_triage_where(clusters))
    return [
        Task(
            kind="priorities.triage",
            label=TRIAGE,
            subject=r["title"],
            link=f"/behov/{r['id']}",
            due=triage_due(r["submitted_at"]),
            params={"title": r["title"]},
        )
        for r in rows
    ]


async def triage_count(actor: Principal) -> int:
    clusters = sorted(actor.org_ids(Role.ADVISER))
    return await Need.count().where(_triage_where(clusters)) if clusters else 0


def _scoring_where(actor: Principal) -> Any:
    return (
        (RoundRater.account == actor.account_id)
        & RoundRater.finished_at.is_null()
        & (RoundRater.round.status == "open")
    )


async def scoring_tasks(actor: Principal) -> list[Task]:
    """Open rounds where the caller is on the panel and has not marked the scoring finished."""
    rows = await RoundRater.select(
        RoundRater.round,
        RoundRater.round.name.as_alias("name"),
        RoundRater.round.deadline.as_alias("deadline"),
    ).where(_scoring_where(actor))
    return [
        Task(
            kind="priorities.score",
            label=SCORE,
            subject=r["name"],
            link=scoring_link(r["round"]),
            due=r["deadline"].date() if r["deadline"] else None,
            params={"name": r["name"]},
        )
        for r in rows
    ]


async def scoring_count(actor: Principal) -> int:
    return await RoundRater.count().where(_scoring_where(actor))


__all__ = ["scoring_count", "scoring_tasks", "triage_count", "triage_tasks"]
