"""A group's document scores into one score per group (pure numpy), shared by the lexical and
the semantic index: a profile document and publication documents bucketed by count.

`aggregate` takes needs × documents (one need online); `text_fit_columns` takes documents ×
needs (a batch: the orientation a matrix product over the vectors gives) and gives the same
text fit, bit for bit, several times faster: each gather copies whole rows of needs and the
best three are kept by a running compare-exchange instead of a partition per need and group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projects.matching.weights import pub_buckets

__all__ = ["COLUMNS_FROM", "Layout", "aggregate", "text_fit_columns"]

# From this many needs on, `text_fit_columns` is faster than `aggregate` (whose per-need
# partition costs less than the column loop's fixed cost for one or a few needs).
COLUMNS_FROM = 8


@dataclass(frozen=True)
class Layout:
    """Where each group's documents are among the index's columns."""

    n_groups: int
    n_docs: int
    profile_col: np.ndarray  # per group: its profile column, or -1
    profile_empty: np.ndarray  # per group: no profile text
    pub_count: np.ndarray  # per group: publications
    buckets: list[tuple[np.ndarray, np.ndarray]]

    @classmethod
    def of(
        cls, doc_group: np.ndarray, doc_kind: np.ndarray, n_groups: int, empty_profiles: np.ndarray
    ) -> Layout:
        n_docs = len(doc_group)
        profile_col = np.full(n_groups, -1, dtype=np.int64)
        prof = np.flatnonzero(doc_kind == 0)
        profile_col[doc_group[prof]] = prof
        pub_docs = np.flatnonzero(doc_kind == 1)
        return cls(
            n_groups=n_groups,
            n_docs=n_docs,
            profile_col=profile_col,
            profile_empty=empty_profiles,
            pub_count=np.bincount(doc_group[pub_docs], minlength=n_groups),
            buckets=pub_buckets(doc_group, pub_docs, n_docs),
        )


def aggregate(
    scores: np.ndarray,
    layout: Layout,
    *,
    mode: str,
    top_weights: tuple[float, ...],
    profile_share: float,
    renormalise: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text, profile, publications) per need × group from needs × (documents + 1 zero pad).

    ``mode`` "topk": the weighted mean of the best publications; "mean": all of them; "concat":
    the profile column holds everything. With ``renormalise`` the weights are those of the
    publications a group has (a group with one paper is not pulled down by missing ones).
    """
    n_needs = scores.shape[0]
    profile = np.zeros((n_needs, layout.n_groups), dtype=np.float32)
    has = layout.profile_col >= 0
    profile[:, has] = scores[:, layout.profile_col[has]]
    if mode == "concat":
        return profile, profile, np.zeros_like(profile)
    pubs = np.zeros((n_needs, layout.n_groups), dtype=np.float32)
    weights = np.asarray(top_weights, dtype=np.float32)
    for members, idx in layout.buckets:
        block = scores[:, idx]  # needs × members × width
        if mode == "mean":
            counts = layout.pub_count[members].astype(np.float32)
            pubs[:, members] = block.sum(axis=2) / counts[np.newaxis, :]
            continue
        k = min(len(weights), idx.shape[1])
        if idx.shape[1] > k:
            block = -np.partition(-block, k - 1, axis=2)[:, :, :k]
        top = -np.sort(-block, axis=2)[:, :, :k]
        if renormalise:
            have = np.minimum(layout.pub_count[members], k)  # per member
            w = np.where(np.arange(k)[np.newaxis, :] < have[:, np.newaxis], weights[:k], 0.0)
            pubs[:, members] = (top * w[np.newaxis]).sum(axis=2) / w.sum(axis=1)[np.newaxis]
        else:
            pubs[:, members] = top @ weights[:k] / weights.sum()
    no_pubs = layout.pub_count == 0
    text = profile_share * profile + (1 - profile_share) * pubs
    text[:, no_pubs] = profile[:, no_pubs]
    only_pubs = layout.profile_empty & ~no_pubs
    text[:, only_pubs] = pubs[:, only_pubs]
    return text, profile, pubs


def _top_columns(scores_t: np.ndarray, idx: np.ndarray, k: int) -> list[np.ndarray]:
    """The k best of each row of `idx` (members × width document indices), per need: k arrays
    (members × needs), best first; the zero pad column takes part as in `aggregate`."""
    tops = [np.full((idx.shape[0], scores_t.shape[1]), -np.inf, dtype=np.float32) for _ in range(k)]
    for j in range(idx.shape[1]):
        x = scores_t[idx[:, j]]  # a fresh copy: free to overwrite
        for top in tops:
            higher = np.maximum(top, x)
            np.minimum(top, x, out=x)
            top[...] = higher
    return tops


def text_fit_columns(
    scores_t: np.ndarray,
    layout: Layout,
    *,
    top_weights: tuple[float, ...],
    profile_share: float,
    renormalise: bool = False,
) -> np.ndarray:
    """The text fit of `aggregate` (mode "topk"), needs × groups, from (documents + 1 zero
    pad) × needs scores."""
    n_needs = scores_t.shape[1]
    profile = np.zeros((layout.n_groups, n_needs), dtype=np.float32)
    has = layout.profile_col >= 0
    profile[has] = scores_t[layout.profile_col[has]]
    pubs = np.zeros((layout.n_groups, n_needs), dtype=np.float32)
    weights = np.asarray(top_weights, dtype=np.float32)
    for members, idx in layout.buckets:
        k = min(len(weights), idx.shape[1])
        tops = _top_columns(scores_t, idx, k)
        if renormalise:
            have = np.minimum(layout.pub_count[members], k)
            w = np.where(np.arange(k)[np.newaxis, :] < have[:, np.newaxis], weights[:k], 0.0)
            w = w.astype(np.float32)
            total = tops[0] * w[:, :1]
            for i in range(1, k):  # summed in the order `aggregate`'s sum takes
                total = total + tops[i] * w[:, i : i + 1]
            pubs[members] = total / w.sum(axis=1)[:, np.newaxis]
        else:
            total = tops[0] * weights[0]
            for i in range(1, k):
                total = total + tops[i] * weights[i]
            pubs[members] = total / weights.sum()
    no_pubs = layout.pub_count == 0
    text = profile_share * profile + (1 - profile_share) * pubs
    text[no_pubs] = profile[no_pubs]
    only_pubs = layout.profile_empty & ~no_pubs
    text[only_pubs] = pubs[only_pubs]
    return np.ascontiguousarray(text.T)
