"""Pseudo-relevance feedback across languages (pure numpy/scipy).

A Norwegian need and an English paper share few words, and an English-only model reads
Norwegian poorly. multilingual-e5 reads both, so its nearest publications in the whole corpus
(English, mostly) stand in for the need in English: their MiniLM vectors, weighted by the e5
similarity, make an English query for MiniLM (`SemanticIndex.feedback_vectors`), and their
TF-IDF vectors one for the lexical index (`lexical_feedback`). The same works for English needs,
where it smooths a short need over the papers that resemble it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from projects.matching.core import MatchIndex
from projects.matching.semantic import SemanticIndex

__all__ = ["FEEDBACK_TERMS", "lexical_columns", "lexical_feedback"]

FEEDBACK_TERMS = 64  # the strongest terms of a feedback query (keeps the product sparse)
_CHUNK = 256


def lexical_columns(index: MatchIndex, semantic: SemanticIndex) -> np.ndarray:
    """For each semantic document, the lexical index's column of the same publication or
    profile (or -1)."""
    where = {
        (int(g), int(p)): d
        for d, (g, p) in enumerate(zip(index.doc_group, index.doc_pub, strict=True))
    }
    pairs = zip(semantic.doc_group, semantic.doc_pub, strict=True)
    return np.asarray(
        [where.get((int(g), int(p)), -1) for g, p in pairs],
        dtype=np.int64,
    )


def _documents(index: MatchIndex) -> sp.csr_matrix:
    """documents × terms (the index keeps terms × documents), made once per index."""
    docs = getattr(index, "_feedback_docs", None)
    if docs is None:
        docs = index.docs_t.T.tocsr()
        index._feedback_docs = docs  # type: ignore[attr-defined]
    return docs


def _queries(index: MatchIndex, columns: np.ndarray, sims: np.ndarray) -> sp.csr_matrix:
    """needs × terms: the weighted sum of the found documents' TF-IDF vectors, pruned to the
    strongest terms, L2-normalised (as a cosine query)."""
    n_needs, k = columns.shape
    weights = np.where(columns >= 0, np.maximum(sims, 0.0), 0.0).ravel()
    picks = sp.csr_matrix(
        (weights, np.where(columns >= 0, columns, 0).ravel(), np.arange(0, n_needs * k + 1, k)),
        shape=(n_needs, index.docs_t.shape[1]),
    )
    summed = (picks @ _documents(index)).tocsr()  # needs × terms
    rows, cols, vals = [], [], []
    for r in range(n_needs):
        start, end = summed.indptr[r], summed.indptr[r + 1]
        data, terms = summed.data[start:end], summed.indices[start:end]
        if data.size > FEEDBACK_TERMS:
            keep = np.argpartition(-data, FEEDBACK_TERMS - 1)[:FEEDBACK_TERMS]
            data, terms = data[keep], terms[keep]
        norm = float(np.sqrt((data * data).sum())) or 1.0
        rows.append(np.full(data.size, r))
        cols.append(terms)
        vals.append(data / norm)
    return sp.csr_matrix(
        (
            np.concatenate(vals) if vals else np.zeros(0),
            (
                np.concatenate(rows) if rows else np.zeros(0),
                np.concatenate(cols) if cols else np.zeros(0),
            ),
        ),
        shape=(n_needs, index.docs_t.shape[0]),
    )


def lexical_feedback(
    index: MatchIndex, columns: np.ndarray, docs: np.ndarray, sims: np.ndarray
) -> np.ndarray:
    """needs × groups lexical fit of the feedback queries made of `docs` (a semantic index's
    documents found per need, with their similarities; `columns` maps them to the lexical
    index, see `lexical_columns`)."""
    mapped = columns[docs] if docs.size else docs
    out = np.zeros((docs.shape[0], len(index.groups)), dtype=np.float32)
    for start in range(0, docs.shape[0], _CHUNK):
        q = _queries(index, mapped[start : start + _CHUNK], sims[start : start + _CHUNK])
        out[start : start + q.shape[0]] = index.text_fit(q)
    return out
