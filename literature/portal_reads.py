"""The portal's public reads of published verdicts (no login): every one, the newest few with
their number, or one; only completed checks marked public."""

from __future__ import annotations

from typing import Any

from klynge.errors import NotFound
from klynge.i18n import N_
from literature import references
from literature import schemas as s
from literature.tables import CheckReview, LiteratureCheck
from priorities import api as priorities

__all__ = ["citation", "public_verdict", "public_verdicts", "public_verdicts_newest"]


def citation(ref: s.ReferenceOut) -> str:
    names = [a.family + (f" {a.given[:1]}" if a.given else "") for a in ref.authors[:3]]
    authors = ", ".join(names) + (" mfl." if len(ref.authors) > 3 else "")
    year = f" ({ref.year})" if ref.year else ""
    container = f" {ref.container}." if ref.container else ""
    doi = f" https://doi.org/{ref.doi}" if ref.doi else ""
    return f"{authors}{year}. {ref.title}.{container}{doi}".strip(" .") + ""


async def _public_verdicts(
    rows: list[dict[str, Any]], *, with_reviews: bool = True
) -> list[s.PublicVerdict]:
    """The published verdicts of these checks: three queries, whatever their number (one
    without the reviews)."""
    needs = await priorities.need_headlines(sorted({int(r["need"]) for r in rows}))
    reviews = (
        await CheckReview.select()
        .where(CheckReview.check.is_in([int(r["id"]) for r in rows] or [-1]))
        .order_by(CheckReview.id)
        if with_reviews and rows
        else []
    )
    refs = {r.id: r for r in await references.load_many(r["reference"] for r in reviews)}
    by_check: dict[int, list[dict[str, Any]]] = {}
    for review in reviews:
        by_check.setdefault(review["check"], []).append(review)
    empty = {"title": "", "target_group": ""}
    return [
        _public_verdict(row, needs.get(row["need"], empty), by_check.get(row["id"], []), refs)
        for row in rows
    ]


def _public_verdict(
    row: dict[str, Any],
    need: dict[str, str],
    reviews: list[dict[str, Any]],
    refs: dict[int, s.ReferenceOut],
) -> s.PublicVerdict:
    return s.PublicVerdict(
        id=int(row["id"]),
        need_title=need["title"],
        question=str(row["question"]),
        target_group=need["target_group"],
        verdict=s.Verdict(str(row["verdict"])),
        reason_code=s.ReasonCode(str(row["reason_code"])) if row["reason_code"] else None,
        certainty=s.Certainty(str(row["certainty"])) if row["certainty"] else None,
        summary=str(row["verdict_summary"]),
        completed_at=row["completed_at"],
        reviews=[
            s.PublicReview(
                title=refs[r["reference"]].title,
                citation=citation(refs[r["reference"]]),
                year=refs[r["reference"]].year,
                doi=refs[r["reference"]].doi,
                url=refs[r["reference"]].url,
                evidence_type=refs[r["reference"]].evidence_type,
                certainty=r["certainty"],
            )
            for r in reviews
            if r["reference"] in refs
        ],
    )


def _public() -> object:
    return (LiteratureCheck.public == True) & (LiteratureCheck.status == "completed")  # noqa: E712


async def public_verdicts(q: str = "", *, with_reviews: bool = True) -> list[s.PublicVerdict]:
    """Every published verdict, newest first; `with_reviews=False` leaves each one's reviewed
    research out (the portal's list shows only the headlines)."""
    from klynge.text import contains

    rows = (
        await LiteratureCheck.select()
        .where(_public())  # type: ignore[arg-type]
        .order_by(LiteratureCheck.completed_at, ascending=False)
    )
    out = await _public_verdicts(rows, with_reviews=with_reviews)
    if q.strip():
        out = [v for v in out if contains(q, v.need_title, v.question, v.summary, v.target_group)]
    return out


async def public_verdict(check_id: int) -> s.PublicVerdict:
    row = (
        await LiteratureCheck.select()
        .where(LiteratureCheck.id == check_id, _public())  # type: ignore[arg-type]
        .first()
    )
    if row is None:
        raise NotFound(N_("We could not find the verdict."))
    return (await _public_verdicts([row]))[0]


async def public_verdicts_newest(limit: int) -> tuple[list[s.PublicVerdict], int]:
    """The newest `limit` published verdicts (headlines only) and how many there are: the
    portal's list without a query, which does not read them all (issue 17)."""
    rows = (
        await LiteratureCheck.select()
        .where(_public())  # type: ignore[arg-type]
        .order_by(LiteratureCheck.completed_at, ascending=False)
        .limit(limit)
    )
    total = await LiteratureCheck.count().where(_public())  # type: ignore[arg-type]
    return await _public_verdicts(rows, with_reviews=False), int(total)
