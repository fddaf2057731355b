"""Results of a closed prioritisation round: Blankholm criterion scores, priority score, rank,
agreement and a weight-sensitivity check (aggregation after CHNRI and the James Lind Alliance).

Pure: stdlib only, no I/O. Choices the domain notes leave open:
- A need without ratings (or with only blank answers) still gets a priority score when its
  kunnskapsgap is known, and is ranked by it: PS is always "the weighted mean of the criteria that
  have a score", with no special case. `NeedResult.raters == 0` tells such a need apart.
- PS is None when every criterion that has a score carries weight 0 (nothing to average).
- With `Weighting.NONE`, `group_scores` is still keyed by stakeholder group, for display.
- Every group's `group_scores` entry carries the need's kunnskapsgap CS too, so a group's "score"
  is comparable with the need's PS.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from priorities.sensitivity import competition_ranks, rank_bounds, weighted_score
from priorities.sensitivity import scenarios as weight_scenarios

CRITERIA: tuple[str, ...] = ("nytte", "alvorlighet", "ressurs")
ALL_CRITERIA: tuple[str, ...] = ("nytte", "alvorlighet", "ressurs", "kunnskapsgap")
GAP_SCORE = {"answered": 1, "partly": 3, "unanswered": 5}

_RESSURS = CRITERIA.index("ressurs")
_NO_MUNICIPALITY = "none"


class Weighting(StrEnum):
    GROUP = "group"
    MUNICIPALITY = "municipality"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Rating:
    rater_id: int
    need_id: int
    group: str
    municipality_id: int | None
    nytte: int | None
    alvorlighet: int | None
    ressurs: int | None  # 1 = little resources ... 5 = very much; inverted (6 - x) before scoring


@dataclass(frozen=True, slots=True)
class RoundConfig:
    weights: Mapping[str, float] = field(default_factory=dict)
    weighting: Weighting = Weighting.GROUP
    sensitivity_step: float = 0.5
    sensitivity_draws: int = 200
    seed: int = 0
    unstable_span: int | None = None

    def __post_init__(self) -> None:
        _weight_vector(self.weights)
        # A private copy: the caller's dict cannot change a config after it was checked.
        object.__setattr__(self, "weights", dict(self.weights))
        object.__setattr__(self, "weighting", Weighting(self.weighting))
        step = self.sensitivity_step
        if not (isinstance(step, int | float) and 0 <= step < 1):
            # step 1 would let a scenario zero a weight, so PS could vanish for some needs.
            raise ValueError(f"sensitivity_step must be in [0, 1), got {step!r}")
        if not _is_int(self.sensitivity_draws) or self.sensitivity_draws < 0:
            raise ValueError(
                f"sensitivity_draws must be an int >= 0, got {self.sensitivity_draws!r}"
            )
        if self.unstable_span is not None and (
            not _is_int(self.unstable_span) or self.unstable_span < 0
        ):
            raise ValueError(
                f"unstable_span must be None or an int >= 0, got {self.unstable_span!r}"
            )


@dataclass(frozen=True, slots=True)
class NeedResult:
    need_id: int
    rank: int | None
    score: float | None
    criteria: dict[str, float | None]
    agreement: dict[str, float | None]
    aea: float | None
    raters: int
    blanks: int
    blanks_by_criterion: dict[str, int]
    group_scores: dict[str, dict[str, float | None]]
    rank_min: int | None
    rank_max: int | None
    unstable: bool


@dataclass(frozen=True, slots=True)
class RoundResult:
    needs: tuple[NeedResult, ...]
    config: RoundConfig
    scenarios: int

    def by_need(self) -> dict[int, NeedResult]:
        return {n.need_id: n for n in self.needs}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_answer(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError(f"{what}: answer must be an int 1..5 or None, got {value!r}")
    return value


MIN_WEIGHT = 1e-6


def _weight_vector(weights: Mapping[str, float]) -> tuple[float, ...]:
    """Weights in ALL_CRITERIA order (missing = 1.0), validated."""
    unknown = sorted(set(weights) - set(ALL_CRITERIA), key=str)
    if unknown:
        raise ValueError(f"unknown criteria in weights: {unknown}")
    vector = []
    for c in ALL_CRITERIA:
        w = weights.get(c, 1.0)
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise ValueError(f"weight for {c} must be a finite number >= 0, got {w!r}")
        # A weight is off (0) or a real weight: a vanishing one (5e-324) would underflow to 0
        # when the sensitivity check halves it, and a scored need would lose its score.
        if 0 < w < MIN_WEIGHT:
            raise ValueError(f"weight for {c} must be 0 or at least {MIN_WEIGHT}, got {w!r}")
        vector.append(float(w))
    if sum(vector) <= 0:
        raise ValueError("at least one criterion weight must be > 0")
    return tuple(vector)


def criterion_score(values: Iterable[int]) -> float | None:
    """CS = 100 × (mean − 1) / 4 of answers 1..5 (already inverted where needed); None if empty."""
    n = total = 0
    for v in values:
        total += _check_answer(v, "criterion_score")
        n += 1
    if n == 0:
        return None
    # 25·(Σ − n)/n is one correctly rounded division of integers: exact extremes, and the same
    # float for the same mean whatever the number of raters (equal voice per group relies on it).
    return 25 * (total - n) / n


def agreement(values: Iterable[int]) -> float | None:
    """Share of answers equal to the most common answer (CHNRI); None if empty."""
    counts = Counter(values)
    n = sum(counts.values())
    return max(counts.values()) / n if n else None


def _available(criteria: Mapping[str, float | None]) -> list[tuple[int, float]]:
    return [(i, cs) for i, c in enumerate(ALL_CRITERIA) if (cs := criteria.get(c)) is not None]


def priority_score(
    criteria: Mapping[str, float | None], weights: Mapping[str, float]
) -> float | None:
    """PS = Σ w·CS / Σ w over the criteria that have a score (the rest left out, weights
    renormalised); missing weight = 1.0. None if no criterion has a score with weight > 0."""
    unknown = sorted(set(criteria) - set(ALL_CRITERIA), key=str)
    if unknown:
        raise ValueError(f"unknown criteria: {unknown}")
    return weighted_score(_available(criteria), _weight_vector(weights))


def _group_key(rating: Rating, weighting: Weighting) -> str:
    if weighting is Weighting.MUNICIPALITY:
        m = rating.municipality_id
        return _NO_MUNICIPALITY if m is None else str(m)
    return rating.group


def _key_order(key: str) -> tuple[int, int, str]:
    # Municipality ids sort as numbers ("2" before "10"), "none" last; group names alphabetically.
    if key.lstrip("-").isdigit():
        return (0, int(key), "")
    return (1 if key == _NO_MUNICIPALITY else 0, 0, key)


def _validated_ratings(ratings: Iterable[Rating], needs: set[int]) -> list[Rating]:
    seen: set[tuple[int, int]] = set()
    out = []
    for r in ratings:
        if r.need_id not in needs:
            raise ValueError(f"rating for need {r.need_id!r}, which is not in this round")
        if (r.rater_id, r.need_id) in seen:
            raise ValueError(f"rater {r.rater_id!r} rated need {r.need_id!r} twice")
        seen.add((r.rater_id, r.need_id))
        for c in CRITERIA:
            value = getattr(r, c)
            if value is not None:
                _check_answer(value, f"rater {r.rater_id!r}, need {r.need_id!r}, {c}")
        out.append(r)
    out.sort(key=lambda r: (r.need_id, r.rater_id))
    return out


def _gap_scores(
    knowledge_gap: Mapping[int, int | None] | None, needs: set[int]
) -> dict[int, float | None]:
    gaps: dict[int, float | None] = {}
    allowed = set(GAP_SCORE.values())
    for need_id, value in (knowledge_gap or {}).items():
        if need_id not in needs:
            raise ValueError(f"knowledge gap for need {need_id!r}, which is not in this round")
        if value is not None and (not _is_int(value) or value not in allowed):
            raise ValueError(f"knowledge gap for need {need_id!r} must be 1, 3, 5 or None")
        gaps[need_id] = None if value is None else criterion_score([value])
    return gaps


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


@dataclass(slots=True)
class _NeedStats:
    """The weight-independent parts of a NeedResult."""

    criteria: dict[str, float | None]
    agreement: dict[str, float | None]
    aea: float | None
    raters: int
    blanks_by_criterion: dict[str, int]
    unit_cs: dict[str, list[float | None]]  # stakeholder group / municipality -> CS per CRITERIA


def _need_stats(rows: list[Rating], weighting: Weighting, gap: float | None) -> _NeedStats:
    unit = Weighting.GROUP if weighting is Weighting.NONE else weighting
    by_unit: dict[str, list[list[int]]] = {}
    raw: list[list[int]] = [[], [], []]
    blanks = [0, 0, 0]
    raters = 0
    for r in rows:
        lists = by_unit.setdefault(_group_key(r, unit), [[], [], []])
        answered = False
        for i, value in enumerate((r.nytte, r.alvorlighet, r.ressurs)):
            if value is None:
                blanks[i] += 1
                continue
            answered = True
            raw[i].append(value)
            # ressurs is inverted so that every criterion reads "higher = higher priority".
            lists[i].append(6 - value if i == _RESSURS else value)
        raters += answered

    unit_cs = {
        key: [criterion_score(by_unit[key][i]) for i in range(len(CRITERIA))]
        for key in sorted(by_unit, key=_key_order)
    }
    criteria: dict[str, float | None] = {}
    for i, c in enumerate(CRITERIA):
        if weighting is Weighting.NONE:
            pooled = raw[i] if i != _RESSURS else [6 - v for v in raw[i]]
            criteria[c] = criterion_score(pooled)
        else:
            criteria[c] = _mean([v for cs in unit_cs.values() if (v := cs[i]) is not None])
    criteria["kunnskapsgap"] = gap

    # CHNRI agreement: all raters pooled, raw answers, whatever the weighting.
    agreements = {c: agreement(raw[i]) for i, c in enumerate(CRITERIA)}
    return _NeedStats(
        criteria=criteria,
        agreement=agreements,
        aea=_mean([a for a in agreements.values() if a is not None]),
        raters=raters,
        blanks_by_criterion=dict(zip(CRITERIA, blanks, strict=True)),
        unit_cs=unit_cs,
    )


def _result(
    n: int,
    s: _NeedStats,
    rank: int | None,
    score: float | None,
    base: tuple[float, ...],
    bound: list[int] | None,
    span: int,
) -> NeedResult:
    gap = s.criteria["kunnskapsgap"]
    group_scores: dict[str, dict[str, float | None]] = {}
    for key, cs in s.unit_cs.items():
        entry: dict[str, float | None] = dict(zip(CRITERIA, cs, strict=True))
        entry["kunnskapsgap"] = gap
        entry["score"] = weighted_score(_available(entry), base)
        group_scores[key] = entry
    lo, hi = bound or (None, None)
    return NeedResult(
        need_id=n,
        rank=rank,
        score=score,
        criteria=s.criteria,
        agreement=s.agreement,
        aea=s.aea,
        raters=s.raters,
        blanks=sum(s.blanks_by_criterion.values()),
        blanks_by_criterion=s.blanks_by_criterion,
        group_scores=group_scores,
        rank_min=lo,
        rank_max=hi,
        unstable=lo is not None and hi is not None and hi - lo > span,
    )


def score_round(
    need_ids: Iterable[int],
    ratings: Iterable[Rating],
    config: RoundConfig,
    knowledge_gap: Mapping[int, int | None] | None = None,
) -> RoundResult:
    """Score a closed round. Inputs are sorted first, so the same ratings in any order give the
    same result. Raises ValueError on invalid answers, duplicates or unknown needs."""
    needs = sorted(set(need_ids))
    need_set = set(needs)
    rows = _validated_ratings(ratings, need_set)
    gaps = _gap_scores(knowledge_gap, need_set)
    base = _weight_vector(config.weights)

    by_need: dict[int, list[Rating]] = {n: [] for n in needs}
    for r in rows:
        by_need[r.need_id].append(r)

    stats = {n: _need_stats(by_need[n], config.weighting, gaps.get(n)) for n in needs}

    # Criterion scores do not depend on weights: compute once, re-weight per scenario.
    available = {n: _available(stats[n].criteria) for n in needs}
    scores = {n: weighted_score(available[n], base) for n in needs}
    ranks = competition_ranks(scores)
    scenarios = weight_scenarios(
        base, config.sensitivity_step, config.sensitivity_draws, config.seed
    )
    bounds = rank_bounds(ranks, available, scenarios)
    span = config.unstable_span
    if span is None:
        span = max(2, math.ceil(0.1 * len(bounds)))

    results = [_result(n, stats[n], ranks[n], scores[n], base, bounds.get(n), span) for n in needs]
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.need_id))
    return RoundResult(needs=tuple(results), config=config, scenarios=len(scenarios))
