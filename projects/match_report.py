"""`klynge match evaluate`: every variant scored on a judged set, its expertise loss with a 95 %
interval, a paired comparison with the baseline, and the ranking metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from projects.matching import variants
from projects.matching.ensemble import Matcher
from projects.matching.evaluation import Metrics, evaluate_scores
from projects.matching.loss import Interval, group_parts, loss_interval, paired
from projects.matching.model import VARIANTS, GroupText, NeedText
from projects.matching.vectors import VectorSource

__all__ = ["Result", "evaluate_variants", "print_report", "score_variants"]


@dataclass(frozen=True)
class Result:
    variant: str
    parts: dict[str, tuple[float, float]]
    loss: Interval
    metrics: Metrics


def _as_dict(
    matrix: np.ndarray, needs: Sequence[NeedText], groups: Sequence[GroupText]
) -> dict[str, dict[str, float]]:
    ids = [g.id for g in groups]
    return {n.id: dict(zip(ids, matrix[i].tolist(), strict=True)) for i, n in enumerate(needs)}


def score_variants(
    groups: Sequence[GroupText],
    needs: Sequence[NeedText],
    names: Sequence[str],
    source: VectorSource | None = None,
) -> dict[str, np.ndarray]:
    """needs × groups per variant; the embeddings and the lexical index are computed once."""
    out: dict[str, np.ndarray] = {}
    from projects.matching.core import MatchIndex

    for name in names:
        if name in VARIANTS:
            out[name] = MatchIndex.build(groups, VARIANTS[name]).score_needs(needs)
    ensembles = [n for n in names if n in variants.ENSEMBLES]
    if ensembles:
        wanted = sorted({s for n in ensembles for s in variants.ENSEMBLES[n].signals()})
        matcher = Matcher(groups, variants.ENSEMBLES[variants.DEFAULT], source)
        signals = matcher.signal_matrices(needs, signals=wanted)
        for name in ensembles:
            config = variants.ENSEMBLES[name]
            out[name] = matcher.combine(needs, signals, config.weights)
    return out


def evaluate_variants(
    groups: Sequence[GroupText],
    needs: Sequence[NeedText],
    judgements: Mapping[str, Mapping[str, float]],
    names: Sequence[str],
    source: VectorSource | None = None,
) -> dict[str, Result]:
    judged = [n for n in needs if n.id in judgements]
    results: dict[str, Result] = {}
    for name, matrix in score_variants(groups, judged, names, source).items():
        scores = _as_dict(matrix, judged, groups)
        parts = group_parts(scores, judgements)
        results[name] = Result(
            name, parts, loss_interval(parts), evaluate_scores(scores, judgements)
        )
    return {n: results[n] for n in names if n in results}


def print_report(results: Mapping[str, Result], baseline: str, out: TextIO) -> None:
    width = max([len(n) for n in results] + [7])
    base = results.get(baseline)
    head = f"{'variant':<{width}}  loss [95 % CI]          NDCG@5  MAP    "
    out.write(head + (f"vs {baseline}: Δloss [95 % CI], P(better)" if base else "") + "\n")
    for name, r in results.items():
        line = (
            f"{name:<{width}}  {r.loss.text():<22}  {r.metrics.ndcg5:.3f}   {r.metrics.map:.3f}  "
        )
        if base and name != baseline:
            p = paired(r.parts, base.parts)
            line += f"{p.difference.value:+.3f} [{p.difference.low:+.3f}, {p.difference.high:+.3f}]"
            line += f", {p.a_better:.2f}"
        out.write(line.rstrip() + "\n")
