"""A group's document scores into one score per group (pure numpy), shared by the lexical and
the semantic index: a profile document and publication documents bucketed by count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projects.matching.weights import pub_buckets

__all__ = ["Layout", "aggregate"]


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
