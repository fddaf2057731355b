"""The verdict of a literature check: its rules (pure) and the use case that stores it, sets the
need's knowledge gap and flags an answered need for dissemination."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit, privacy
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import FieldError, Invalid
from klynge.i18n import N_
from klynge.schemas import ensure_publishable
from literature import schemas as s
from literature.checks import _ensure_manager, _load, candidate_ids, get_check
from literature.handoffs import notify_verdict
from literature.tables import CheckReview, LiteratureCheck, Reference
from priorities import api as priorities


def verdict_problems(data: s.VerdictCreate) -> list[FieldError]:
    """What is wrong with a verdict on its own (reason code, reviews given once)."""
    errors: list[FieldError] = []
    if data.verdict is s.Verdict.ANSWERED and data.reason_code is not None:
        errors.append(
            FieldError(
                "reason_code", N_("An answered check has no reason for remaining uncertainty.")
            )
        )
    if data.verdict is not s.Verdict.ANSWERED and data.reason_code is None:
        errors.append(
            FieldError("reason_code", N_("Choose the reason the uncertainty remains (A–E)."))
        )
    if data.verdict is not s.Verdict.UNANSWERED and not data.reviews:
        errors.append(FieldError("reviews", N_("Give the reviews that support the verdict.")))
    review_ids = [r.reference_id for r in data.reviews]
    if len(set(review_ids)) != len(review_ids):
        errors.append(FieldError("reviews", N_("A review is given twice.")))
    return errors


async def _unknown_reviews(
    check_id: int, cluster_id: int, review_ids: list[int]
) -> list[FieldError]:
    """Reviews that are neither records of the check nor references of its cluster."""
    errors: list[FieldError] = []
    allowed = set(await candidate_ids(check_id))
    found = {
        r["id"]
        for r in await Reference.select(Reference.id).where(
            Reference.id.is_in(review_ids or [-1]), Reference.cluster == cluster_id
        )
    }
    for i, ref_id in enumerate(review_ids):
        if ref_id not in allowed and ref_id not in found:
            errors.append(FieldError(f"reviews.{i}", N_("Unknown reference for this check.")))
    return errors


async def _store(actor: Principal, check_id: int, data: s.VerdictCreate) -> None:
    now = dt.datetime.now(dt.UTC)
    await CheckReview.delete().where(CheckReview.check == check_id)
    if data.reviews:
        await CheckReview.insert(
            *[
                CheckReview(
                    check=check_id,
                    reference=r.reference_id,
                    certainty=r.certainty.value if r.certainty else "",
                    reliability=r.reliability,
                    supports=r.supports.value,
                )
                for r in data.reviews
            ]
        )
    await LiteratureCheck.update(
        {
            LiteratureCheck.status: "completed",
            LiteratureCheck.verdict: data.verdict.value,
            LiteratureCheck.reason_code: data.reason_code.value if data.reason_code else None,
            LiteratureCheck.certainty: data.certainty.value if data.certainty else None,
            LiteratureCheck.verdict_summary: data.summary,
            LiteratureCheck.public: data.public,
            LiteratureCheck.disseminate: data.verdict is s.Verdict.ANSWERED,
            LiteratureCheck.completed_at: now,
            LiteratureCheck.completed_by: actor.account_id,
        }
    ).where(LiteratureCheck.id == check_id)


def _publish_warnings(row: dict[str, Any], data: s.VerdictCreate) -> list[str]:
    """Publishing on the portal with warned text needs the adviser's confirmation."""
    if not data.public:
        return []
    published = {"question": row["question"], "summary": data.summary}
    return ensure_publishable(published, confirmed=data.confirm_warnings)


async def set_verdict(actor: Principal, check_id: int, data: s.VerdictCreate) -> s.CheckOut:
    """The verdict: answered / partly / unanswered with the supporting reviews; sets the
    need's knowledge gap and status, and flags an answered need for dissemination."""
    async with transaction():
        row = await _load(actor, check_id)
        _ensure_manager(actor, row["cluster"])
        privacy.guard_text(
            {
                "summary": data.summary,
                **{f"reviews.{i}": r.reliability for i, r in enumerate(data.reviews)},
            }
        )
        confirmed = _publish_warnings(row, data)
        errors = verdict_problems(data)
        review_ids = [r.reference_id for r in data.reviews]
        errors += await _unknown_reviews(check_id, row["cluster"], review_ids)
        if errors:
            raise Invalid(N_("The verdict cannot be saved."), errors)
        await _store(actor, check_id, data)
        await priorities.record_literature_verdict(
            actor,
            row["need"],
            data.verdict.value,
            priorities.need_reason(priorities.CHECK_VERDICTS[data.verdict.value], id=check_id),
        )
        if row["verdict"] != data.verdict.value or row["status"] != "completed":
            # Told once per verdict reached, not again when only the summary is edited.
            await notify_verdict(check_id, row["need"], row["cluster"], data.verdict.value)
        await audit.record(
            actor,
            "literature.check.verdict",
            "literature_check",
            check_id,
            cluster_id=row["cluster"],
            before={"verdict": row["verdict"], "status": row["status"]},
            after={
                "verdict": data.verdict.value,
                "reviews": review_ids,
                "public": data.public,
                "confirmed_warnings": confirmed,
            },
        )
    return await get_check(actor, check_id)
