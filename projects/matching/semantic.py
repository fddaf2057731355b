"""Semantic fit: a need's embedding against each group's publication embeddings.

Documents are the group's publications (title + abstract) and its profile (name, description,
keywords), embedded once as passages; a need (title, question, background) is embedded as a
query. A document's score is the cosine; a group's is the weighted mean of its best
publications (weights ``(1, .5, .25)`` over the papers it has), blended with the profile as the
lexical index does. One need against 100k publications is one matrix-vector product.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from projects.matching.aggregate import COLUMNS_FROM, Layout, aggregate, text_fit_columns
from projects.matching.embedders import MODELS
from projects.matching.model import GroupText, NeedText
from projects.matching.vectors import VectorSource, cached_source

__all__ = ["SemanticIndex", "need_text", "profile_text"]

_NEED_CHUNK = 128  # needs scored at a time: 128 × 100k documents × 4 bytes = 51 MB


def clip(text: str, limit: int) -> str:
    """The text cut at a word boundary before `limit` characters (0 = whole)."""
    if not limit or len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


def profile_text(group: GroupText) -> str:
    """The profile as a document; a bare name (often a person's) says nothing of a subject."""
    if not group.description.strip() and not group.keywords:
        return ""
    parts = [group.name, group.description, ", ".join(group.keywords)]
    return ". ".join(p.strip() for p in parts if p and p.strip())


def need_text(need: NeedText) -> str:
    parts = (need.title, need.question, need.background)
    return ". ".join(p.strip() for p in parts if p and p.strip())


class SemanticIndex:
    """The groups' document vectors for one model; `score_needs` gives needs × groups."""

    def __init__(
        self,
        groups: Sequence[GroupText],
        model: str,
        source: VectorSource | None = None,
        *,
        top_weights: tuple[float, ...] = (1.0, 0.5, 0.25),
        profile_share: float = 0.3,
    ) -> None:
        self.groups = list(groups)
        self.model = model
        self.source = source or cached_source()
        self.top_weights = top_weights
        self.profile_share = profile_share
        doc_group: list[int] = []
        doc_kind: list[int] = []
        doc_pub: list[int] = []
        texts: list[str] = []
        stored: list[np.ndarray | None] = []
        empty = np.ones(len(self.groups), dtype=bool)
        for gi, group in enumerate(self.groups):
            profile = profile_text(group)
            if profile:
                empty[gi] = False
                doc_group.append(gi)
                doc_kind.append(0)
                doc_pub.append(-1)
                texts.append(profile)
                stored.append(None)
            seen: set[str] = set()
            for pi, pub in enumerate(group.publications):
                title = " ".join(pub.title.casefold().split())
                text = clip(pub.text(), MODELS[model].passage_chars)
                if not text or (title and title in seen):
                    continue
                seen.add(title)
                doc_group.append(gi)
                doc_kind.append(1)
                doc_pub.append(pi)
                texts.append(text)
                stored.append(pub.vectors.get(model))
        self.doc_group = np.asarray(doc_group, dtype=np.int64)
        self.doc_kind = np.asarray(doc_kind, dtype=np.int8)
        self.doc_pub = np.asarray(doc_pub, dtype=np.int64)
        # (group position, publication index) -> row, for the publications that have one.
        pairs = enumerate(zip(doc_group, doc_pub, strict=True))
        self.row_of = {(g, p): r for r, (g, p) in pairs if p >= 0}
        self.vectors = self._vectors(texts, stored)
        self._is_profile = self.doc_kind == 0
        self.layout = Layout.of(self.doc_group, self.doc_kind, len(self.groups), empty)

    def _vectors(self, texts: list[str], stored: list[np.ndarray | None]) -> np.ndarray:
        out = np.zeros((len(texts), MODELS[self.model].dim), dtype=np.float32)
        missing = [i for i, v in enumerate(stored) if v is None]
        if missing:
            out[missing] = self.source(self.model, [texts[i] for i in missing], "passage")
        for i, v in enumerate(stored):
            if v is not None:
                out[i] = v
        return out

    def need_vectors(self, needs: Sequence[NeedText]) -> np.ndarray:
        return self.source(self.model, [need_text(n) for n in needs], "query")

    def doc_scores_t(self, queries: np.ndarray) -> np.ndarray:
        """(documents + 1) × needs: cosines, and a zero pad row for the buckets."""
        out = np.zeros((len(self.doc_group) + 1, queries.shape[0]), dtype=np.float32)
        if len(self.doc_group):
            # documents × queries, the vectors as the left operand: BLAS streams them once
            # (the other orientation is 1.4-2x slower for a few queries over 100k vectors).
            np.matmul(self.vectors, queries.T, out=out[:-1])
        return out

    def _fit(self, scores_t: np.ndarray) -> np.ndarray:
        """needs × groups fit from `doc_scores_t` (one need: per need; a batch: by columns,
        the same figures faster)."""
        if scores_t.shape[1] >= COLUMNS_FROM:
            return text_fit_columns(
                scores_t,
                self.layout,
                top_weights=self.top_weights,
                profile_share=self.profile_share,
                renormalise=True,
            )
        return aggregate(
            np.ascontiguousarray(scores_t.T),
            self.layout,
            mode="topk",
            top_weights=self.top_weights,
            profile_share=self.profile_share,
            renormalise=True,
        )[0]

    def score_vectors(self, queries: np.ndarray) -> np.ndarray:
        """Semantic fit, needs × groups, for need vectors."""
        return self.score_and_find(queries, 0)[0]

    def top_documents(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(document indices, cosines) of each query's k nearest publications, best first."""
        _, idx, sims = self.score_and_find(queries, k)
        return idx, sims

    def score_and_find(
        self, queries: np.ndarray, k: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The fit (needs × groups) and the k nearest documents with their cosines, from one
        pass over the vectors (the pass is what costs: it reads every vector)."""
        n = queries.shape[0]
        k = min(k, int((self.doc_kind == 1).sum()))
        fit = np.zeros((n, len(self.groups)), dtype=np.float32)
        idx = np.zeros((n, k), dtype=np.int64)
        sims = np.zeros((n, k), dtype=np.float32)
        for start in range(0, n, _NEED_CHUNK):
            scores_t = self.doc_scores_t(queries[start : start + _NEED_CHUNK])
            end = start + scores_t.shape[1]
            fit[start:end] = self._fit(scores_t)
            if k:
                # Publications only: a profile in the need's own language would be found for
                # the language, and feedback is there to reach the (English) publications.
                real = np.where(self._is_profile, -np.inf, scores_t[:-1].T)
                part = np.argpartition(-real, k - 1, axis=1)[:, :k]
                vals = np.take_along_axis(real, part, axis=1)
                order = np.argsort(-vals, axis=1)
                idx[start:end] = np.take_along_axis(part, order, axis=1)
                sims[start:end] = np.take_along_axis(vals, order, axis=1)
        return fit, idx, sims

    def feedback_vectors(self, docs: np.ndarray, sims: np.ndarray) -> np.ndarray:
        """Pseudo-queries in this model's space: the similarity-weighted mean of the vectors of
        documents found by another model (same document order), normalised."""
        weights = np.maximum(sims, 0.0)[:, :, np.newaxis]
        out = (self.vectors[docs] * weights).sum(axis=1)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (out / norms).astype(np.float32)

    def score_needs(self, needs: Sequence[NeedText]) -> np.ndarray:
        return self.score_vectors(self.need_vectors(needs))

    def publication_scores(self, query: np.ndarray, group_pos: int) -> list[tuple[int, float]]:
        """(publication index, cosine) of one group's publications for one need, best first."""
        docs = np.flatnonzero((self.doc_group == group_pos) & (self.doc_kind == 1))
        sims = self.vectors[docs] @ query
        pairs = [(int(self.doc_pub[d]), float(s)) for d, s in zip(docs, sims, strict=True)]
        return sorted(pairs, key=lambda x: -x[1])
