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
import multiprocessing as mp
import os
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from projects.matching.text import Analyzer, Bag, Glossary, TextOptions, load_glossary

__all__ = [
    "VARIANTS",
    "Explanation",
    "GroupText",
    "Match",
    "MatchIndex",
    "MatcherConfig",
    "NeedText",
    "Publication",
    "SharedTerm",
    "score_matrix",
]


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    title: str = ""
    abstract: str = ""
    year: int | None = None


@dataclass(frozen=True)
class GroupText:
    id: str
    name: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    publications: tuple[Publication, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GroupText:
        pubs = tuple(
            Publication(
                title=str(p.get("title") or ""),
                abstract=str(p.get("abstract") or ""),
                year=_year(p.get("year")),
            )
            for p in (data.get("publications") or [])
            if isinstance(p, Mapping)
        )
        keywords = data.get("keywords") or []
        if isinstance(keywords, str):
            keywords = [keywords]
        return cls(
            id=str(data["id"]),
            name=str(data.get("name") or ""),
            description=str(data.get("description") or ""),
            keywords=tuple(str(k) for k in keywords if k),
            publications=pubs,
        )


@dataclass(frozen=True)
class NeedText:
    id: str
    title: str = ""
    question: str = ""
    background: str = ""
    language: str | None = None  # 'nb', 'nn' or 'en' when known; guessed otherwise

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NeedText:
        lang = data.get("language")
        return cls(
            id=str(data["id"]),
            title=str(data.get("title") or ""),
            question=str(data.get("question") or ""),
            background=str(data.get("background") or ""),
            language=lang if lang in {"nb", "nn", "en"} else None,
        )


def _year(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


# --- configuration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MatcherConfig:
    text: TextOptions = field(default_factory=TextOptions)
    weighting: str = "cosine"  # "cosine" | "bm25"
    aggregate: str = "topk"  # "topk" | "mean" | "concat"
    top_weights: tuple[float, ...] = (1.0, 0.5, 0.25)
    profile_share: float = 0.3
    k1: float = 1.2
    b: float = 0.75
    recency: float = 0.0  # 0 = off; 1 = a publication's weight halves every half_life years
    half_life: float = 10.0
    reference_year: int | None = None  # default: the newest year in the corpus
    # Field weights: the title is what people phrase most carefully.
    need_fields: tuple[float, float, float] = (2.0, 1.5, 1.0)  # title, question, background
    profile_fields: tuple[float, float, float] = (1.0, 1.0, 2.0)  # name, description, keywords
    publication_fields: tuple[float, float] = (2.0, 1.0)  # title, abstract


_PLAIN = TextOptions(stem=False, stop_words=False, bridge=False, compounds=False)
_STEMMED = TextOptions(stem=True, stop_words=True, bridge=False, compounds=False)
_BRIDGED = TextOptions(stem=True, stop_words=True, bridge=True, compounds=False)
_FULL = TextOptions()

# The variants of the evaluation, each adding one step to the one before it ("full" is the
# matcher; "full_no_bridge" shows what the glossary alone is worth).
VARIANTS: dict[str, MatcherConfig] = {
    "baseline": MatcherConfig(text=_PLAIN, weighting="cosine", aggregate="concat"),
    "stem_stop": MatcherConfig(text=_STEMMED, weighting="cosine", aggregate="concat"),
    "bridge": MatcherConfig(text=_BRIDGED, weighting="cosine", aggregate="concat"),
    "mean": MatcherConfig(text=_BRIDGED, weighting="cosine", aggregate="mean"),
    "topk": MatcherConfig(text=_BRIDGED, weighting="cosine", aggregate="topk"),
    "full": MatcherConfig(text=_FULL, weighting="cosine", aggregate="topk"),
    "full_bm25": MatcherConfig(text=_FULL, weighting="bm25", aggregate="topk"),
    "full_no_bridge": MatcherConfig(
        text=TextOptions(bridge=False), weighting="cosine", aggregate="topk"
    ),
}
DEFAULT_VARIANT = "full"


# --- outputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One group's text fit for one need, with its parts."""

    need_id: str
    group_id: str
    score: float  # text fit in [0, 1]
    profile: float  # the profile document's score
    publications: float  # the aggregated publication score
    best_publication: int | None  # index into the group's publications


@dataclass(frozen=True)
class SharedTerm:
    key: str  # 'c:school_absence' or 'w:skol'
    kind: str  # 'concept' or 'word'
    label: str  # 'skolefravær / skulefråvær ↔ school absence' or the word
    need_forms: tuple[str, ...]  # as written in the need
    group_forms: tuple[str, ...]  # as written in the group's texts
    contribution: float  # share of the text fit this term brought (the terms sum to ≤ 1)


@dataclass(frozen=True)
class DrivingPublication:
    index: int
    title: str
    year: int | None
    score: float
    weight: float  # its weight in the aggregation


@dataclass(frozen=True)
class Explanation:
    need_id: str
    group_id: str
    text_fit: float
    profile: float
    publications: float
    shared: tuple[SharedTerm, ...]
    driving_publications: tuple[DrivingPublication, ...]
    need_language: str

    def summary(self) -> str:
        """One plain line: which concepts and which papers made the fit."""
        terms = ", ".join(t.label for t in self.shared[:4]) or "ingen felles begreper"
        papers = "; ".join(f"«{p.title}» ({p.score:.2f})" for p in self.driving_publications[:2])
        line = f"Tekstlikhet {self.text_fit:.2f}: {terms}"
        return f"{line}. Publikasjoner: {papers}" if papers else line


# --- the index ---------------------------------------------------------------------------------


class _Vocab:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def get(self, key: str) -> int:
        index = self.ids.get(key)
        if index is None:
            index = self.ids[key] = len(self.ids)
        return index


def _profile_fields(group: GroupText, config: MatcherConfig) -> list[tuple[str, float]]:
    w_name, w_desc, w_kw = config.profile_fields
    return [
        (group.name, w_name),
        (group.description, w_desc),
        ("\n".join(f"{k}." for k in group.keywords), w_kw),
    ]


def _publication_fields(pub: Publication, config: MatcherConfig) -> list[tuple[str, float]]:
    w_title, w_abstract = config.publication_fields
    return [(pub.title, w_title), (pub.abstract, w_abstract)]


def _need_fields(need: NeedText, config: MatcherConfig) -> list[tuple[str, float]]:
    w_t, w_q, w_b = config.need_fields
    return [(need.title, w_t), (need.question, w_q), (need.background, w_b)]


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
        df = np.bincount(tf.indices, minlength=n_terms).astype(np.float64)
        self.n_docs = max(1, n_docs)
        if cfg.weighting == "bm25":
            self.idf = np.log1p((self.n_docs - df + 0.5) / (df + 0.5))
            self.unseen_idf = float(np.log1p((self.n_docs + 0.5) / 0.5))
            lengths = np.asarray(tf.sum(axis=1)).ravel()
            kind = self.doc_kind
            avg = np.ones(n_docs)
            for k in (0, 1):
                mask = kind == k
                if mask.any():
                    avg[mask] = max(1e-9, float(lengths[mask].mean()))
            norm = cfg.k1 * (1 - cfg.b + cfg.b * lengths / avg)
            data = tf.data
            row_of = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
            weighted = self.idf[tf.indices] * data * (cfg.k1 + 1) / (data + norm[row_of])
            docs = sp.csr_matrix((weighted, tf.indices, tf.indptr), shape=tf.shape)
        else:
            self.idf = np.log((1 + self.n_docs) / (1 + df)) + 1.0
            self.unseen_idf = float(np.log(1 + self.n_docs) + 1.0)
            docs = tf.multiply(self.idf[np.newaxis, :]).tocsr()
            norms = np.sqrt(np.asarray(docs.multiply(docs).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            docs = sp.csr_matrix(sp.diags(1.0 / norms) @ docs)
        self.docs_t = docs.T.tocsr().astype(np.float32)  # term × document
        self._layout()

    def _layout(self) -> None:
        """Profile column per group and publication columns bucketed by count (for top-k)."""
        n_groups = len(self.groups)
        self.profile_col = np.full(n_groups, -1, dtype=np.int64)
        prof = np.flatnonzero(self.doc_kind == 0)
        self.profile_col[self.doc_group[prof]] = prof
        self.profile_empty = np.ones(n_groups, dtype=bool)
        if prof.size:
            # A document column with no terms is an empty profile.
            counts = np.diff(self.docs_t.tocsc().indptr)
            self.profile_empty[self.doc_group[prof]] = counts[prof] == 0
        pub_docs = np.flatnonzero(self.doc_kind == 1)
        # Publication documents are contiguous per group: segment starts for reductions.
        self.pub_docs = pub_docs
        if pub_docs.size:
            change = np.flatnonzero(np.diff(self.doc_group[pub_docs])) + 1
            self.pub_starts = np.concatenate([[0], change]).astype(np.int64)
        else:
            self.pub_starts = np.zeros(0, dtype=np.int64)
        self.pub_count = np.bincount(self.doc_group[pub_docs], minlength=n_groups)
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
        # Buckets: groups with 1, 2, 3-4, 5-8, ... publications share a padded index array.
        self.buckets: list[tuple[np.ndarray, np.ndarray]] = []
        by_group: dict[int, list[int]] = {}
        for doc in pub_docs:
            by_group.setdefault(int(self.doc_group[doc]), []).append(int(doc))
        sizes: dict[int, list[int]] = {}
        for gi, docs in by_group.items():
            sizes.setdefault(1 << (len(docs) - 1).bit_length(), []).append(gi)
        for width, members in sorted(sizes.items()):
            idx = np.full((len(members), width), self.n_docs, dtype=np.int64)  # pad → zero col
            for row, gi in enumerate(members):
                docs = by_group[gi]
                idx[row, : len(docs)] = docs
            self.buckets.append((np.asarray(members, dtype=np.int64), idx))

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
        n_needs, n_groups = scores.shape[0], len(self.groups)
        profile = np.zeros((n_needs, n_groups), dtype=np.float32)
        has = self.profile_col >= 0
        profile[:, has] = scores[:, self.profile_col[has]]
        if cfg.aggregate == "concat":
            return profile, profile, np.zeros_like(profile)
        pubs = np.zeros((n_needs, n_groups), dtype=np.float32)
        weights = np.asarray(cfg.top_weights, dtype=np.float32)
        for members, idx in self.buckets:
            block = scores[:, idx]  # needs × members × width
            if cfg.aggregate == "mean":
                counts = self.pub_count[members].astype(np.float32)
                pubs[:, members] = block.sum(axis=2) / counts[np.newaxis, :]
                continue
            k = min(len(weights), idx.shape[1])
            if idx.shape[1] > k:
                block = -np.partition(-block, k - 1, axis=2)[:, :, :k]
            top = -np.sort(-block, axis=2)[:, :, :k]
            pubs[:, members] = top @ weights[:k] / weights.sum()
        share = cfg.profile_share
        no_pubs = self.pub_count == 0
        text = share * profile + (1 - share) * pubs
        text[:, no_pubs] = profile[:, no_pubs]
        only_pubs = self.profile_empty & ~no_pubs
        text[:, only_pubs] = pubs[:, only_pubs]
        return text, profile, pubs

    def score_needs(self, needs: Sequence[NeedText]) -> np.ndarray:
        """Text fit, needs × groups (float32), for a modest batch of needs."""
        if not self.groups:
            return np.zeros((len(needs), 0), dtype=np.float32)
        return self._aggregate(self._doc_scores(self._need_matrix(needs)))[0]

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
        starts = list(range(0, len(needs), chunk))
        workers = max(1, min(workers or 1, os.cpu_count() or 1))
        can_fork = "fork" in mp.get_all_start_methods()
        if workers <= 1 or len(starts) <= 2 or not can_fork:
            for start in starts:
                yield start, self.score_needs(needs[start : start + chunk])
            return
        global _FORK_STATE
        _FORK_STATE = (self, needs, chunk)
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                yield from zip(starts, pool.imap(_score_chunk, starts), strict=True)
        finally:
            _FORK_STATE = None

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
        if not isinstance(need, NeedText):
            need = NeedText.from_dict(need)
        gi = self.group_pos[group_id]
        group = self.groups[gi]
        need_bag = self.need_bag(need, track=True)
        ids, w = self._need_vector(need_bag)
        q = dict(zip(ids.tolist(), w.tolist(), strict=True))
        cfg = self.config
        docs = np.flatnonzero(self.doc_group == gi)
        columns = self.docs_t[:, docs].toarray() if docs.size else np.zeros((0, 0))
        # Per document: contribution of every need term.
        contrib: dict[int, dict[int, float]] = {}
        doc_score: dict[int, float] = {}
        for j, doc in enumerate(docs):
            row = {
                t: qv * float(columns[t, j]) * float(self.doc_weight[doc]) for t, qv in q.items()
            }
            row = {t: v for t, v in row.items() if v > 0}
            contrib[int(doc)] = row
            doc_score[int(doc)] = sum(row.values())
        # Weight of each document in the group's text fit (mirrors `_aggregate`).
        doc_w: dict[int, float] = {}
        pub_docs = [d for d in docs if self.doc_kind[d] == 1]
        prof_docs = [d for d in docs if self.doc_kind[d] == 0]
        no_pubs = not pub_docs
        only_pubs = bool(self.profile_empty[gi]) and not no_pubs
        share = 1.0 if no_pubs or cfg.aggregate == "concat" else cfg.profile_share
        if only_pubs:
            share = 0.0
        for d in prof_docs:
            doc_w[int(d)] = share
        if pub_docs and cfg.aggregate != "concat":
            ranked = sorted(pub_docs, key=lambda d: -doc_score[int(d)])
            if cfg.aggregate == "mean":
                for d in ranked:
                    doc_w[int(d)] = (1 - share) / len(ranked)
            else:
                total = sum(cfg.top_weights)
                for d, wt in zip(ranked, cfg.top_weights, strict=False):
                    doc_w[int(d)] = (1 - share) * wt / total
        term_total: dict[int, float] = {}
        for doc, row in contrib.items():
            for t, v in row.items():
                term_total[t] = term_total.get(t, 0.0) + doc_w.get(doc, 0.0) * v
        query = sp.csr_matrix((w, ids, np.asarray([0, len(ids)])), shape=(1, self.docs_t.shape[0]))
        text, profile_s, pubs_s = self._aggregate(self._doc_scores(query))
        text_fit = float(text[0, gi])
        share_total = sum(term_total.values())

        # Surface forms in the group's driving documents.
        if self._terms is None:
            self._terms = list(self.vocab)  # term id → key (ids are insertion order)
        key_of = {t: self._terms[t] for t in term_total}
        driving = [d for d, wt in sorted(doc_w.items(), key=lambda x: -x[1]) if wt > 0]
        profile_bag, pub_bags = self._group_bags(group, track=True)
        group_forms: dict[str, set[str]] = {}
        for d in driving:
            bag = profile_bag if self.doc_kind[d] == 0 else pub_bags[int(self.doc_pub[d])]
            for key, forms in (bag.surfaces or {}).items():
                group_forms.setdefault(key, set()).update(forms)
        shared: list[SharedTerm] = []
        glossary = self.analyzer.glossary
        for t, value in sorted(term_total.items(), key=lambda x: (-x[1], key_of[x[0]])):
            if value <= 0:
                continue
            key = key_of[t]
            kind = "concept" if key.startswith("c:") else "word"
            need_forms = tuple(sorted((need_bag.surfaces or {}).get(key, ())))
            forms = tuple(sorted(group_forms.get(key, ())))[:4]
            if kind == "concept":
                label = glossary.label(key[2:])
            else:
                said = need_forms[0] if need_forms else key[2:]
                other = next((f for f in forms if f != said), None)
                label = f"{said} ↔ {other}" if other else said
            shared.append(
                SharedTerm(key, kind, label, need_forms, forms, value / max(share_total, 1e-9))
            )
            if len(shared) >= top:
                break
        pubs_out = [
            DrivingPublication(
                index=int(self.doc_pub[d]),
                title=group.publications[int(self.doc_pub[d])].title,
                year=group.publications[int(self.doc_pub[d])].year,
                score=doc_score[int(d)],
                weight=doc_w[int(d)],
            )
            for d in driving
            if self.doc_kind[d] == 1 and doc_score[int(d)] > 0
        ]
        return Explanation(
            need_id=need.id,
            group_id=group_id,
            text_fit=text_fit,
            profile=float(profile_s[0, gi]),
            publications=float(pubs_s[0, gi]),
            shared=tuple(shared),
            driving_publications=tuple(pubs_out),
            need_language=need_bag.language,
        )


_FORK_STATE: tuple[MatchIndex, Sequence[NeedText], int] | None = None


def _score_chunk(start: int) -> np.ndarray:
    assert _FORK_STATE is not None
    index, needs, chunk = _FORK_STATE
    return index.score_needs(needs[start : start + chunk])


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
