"""The expertise loss of the reviewer–paper benchmark, with bootstrap confidence intervals and
paired comparisons (pure numpy).

For one group, every pair of needs judged for it with different grades is a comparison; the
matcher errs when it scores the lower-graded need higher (a tie is half an error). An error
weighs the difference of the grades. The loss is the weighted share of errors over all groups:
0 is perfect, 0.5 is random order. (Stelmakh et al., "A gold standard dataset for the reviewer
assignment problem", 2023.)

Confidence intervals resample the groups (the judges) with replacement, 2,000 times; a paired
comparison resamples the same groups for both variants, so the interval is that of the
difference, and says how often variant A beat variant B.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["Interval", "Paired", "group_parts", "loss", "loss_interval", "paired"]

REPS = 2000


@dataclass(frozen=True)
class Interval:
    value: float
    low: float
    high: float

    def text(self) -> str:
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


@dataclass(frozen=True)
class Paired:
    difference: Interval  # loss(A) − loss(B); negative: A is better
    a_better: float  # share of resamples where A had the lower loss


def group_parts(
    scores: Mapping[str, Mapping[str, float]], judgements: Mapping[str, Mapping[str, float]]
) -> dict[str, tuple[float, float]]:
    """Per group: (weighted errors, total weight), from scores[need][group] and judgements."""
    by_group: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for need, judged in judgements.items():
        given = scores.get(need, {})
        for group, grade in judged.items():
            by_group[group].append((grade, given.get(group, 0.0)))
    parts: dict[str, tuple[float, float]] = {}
    for group, rows in by_group.items():
        grades = np.asarray([r[0] for r in rows])
        values = np.asarray([r[1] for r in rows])
        dg = grades[:, None] - grades[None, :]
        ds = values[:, None] - values[None, :]
        upper = dg > 0  # each pair once: i graded above j
        weight = dg[upper]
        wrong = np.where(ds[upper] < 0, 1.0, np.where(ds[upper] == 0, 0.5, 0.0))
        parts[group] = (float((weight * wrong).sum()), float(weight.sum()))
    return parts


def loss(parts: Mapping[str, tuple[float, float]]) -> float:
    err = sum(p[0] for p in parts.values())
    total = sum(p[1] for p in parts.values())
    return err / total if total else 0.0


def _arrays(parts: Mapping[str, tuple[float, float]], keys: list[str]) -> np.ndarray:
    return np.asarray([parts.get(k, (0.0, 0.0)) for k in keys], dtype=np.float64)


def _resampled(values: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(values), size=(REPS, len(values)))
    err = values[picks, 0].sum(axis=1)
    total = values[picks, 1].sum(axis=1)
    return np.divide(err, total, out=np.zeros_like(err), where=total > 0)


def loss_interval(parts: Mapping[str, tuple[float, float]], seed: int = 0) -> Interval:
    """The loss with its 95 % bootstrap interval (percentile)."""
    keys = sorted(parts)
    if not keys:
        return Interval(0.0, 0.0, 0.0)
    boot = _resampled(_arrays(parts, keys), seed)
    low, high = np.percentile(boot, [2.5, 97.5])
    return Interval(loss(parts), float(low), float(high))


def paired(
    a: Mapping[str, tuple[float, float]], b: Mapping[str, tuple[float, float]], seed: int = 0
) -> Paired:
    """loss(a) − loss(b) over the same resampled groups."""
    keys = sorted(set(a) | set(b))
    if not keys:
        return Paired(Interval(0.0, 0.0, 0.0), 0.0)
    boot_a = _resampled(_arrays(a, keys), seed)
    boot_b = _resampled(_arrays(b, keys), seed)
    diff = boot_a - boot_b
    low, high = np.percentile(diff, [2.5, 97.5])
    return Paired(Interval(loss(a) - loss(b), float(low), float(high)), float((diff < 0).mean()))
