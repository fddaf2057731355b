"""Text fit of research groups to knowledge needs: the index, the score matrix, explanations.

Documents. A group is one *profile* document (name + description + keywords) and one document
per publication (title + abstract). Weights are fitted on the groups being scored (the corpus).

Scoring (`MatcherConfig.weighting`):
* ``"cosine"`` (the matcher, and the baseline variants): TF-IDF with smoothed idf
  ``ln((1+N)/(1+df)) + 1`` fitted on all group documents, cosine of the need and each document,
  in [0, 1]. The need's norm includes its terms that no group document has (at the idf of an
  unseen term), so a need the corpus cannot cover scores low; cosine needs no other
  normalisation to be comparable across needs.
* ``"bm25"`` (an ablation): a document term weighs ``idf·tf(k1+1)/(tf + k1(1-b+b·dl/avgdl))``;
  a need term weighs ``sqrt(field-weighted tf)``; the score is ``Σ q_t·w_td / Σ q_t·idf_t·(k1+1)``
  — the share of the need's weighted content the document covers at full strength, in [0, 1].
The choice of cosine over BM25 was made on the tuning half of the evaluation set (see
bench/bench_matching.py); all other parameters are the a-priori defaults below.

Aggregation (`MatcherConfig.aggregate`) of a group's document scores into its text fit:
* ``"topk"``: ``pub = Σ_i w_i·s_(i) / Σ w`` over the best publications with ``w = (1, .5, .25)``,
  then ``text = profile_share·profile + (1-profile_share)·pub`` (only the profile when the group
  has no publications, only ``pub`` when the profile is empty). One highly relevant paper lifts a
  group however many unrelated papers it has; unrelated papers never pull it down.
* ``"mean"``: the same with the mean over all publications (an ablation, not recommended).
* ``"concat"``: all the group's text as one document (the baseline).
Optional recency: ``s_i·((1-r) + r·0.5^(age/half_life))`` with ``r = recency``.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from projects.matching.aggregate import COLUMNS_FROM, Layout, aggregate, text_fit_columns
from projects.matching.batch import iter_chunks
from projects.matching.explain import explain
from projects.matching.model import (
    DEFAULT_VARIANT,
    VARIANTS,
    Explanation,
    GroupText,
    Match,
    MatcherConfig,
    NeedText,
    _need_fields,
    _profile_fields,
    _publication_fields,
    _Vocab,
)
from projects.matching.text import Analyzer, Bag, Glossary, load_glossary
from projects.matching.weights import weigh

__all__ = ["MatchIndex", "score_matrix"]


# --- the index ---------------------------------------------------------------------------------


class MatchIndex:
    """Group documents vectorised once; `rank` scores one need against all groups in ms.

    Build with ``MatchIndex.build(groups)``; ``rank(need)`` gives every group's `Match`, best
    first; ``explain(need, group_id)`` says why; ``score_needs(needs)`` gives the matrix.
    """

    def __init__(
        self,
        groups: Sequence[GroupText],
        config: MatcherConfig,
        analyzer: Analyzer,
    ) -> None:
        self.groups = list(groups)
        self.config = config
        self.analyzer = analyzer
        self.group_pos = {g.id: i for i, g in enumerate(self.groups)}
        self._terms: list[str] | None = None
        self._vectorise()

    @classmethod
    def build(
        cls,
        groups: Iterable[GroupText | Mapping[str, Any]],
        config: MatcherConfig | str | None = None,
        *,
        glossary: Glossary | None = None,
    ) -> MatchIndex:
        if isinstance(config, str):
            config = VARIANTS[config]
        config = config or VARIANTS[DEFAULT_VARIANT]
        if glossary is None and config.text.bridge:
            glossary = load_glossary()
        analyzer = Analyzer(config.text, glossary)
        items = [g if isinstance(g, GroupText) else GroupText.from_dict(g) for g in groups]
        return cls(items, config, analyzer)

    # building ------------------------------------------------------------------------------

    def _group_bags(self, group: GroupText, *, track: bool = False) -> tuple[Bag, list[Bag]]:
        profile = self.analyzer.analyse(_profile_fields(group, self.config), track=track)
        pubs = [
            self.analyzer.analyse(_publication_fields(p, self.config), track=track)
            for p in group.publications
        ]
        return profile, pubs

    def _vectorise(self) -> None:
        tf = self._term_counts()
        self._weigh(tf)
        self._layout()

    def _term_counts(self) -> sp.csr_matrix:
        """Documents × terms counts; sets the vocabulary and each document's group and kind."""
        cfg = self.config
        vocab = _Vocab()
        # Compact typed buffers: a 2,000-group corpus has millions of (document, term) entries.
        rows = array("i")
        cols = array("i")
        vals = array("f")
        doc_group: list[int] = []
        doc_kind: list[int] = []  # 0 profile, 1 publication
        doc_pub: list[int] = []
        doc_year: list[float] = []

        def add(bag: Bag, group: int, kind: int, pub: int, year: int | None) -> None:
            doc = len(doc_group)
            doc_group.append(group)
            doc_kind.append(kind)
            doc_pub.append(pub)
            doc_year.append(float(year) if year else math.nan)
            items = bag.weights
            rows.extend([doc] * len(items))
            cols.extend([vocab.get(key) for key in items])
            vals.extend(items.values())

        for gi, group in enumerate(self.groups):
            if cfg.aggregate == "concat":
                bag = self.analyzer.analyse(_profile_fields(group, cfg))
                for pub in group.publications:
                    self.analyzer.analyse(_publication_fields(pub, cfg), bag=bag)
                add(bag, gi, 0, -1, None)
                continue
            profile, pubs = self._group_bags(group)
            add(profile, gi, 0, -1, None)
            seen: set[str] = set()
            for pi, (pub, bag) in enumerate(zip(group.publications, pubs, strict=True)):
                # The same paper listed twice (preprint and article, two sources) counts once.
                title = " ".join(pub.title.casefold().split())
                if title and title in seen:
                    continue
                seen.add(title)
                add(bag, gi, 1, pi, pub.year)

        self.vocab = vocab.ids
        n_docs, n_terms = len(doc_group), max(1, len(vocab.ids))
        tf = sp.csr_matrix(
            (
                np.frombuffer(vals, dtype=np.float32).astype(np.float64),
                (np.frombuffer(rows, dtype=np.int32), np.frombuffer(cols, dtype=np.int32)),
            ),
            shape=(n_docs, n_terms),
        )
        tf.sum_duplicates()
        self.doc_group = np.asarray(doc_group, dtype=np.int64)
        self.doc_kind = np.asarray(doc_kind, dtype=np.int8)
        self.doc_pub = np.asarray(doc_pub, dtype=np.int64)
        return tf

    def _weigh(self, tf: sp.csr_matrix) -> None:
        """Term weights (cosine TF-IDF, or BM25) and the term × document matrix."""
        self.n_docs = max(1, tf.shape[0])
        self.idf, self.unseen_idf, docs = weigh(tf, self.doc_kind, self.config)
        self.docs_t = docs.T.tocsr().astype(np.float32)  # term × document

    def _layout(self) -> None:
        """Profile column per group and publication columns bucketed by count (for top-k)."""
        n_groups = len(self.groups)
        empty = np.ones(n_groups, dtype=bool)
        prof = np.flatnonzero(self.doc_kind == 0)
        if prof.size:
            # A document column with no terms is an empty profile.
            counts = np.diff(self.docs_t.tocsc().indptr)
            empty[self.doc_group[prof]] = counts[prof] == 0
        self.layout = Layout.of(self.doc_group, self.doc_kind, n_groups, empty)
        self.profile_empty = empty
        pub_docs = np.flatnonzero(self.doc_kind == 1)
        # Publication documents are contiguous per group: segment starts for reductions.
        self.pub_docs = pub_docs
        if pub_docs.size:
            change = np.flatnonzero(np.diff(self.doc_group[pub_docs])) + 1
            self.pub_starts = np.concatenate([[0], change]).astype(np.int64)
        else:
            self.pub_starts = np.zeros(0, dtype=np.int64)
        self.pub_count = self.layout.pub_count
        cfg = self.config
        years = [p.year for g in self.groups for p in g.publications if p.year]
        ref = cfg.reference_year or (max(years) if years else None)
        self.doc_weight = np.ones(self.n_docs, dtype=np.float32)
        if cfg.recency > 0 and ref:
            for doc in pub_docs:
                pub = self.groups[self.doc_group[doc]].publications[self.doc_pub[doc]]
                if pub.year:
                    age = max(0, ref - pub.year)
                    self.doc_weight[doc] = (1 - cfg.recency) + cfg.recency * 0.5 ** (
                        age / cfg.half_life
                    )

    # needs ---------------------------------------------------------------------------------

    def need_bag(self, need: NeedText, *, track: bool = False) -> Bag:
        return self.analyzer.analyse(
            _need_fields(need, self.config), language=need.language, track=track
        )

    def _need_vector(self, bag: Bag) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, weights) of a need, already divided by its ceiling."""
        ids: list[int] = []
        weights: list[float] = []
        ceiling = 0.0
        cfg = self.config
        for key, tf in bag.weights.items():
            index = self.vocab.get(key)
            if cfg.weighting == "bm25":
                q = math.sqrt(tf)
                idf = self.idf[index] if index is not None else self.unseen_idf
                ceiling += q * idf * (cfg.k1 + 1)
                if index is not None:
                    ids.append(index)
                    weights.append(q)
            else:
                q = tf * (self.idf[index] if index is not None else self.unseen_idf)
                ceiling += q * q
                if index is not None:
                    ids.append(index)
                    weights.append(q)
        if cfg.weighting != "bm25":
            ceiling = math.sqrt(ceiling)
        w = np.asarray(weights, dtype=np.float32)
        if ceiling > 0:
            w /= ceiling
        return np.asarray(ids, dtype=np.int64), w

    def _need_matrix(self, needs: Sequence[NeedText]) -> sp.csr_matrix:
        indptr = [0]
        indices: list[np.ndarray] = []
        data: list[np.ndarray] = []
        for need in needs:
            ids, w = self._need_vector(self.need_bag(need))
            indices.append(ids)
            data.append(w)
            indptr.append(indptr[-1] + len(ids))
        return sp.csr_matrix(
            (
                np.concatenate(data) if data else np.zeros(0, np.float32),
                np.concatenate(indices) if indices else np.zeros(0, np.int64),
                np.asarray(indptr),
            ),
            shape=(len(needs), self.docs_t.shape[0]),
        )

    # scoring -------------------------------------------------------------------------------

    def _doc_scores(self, queries: sp.csr_matrix) -> np.ndarray:
        """Dense (needs × documents+1) scores; the extra last column is the zero pad."""
        product = (queries @ self.docs_t).toarray()
        out = np.zeros((queries.shape[0], self.n_docs + 1), dtype=np.float32)
        out[:, : product.shape[1]] = product
        out[:, : self.n_docs] *= self.doc_weight[np.newaxis, :]
        return out

    def _aggregate(self, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(text, profile, publications) per need × group from document scores."""
        cfg = self.config
        return aggregate(
            scores,
            self.layout,
            mode=cfg.aggregate,
            top_weights=cfg.top_weights,
            profile_share=cfg.profile_share,
        )

    def text_fit(self, queries: sp.csr_matrix) -> np.ndarray:
        """Text fit, needs × groups, of query rows: a batch is aggregated by columns (the same
        figures as `_aggregate`, faster)."""
        cfg = self.config
        if cfg.aggregate != "topk" or queries.shape[0] < COLUMNS_FROM:
            return self._aggregate(self._doc_scores(queries))[0]
        product = (queries @ self.docs_t).T.toarray()  # documents × needs
        scores_t = np.zeros((self.n_docs + 1, queries.shape[0]), dtype=np.float32)
        scores_t[: product.shape[0]] = product
        scores_t[: self.n_docs] *= self.doc_weight[:, np.newaxis]
        return text_fit_columns(
            scores_t, self.layout, top_weights=cfg.top_weights, profile_share=cfg.profile_share
        )

    def score_needs(self, needs: Sequence[NeedText]) -> np.ndarray:
        """Text fit, needs × groups (float32), for a modest batch of needs."""
        if not self.groups:
            return np.zeros((len(needs), 0), dtype=np.float32)
        return self.text_fit(self._need_matrix(needs))

    def iter_score_chunks(
        self, needs: Sequence[NeedText], chunk: int = 256, workers: int = 1
    ) -> Iterator[tuple[int, np.ndarray]]:
        """(first need index, needs × groups text fit) chunk by chunk, in order.

        With workers > 1, chunks are scored in forked processes that share the index
        copy-on-write (the sparse products hold the GIL, so threads do not help); results come
        back in order, a few chunks at a time, so memory stays bounded. On the 2-core bench
        machine 2 workers were no faster than 1 (memory-bound, shared CPUs), so 1 is the
        default.
        """
        return iter_chunks(self, needs, chunk, workers)

    def rank(
        self,
        need: NeedText | Mapping[str, Any],
        *,
        exclude: Iterable[str] = (),
        limit: int | None = None,
    ) -> list[Match]:
        """Every group (but the excluded ones) for one need, best first; ties by group id."""
        if not isinstance(need, NeedText):
            need = NeedText.from_dict(need)
        if not self.groups:
            return []
        ids, w = self._need_vector(self.need_bag(need))
        query = sp.csr_matrix((w, ids, np.asarray([0, len(ids)])), shape=(1, self.docs_t.shape[0]))
        scores = self._doc_scores(query)
        text, profile, pubs = self._aggregate(scores)
        best_pub = self._best_publications(scores[0])
        excluded = set(exclude)
        ids = [g.id for g in self.groups]
        # Best first; ties by group id (ids ranked once, as strings).
        id_rank = np.argsort(np.asarray(ids, dtype=object), kind="stable")
        tie = np.empty(len(ids), dtype=np.int64)
        tie[id_rank] = np.arange(len(ids))
        order = np.lexsort((tie, -text[0])).tolist()
        t_list, p_list, u_list = text[0].tolist(), profile[0].tolist(), pubs[0].tolist()
        out = [
            Match(need.id, ids[g], t_list[g], p_list[g], u_list[g], best_pub.get(g))
            for g in order
            if ids[g] not in excluded
        ]
        return out[:limit] if limit is not None else out

    def _best_publications(self, doc_scores: np.ndarray) -> dict[int, int]:
        """Group position → index of its best-scoring publication (score > 0)."""
        values = doc_scores[self.pub_docs]
        if not values.size:
            return {}
        maxes = np.maximum.reduceat(values, self.pub_starts)
        counts = np.diff(np.append(self.pub_starts, values.size))
        is_best = (values == np.repeat(maxes, counts)) & (values > 0)
        hits = np.flatnonzero(is_best)
        groups = self.doc_group[self.pub_docs[hits]]
        _, first = np.unique(groups, return_index=True)
        best = self.pub_docs[hits[first]]
        return dict(zip(self.doc_group[best].tolist(), self.doc_pub[best].tolist(), strict=True))

    # explanations --------------------------------------------------------------------------

    def explain(
        self, need: NeedText | Mapping[str, Any], group_id: str, *, top: int = 8
    ) -> Explanation:
        """Why this group fits this need: shared terms with their share, driving papers."""
        return explain(self, need, group_id, top=top)


def score_matrix(
    groups: Sequence[GroupText | Mapping[str, Any]],
    needs: Sequence[NeedText | Mapping[str, Any]],
    config: MatcherConfig | str | None = None,
) -> np.ndarray:
    """Text fit for every need × group (float32, needs in rows), in chunks of needs."""
    index = MatchIndex.build(groups, config)
    items = [n if isinstance(n, NeedText) else NeedText.from_dict(n) for n in needs]
    out = np.zeros((len(items), len(index.groups)), dtype=np.float32)
    for start, block in index.iter_score_chunks(items):
        out[start : start + block.shape[0]] = block
    return out
