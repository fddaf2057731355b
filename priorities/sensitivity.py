"""The weight-sensitivity check of a round: the priority score as a weighted mean, competition
ranks, and how far each need's rank moves when the weights change a little. Pure."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence

_TIE = 1e-9


def weighted_score(available: Sequence[tuple[int, float]], w: Sequence[float]) -> float | None:
    den = math.fsum(w[i] for i, _ in available)
    if den <= 0:
        return None
    ps = math.fsum(w[i] * cs for i, cs in available) / den
    return min(100.0, max(0.0, ps))  # rounding must not push a mean of 0..100 values outside


def competition_ranks(scores: Mapping[int, float | None]) -> dict[int, int | None]:
    """Competition ranking ("1224"), highest score first; scores within 1e-9 of the first score
    of their tie count as tied. None scores get rank None."""
    ranked = sorted(
        ((s, k) for k, s in scores.items() if s is not None), key=lambda t: (-t[0], t[1])
    )
    result: dict[int, int | None] = {k: None for k, s in scores.items() if s is None}
    top = math.inf
    rank = 0
    for position, (s, k) in enumerate(ranked, start=1):
        if math.isnan(s):
            raise ValueError(f"score for {k!r} is NaN")
        if s < top - _TIE:
            top, rank = s, position
        result[k] = rank
    return {k: result[k] for k in scores}


def scenarios(
    base: tuple[float, ...], step: float, draws: int, seed: int
) -> list[tuple[float, ...]]:
    scenarios = [base]
    for i, w in enumerate(base):
        if w > 0:
            for factor in (1 - step, 1 + step):
                scenarios.append((*base[:i], w * factor, *base[i + 1 :]))
    rng = random.Random(seed)  # noqa: S311 -- reproducible weight draws, not secrets
    for _ in range(draws):
        scenarios.append(tuple(w * rng.uniform(1 - step, 1 + step) for w in base))
    return scenarios


def rank_bounds(
    ranks: Mapping[int, int | None],
    available: Mapping[int, list[tuple[int, float]]],
    scenarios: list[tuple[float, ...]],
) -> dict[int, list[int]]:
    """[rank_min, rank_max] per ranked need over the weight scenarios (the first is the base)."""
    bounds = {n: [rank, rank] for n, rank in ranks.items() if rank is not None}
    for w in scenarios[1:]:
        for n, rank in competition_ranks(
            {n: weighted_score(available[n], w) for n in bounds}
        ).items():
            # A scenario only rescales positive weights, so a scored need stays scored.
            assert rank is not None
            bound = bounds[n]
            if rank < bound[0]:
                bound[0] = rank
            elif rank > bound[1]:
                bound[1] = rank
    return bounds
