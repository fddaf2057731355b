"""Document term weights for the index (pure numpy): cosine-normalised TF-IDF or BM25, and the
padded publication buckets that top-k aggregation reduces over."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from projects.matching.model import MatcherConfig


def weigh(
    tf: sp.csr_matrix, doc_kind: np.ndarray, cfg: MatcherConfig
) -> tuple[np.ndarray, float, sp.csr_matrix]:
    """(idf per term, idf of an unseen term, weighted documents × terms)."""
    n_docs, n_terms = tf.shape
    df = np.bincount(tf.indices, minlength=n_terms).astype(np.float64)
    n = max(1, n_docs)
    if cfg.weighting == "bm25":
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        unseen_idf = float(np.log1p((n + 0.5) / 0.5))
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        avg = np.ones(n_docs)
        for k in (0, 1):
            mask = doc_kind == k
            if mask.any():
                avg[mask] = max(1e-9, float(lengths[mask].mean()))
        norm = cfg.k1 * (1 - cfg.b + cfg.b * lengths / avg)
        data = tf.data
        row_of = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
        weighted = idf[tf.indices] * data * (cfg.k1 + 1) / (data + norm[row_of])
        return idf, unseen_idf, sp.csr_matrix((weighted, tf.indices, tf.indptr), shape=tf.shape)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    unseen_idf = float(np.log(1 + n) + 1.0)
    docs = tf.multiply(idf[np.newaxis, :]).tocsr()
    norms = np.sqrt(np.asarray(docs.multiply(docs).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return idf, unseen_idf, sp.csr_matrix(sp.diags(1.0 / norms) @ docs)


def pub_buckets(
    doc_group: np.ndarray, pub_docs: np.ndarray, n_docs: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Groups with 1, 2, 3-4, 5-8, ... publications share a padded index array (padding points
    at column ``n_docs``, a zero column)."""
    buckets: list[tuple[np.ndarray, np.ndarray]] = []
    by_group: dict[int, list[int]] = {}
    for doc in pub_docs:
        by_group.setdefault(int(doc_group[doc]), []).append(int(doc))
    sizes: dict[int, list[int]] = {}
    for gi, docs in by_group.items():
        sizes.setdefault(1 << (len(docs) - 1).bit_length(), []).append(gi)
    for width, members in sorted(sizes.items()):
        idx = np.full((len(members), width), n_docs, dtype=np.int64)
        for row, gi in enumerate(members):
            docs = by_group[gi]
            idx[row, : len(docs)] = docs
        buckets.append((np.asarray(members, dtype=np.int64), idx))
    return buckets
