"""Ranking metrics on graded judgements, and reading the JSON-lines inputs.

Judgements are (need, group, relevance ≥ 0). Only judged groups are ranked for a need (the
unjudged ones are left out, not counted as irrelevant), so every metric compares the matcher's
order of the judged groups with the judges' grades.

* NDCG@k: gain ``2^rel − 1``, discount ``log2(rank + 1)``; the ideal is the judged grades sorted.
  A need with no relevant group is skipped.
* MAP: relevant means rel ≥ 1; average precision over the ranked judged groups, averaged over
  needs with at least one relevant group.
* Pairwise accuracy: over all pairs of judged groups of the same need with different grades, the
  share the matcher orders like the judges; equal scores count half.
Ranking ties (equal scores) are broken by group id, so the figures are deterministic.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

__all__ = ["JsonLinesError", "Metrics", "evaluate_scores", "read_jsonl"]


class JsonLinesError(ValueError):
    """A one-line description of a bad input file."""


def read_jsonl(
    path: str | Path, *, what: str, require: tuple[str, ...] = ("id",)
) -> Iterator[dict[str, Any]]:
    """Objects of a JSON-lines file; blank lines skipped; errors name the file and line."""
    target = Path(path)
    if not target.is_file():
        raise JsonLinesError(f"{what} file not found: {target}")
    decoder = msgspec.json.Decoder()
    with target.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = decoder.decode(line)
            except msgspec.DecodeError as exc:
                raise JsonLinesError(f"{target}:{number}: invalid JSON ({exc})") from None
            if not isinstance(item, dict):
                raise JsonLinesError(f"{target}:{number}: expected a JSON object")
            for key in require:
                value = item.get(key)
                if value is None or (isinstance(value, str) and not value.strip()):
                    raise JsonLinesError(f"{target}:{number}: missing {key!r}")
            yield item


@dataclass(frozen=True)
class Metrics:
    ndcg5: float
    ndcg10: float
    map: float
    pairwise: float
    needs: int
    pairs: int

    def row(self) -> str:
        return (
            f"NDCG@5 {self.ndcg5:.3f}  NDCG@10 {self.ndcg10:.3f}  MAP {self.map:.3f}  "
            f"pairwise {self.pairwise:.3f}  ({self.needs} needs, {self.pairs} pairs)"
        )


def _dcg(grades: list[float], k: int) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))


def evaluate_scores(
    scores: Mapping[str, Mapping[str, float]],
    judgements: Mapping[str, Mapping[str, float]],
) -> Metrics:
    """scores[need][group] against judgements[need][group] (missing scores count as 0)."""
    ndcg5: list[float] = []
    ndcg10: list[float] = []
    aps: list[float] = []
    correct = 0.0
    pairs = 0
    for need, judged in sorted(judgements.items()):
        given = scores.get(need, {})
        ranked = sorted(judged, key=lambda g: (-given.get(g, 0.0), g))
        grades = [judged[g] for g in ranked]
        ideal = sorted(judged.values(), reverse=True)
        for k, out in ((5, ndcg5), (10, ndcg10)):
            best = _dcg(ideal, k)
            if best > 0:
                out.append(_dcg(grades, k) / best)
        relevant = sum(1 for g in grades if g >= 1)
        if relevant:
            hits = 0
            total = 0.0
            for i, g in enumerate(grades, start=1):
                if g >= 1:
                    hits += 1
                    total += hits / i
            aps.append(total / relevant)
        groups = list(judged)
        for i, a in enumerate(groups):
            for b in groups[i + 1 :]:
                if judged[a] == judged[b]:
                    continue
                pairs += 1
                hi, lo = (a, b) if judged[a] > judged[b] else (b, a)
                sh, sl = given.get(hi, 0.0), given.get(lo, 0.0)
                correct += 1.0 if sh > sl else 0.5 if sh == sl else 0.0

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    return Metrics(
        ndcg5=mean(ndcg5),
        ndcg10=mean(ndcg10),
        map=mean(aps),
        pairwise=correct / pairs if pairs else 0.0,
        needs=len(judgements),
        pairs=pairs,
    )


def group_judgements(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for row in rows:
        out[str(row["need"])][str(row["group"])] = float(row.get("relevance") or 0)
    return dict(out)
