"""Reviews of submitted applications by the call's funder: comments and scores against the
call's criteria, the list of reviews, and asking the applicants for changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from klynge import audit, notifications
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.directory import account_names, cluster_advisers
from klynge.errors import Conflict, FieldError, Invalid
from klynge.i18n import N_
from projects.grants.access import ApplicationAccess, require_funder
from projects.grants.loading import load_application_access
from projects.grants.money import format_percent
from projects.grants.reviews_schemas import ChangesRequest, ReviewCreate, ReviewOut, ReviewsOut
from projects.grants.tables import Application, Review

NOT_SUBMITTED = N_("Only a submitted application can be sent back or decided.")
UNKNOWN_CRITERION = N_("%(criterion)s is not one of the call's criteria.")


async def funder_access(actor: Principal, application_id: int) -> ApplicationAccess:
    access = await load_application_access(actor, application_id)
    require_funder(access)
    return access


async def _criteria(application_id: int) -> list[str]:
    row = await (
        Application.select(Application.call.criteria.as_alias("criteria"))
        .where(Application.id == application_id)
        .first()
    )
    return [str(c) for c in json_value(row["criteria"] if row else None, [])]


def averages(criteria: list[str], scores: list[dict[str, int]]) -> dict[str, str]:
    """The mean score per criterion over the reviews that scored it, one decimal."""
    out: dict[str, str] = {}
    for criterion in criteria:
        given = [s[criterion] for s in scores if criterion in s]
        if given:
            mean = (Decimal(sum(given)) / len(given)).quantize(Decimal("0.1"))
            out[criterion] = format_percent(mean)
    return out


async def list_reviews(actor: Principal, application_id: int) -> ReviewsOut:
    access = await funder_access(actor, application_id)
    criteria = await _criteria(application_id)
    rows = await (
        Review.select()
        .where(Review.application == application_id)
        .order_by(Review.created_at)
        .order_by(Review.id)
    )
    names = await account_names([r["reviewer"] for r in rows if r["reviewer"]])
    reviews = [
        ReviewOut(
            id=r["id"],
            reviewer=names.get(r["reviewer"], ""),
            comment=r["comment"],
            scores={str(k): int(v) for k, v in json_value(r["scores"], {}).items()},
            asks_for_changes=bool(r["asks_for_changes"]),
            created_at=r["created_at"],
        )
        for r in rows
    ]
    return ReviewsOut(
        application_id=application_id,
        status=access.facts.status,
        criteria=criteria,
        reviews=reviews,
        averages=averages(criteria, [r.scores for r in reviews]),
    )


def _scores(data: ReviewCreate, criteria: list[str]) -> dict[str, int]:
    errors = [
        FieldError(f"scores.{i}.criterion", UNKNOWN_CRITERION, params={"criterion": s.criterion})
        for i, s in enumerate(data.scores)
        if s.criterion not in criteria
    ]
    if errors:
        raise Invalid(N_("Check the scores."), errors)
    return {s.criterion: s.score for s in data.scores}


async def add_review(actor: Principal, application_id: int, data: ReviewCreate) -> ReviewOut:
    access = await funder_access(actor, application_id)
    scores = _scores(data, await _criteria(application_id))
    if not data.comment.strip() and not scores:
        raise Invalid(
            N_("Write a comment or give a score."),
            [FieldError("comment", N_("Write a comment or give a score."))],
        )
    async with transaction():
        row = await Review.insert(
            Review(
                application=application_id,
                reviewer=actor.account_id,
                comment=data.comment.strip(),
                scores=scores,
            )
        ).returning(Review.id, Review.created_at)
        await audit.record(
            actor, "grant_review.create", "grant_review", row[0]["id"],
            cluster_id=access.facts.cluster_id, after={"scores": scores},
        )  # fmt: skip
    return ReviewOut(
        row[0]["id"], actor.name, data.comment.strip(), scores, False, row[0]["created_at"]
    )


async def notify_applicants(
    access: ApplicationAccess, kind: str, text: str, params: dict[str, str], link: str
) -> None:
    """The project leader and the cluster's R&D advisers."""
    people = set(await cluster_advisers(access.facts.cluster_id))
    if access.project.facts.leader_id is not None:
        people.add(access.project.facts.leader_id)
    for account_id in sorted(people):
        await notifications.notify(
            kind,
            text,
            params=params,
            link=link,
            cluster_id=access.facts.cluster_id,
            account_id=account_id,
        )


async def request_changes(
    actor: Principal, application_id: int, data: ChangesRequest
) -> ReviewsOut:
    access = await funder_access(actor, application_id)
    comment = data.comment.strip()
    if not comment:
        raise Invalid(
            N_("Write what should be changed."),
            [FieldError("comment", N_("Write what should be changed."))],
        )
    async with transaction():
        moved = await (
            Application.update(
                {
                    Application.status: "changes_requested",
                    Application.updated_at: dt.datetime.now(dt.UTC),
                }
            )
            .where((Application.id == application_id) & (Application.status == "submitted"))
            .returning(Application.title)
        )
        if not moved:
            raise Conflict(NOT_SUBMITTED)
        await Review.insert(
            Review(
                application=application_id,
                reviewer=actor.account_id,
                comment=comment,
                asks_for_changes=True,
            )
        )
        await audit.record(
            actor, "grant_application.changes_requested", "grant_application", application_id,
            cluster_id=access.facts.cluster_id, before={"status": "submitted"},
            after={"status": "changes_requested", "comment": comment},
        )  # fmt: skip
        await notify_applicants(
            access,
            "grant_changes_requested",
            N_("The funder asks for changes to the application «%(title)s»: %(comment)s"),
            {"title": moved[0]["title"], "comment": comment},
            f"/soknader/{application_id}",
        )
    return await list_reviews(actor, application_id)


def scores_table(criteria: list[str], reviews: list[ReviewOut]) -> list[dict[str, Any]]:
    """Rows for the review panel: one per review, the score per criterion ('' when none)."""
    return [{"review": r, "scores": [r.scores.get(c, "") for c in criteria]} for r in reviews]
