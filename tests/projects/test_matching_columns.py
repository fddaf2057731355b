"""Batch aggregation by columns gives the per-need aggregation's figures bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from projects.matching import MatchIndex
from projects.matching.aggregate import COLUMNS_FROM, Layout, aggregate, text_fit_columns
from projects.matching.model import GroupText, NeedText, Publication


def _layout(rng: np.random.Generator, n_groups: int) -> Layout:
    """Groups of 0-70 publications (every bucket width up to 128), some without a profile,
    some with an empty one."""
    doc_group: list[int] = []
    doc_kind: list[int] = []
    for g, size in enumerate(rng.integers(0, 70, n_groups)):
        if rng.random() < 0.8:
            doc_group.append(g)
            doc_kind.append(0)
        doc_group += [g] * int(size)
        doc_kind += [1] * int(size)
    empty = rng.random(n_groups) < 0.2
    return Layout.of(np.asarray(doc_group), np.asarray(doc_kind, dtype=np.int8), n_groups, empty)


@pytest.mark.parametrize("renormalise", [True, False])
@pytest.mark.parametrize("signs", ["cosines", "sparse non-negative"])
def test_columns_give_the_same_fit_as_per_need(renormalise: bool, signs: str) -> None:
    rng = np.random.default_rng(5)
    layout = _layout(rng, 120)
    n_needs = 23
    scores = np.zeros((n_needs, layout.n_docs + 1), dtype=np.float32)  # the last: zero pad
    values = rng.standard_normal((n_needs, layout.n_docs)).astype(np.float32)
    if signs != "cosines":  # lexical scores: mostly zero, never negative, many ties
        values = np.maximum(values, 0) * (rng.random(values.shape) < 0.3)
    scores[:, :-1] = values
    expected = aggregate(
        scores,
        layout,
        mode="topk",
        top_weights=(1.0, 0.5, 0.25),
        profile_share=0.3,
        renormalise=renormalise,
    )[0]
    got = text_fit_columns(
        np.ascontiguousarray(scores.T),
        layout,
        top_weights=(1.0, 0.5, 0.25),
        profile_share=0.3,
        renormalise=renormalise,
    )
    assert got.shape == expected.shape
    assert np.array_equal(got, expected)


def test_a_batch_of_needs_scores_as_each_need_alone() -> None:
    words = ["school absence", "dementia care", "foster care", "child welfare", "home nursing"]
    groups = [
        GroupText(
            id=f"g{i}",
            name=f"Group {i}",
            description=words[i % len(words)],
            publications=tuple(
                Publication(f"{words[(i + j) % len(words)]} study {j}", f"{words[j % 5]} trial")
                for j in range(i % 6)
            ),
        )
        for i in range(15)
    ]
    index = MatchIndex.build(groups)
    needs = [NeedText(f"n{i}", title=words[i % 5], question=words[(i * 2) % 5]) for i in range(12)]
    assert len(needs) >= COLUMNS_FROM  # the batch takes the column path
    batch = index.score_needs(needs)
    for row, need in enumerate(needs):
        alone = index.score_needs([need])[0]
        assert np.array_equal(batch[row], alone)
