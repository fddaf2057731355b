"""The rules of a prioritisation round over plain data: valid weights, which needs and raters
a round may take, when a decision departs from the computed rank. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from klynge.errors import FieldError, Invalid
from klynge.i18n import N_
from priorities import schemas as s
from priorities import scoring

DEFAULT_WEIGHTS = dict.fromkeys(scoring.ALL_CRITERIA, 1.0)
ROUNDABLE = (s.NeedStatus.SUBMITTED, s.NeedStatus.DEFERRED, s.NeedStatus.LITERATURE_CHECKED)
STATUS_FOR = {
    s.DecisionKind.PRIORITISED: s.NeedStatus.PRIORITISED,
    s.DecisionKind.NOT_PRIORITISED: s.NeedStatus.NOT_PRIORITISED,
    s.DecisionKind.DEFERRED: s.NeedStatus.DEFERRED,
}
DECISION_TEXT = (
    "justification",
    "situation",
    "frame",
    "assessment",
    "knowledge_base",
    "participation",
    "child_best_interest",
    "local_conditions",
    "equal_access",
    "departs_reason",
)


def weights(raw: Mapping[str, float]) -> dict[str, float]:
    unknown = sorted(set(raw) - set(scoring.ALL_CRITERIA))
    if unknown:
        raise Invalid(
            N_("Unknown criterion."),
            [FieldError("weights", N_("Unknown: %(names)s"), params={"names": ", ".join(unknown)})],
        )
    out = {**DEFAULT_WEIGHTS, **{k: float(v) for k, v in raw.items()}}
    tiny = sorted(k for k, v in out.items() if 0 < v < scoring.MIN_WEIGHT)
    if tiny:
        raise Invalid(
            N_("A weight is either 0 (the criterion does not count) or at least 0.000001."),
            [
                FieldError(
                    "weights", N_("Weight too small: %(names)s"), params={"names": ", ".join(tiny)}
                )
            ],
        )
    if sum(out.values()) <= 0:
        raise Invalid(
            N_("At least one criterion must have a weight above zero."),
            [FieldError("weights", N_("All the weights are zero."))],
        )
    return out


def need_errors(
    need_ids: Iterable[int], found: Mapping[int, Mapping[str, Any]], cluster_id: int
) -> list[FieldError]:
    """Each need must be in the cluster and ready for a round."""
    errors = []
    for need_id in need_ids:
        row = found.get(need_id)
        if row is None or row["cluster"] != cluster_id:
            errors.append(
                FieldError(
                    "need_ids",
                    N_("Need %(id)s does not exist in the cluster."),
                    params={"id": need_id},
                )
            )
        elif row["status"] not in ROUNDABLE:
            errors.append(
                FieldError(
                    "need_ids",
                    N_("Need %(id)s has status «%(status)s», not submitted."),
                    params={"id": need_id, "status": row["status"]},
                )
            )
    return errors


def rater_errors(raters: list[s.RaterIn], known: set[int], members: set[int]) -> list[FieldError]:
    """Each panel member once, an active account, from a member municipality (if any)."""
    errors = []
    if len({r.account_id for r in raters}) != len(raters):
        errors.append(FieldError("raters", N_("A person can only be on the panel once.")))
    for rater in raters:
        if rater.account_id not in known:
            errors.append(
                FieldError(
                    "raters",
                    N_("Unknown or inactive user %(id)s."),
                    params={"id": rater.account_id},
                )
            )
        if rater.municipality_id is not None and rater.municipality_id not in members:
            errors.append(
                FieldError(
                    "raters",
                    N_("Municipality %(id)s is not a member of the cluster."),
                    params={"id": rater.municipality_id},
                )
            )
    return errors


def departs_from_rank(
    ranks: Mapping[int, int | None], decided: Mapping[int, str], need_id: int, decision: str
) -> bool:
    """A decision departs from the computed rank when it breaks the order: a prioritised need
    ranked below a need that was not prioritised, or the other way round. Pure."""
    rank = ranks.get(need_id)
    if rank is None or decision == s.DecisionKind.DEFERRED:
        return False
    for other, other_decision in decided.items():
        other_rank = ranks.get(other)
        if other == need_id or other_rank is None:
            continue
        if (
            decision == s.DecisionKind.PRIORITISED
            and other_decision == "not_prioritised"
            and other_rank < rank
        ):
            return True
        if (
            decision == s.DecisionKind.NOT_PRIORITISED
            and other_decision == "prioritised"
            and other_rank > rank
        ):
            return True
    return False


def compute(
    need_ids: list[int],
    ratings: list[scoring.Rating],
    weights: Mapping[str, float],
    weighting: str,
    gaps: Mapping[int, int | None],
) -> scoring.RoundResult:
    return scoring.score_round(
        need_ids,
        ratings,
        scoring.RoundConfig(weights=dict(weights), weighting=scoring.Weighting(weighting)),
        knowledge_gap=gaps,
    )


def result_json(result: scoring.RoundResult) -> list[dict[str, Any]]:
    return [
        {
            "need_id": n.need_id,
            "rank": n.rank,
            "score": n.score,
            "criteria": n.criteria,
            "agreement": n.agreement,
            "aea": n.aea,
            "raters": n.raters,
            "blanks": n.blanks,
            "group_scores": n.group_scores,
            "rank_min": n.rank_min,
            "rank_max": n.rank_max,
            "unstable": n.unstable,
        }
        for n in result.needs
    ]
