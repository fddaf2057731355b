"""Why a group fits a need: each shared term's share of the text fit (weighted as the group's
documents are aggregated) with its surface forms on both sides, and the driving publications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from projects.matching.model import (
    DrivingPublication,
    Explanation,
    GroupText,
    MatcherConfig,
    NeedText,
    SharedTerm,
)
from projects.matching.text import Bag

if TYPE_CHECKING:
    from projects.matching.core import MatchIndex


def explain(
    index: MatchIndex, need: NeedText | Mapping[str, Any], group_id: str, *, top: int = 8
) -> Explanation:
    """Why this group fits this need: shared terms with their share, driving papers."""
    if not isinstance(need, NeedText):
        need = NeedText.from_dict(need)
    gi = index.group_pos[group_id]
    group = index.groups[gi]
    need_bag = index.need_bag(need, track=True)
    ids, w = index._need_vector(need_bag)
    q = dict(zip(ids.tolist(), w.tolist(), strict=True))
    docs = np.flatnonzero(index.doc_group == gi)
    contrib, doc_score = _contributions(index, docs, q)
    doc_w = _doc_weights(
        index.config, index.doc_kind, docs, doc_score, bool(index.profile_empty[gi])
    )
    term_total: dict[int, float] = {}
    for doc, row in contrib.items():
        for t, v in row.items():
            term_total[t] = term_total.get(t, 0.0) + doc_w.get(doc, 0.0) * v
    query = sp.csr_matrix((w, ids, np.asarray([0, len(ids)])), shape=(1, index.docs_t.shape[0]))
    text, profile_s, pubs_s = index._aggregate(index._doc_scores(query))
    driving = [d for d, wt in sorted(doc_w.items(), key=lambda x: -x[1]) if wt > 0]
    shared = _shared_terms(index, group, need_bag, term_total, driving, top)
    pubs_out = [
        DrivingPublication(
            index=int(index.doc_pub[d]),
            title=group.publications[int(index.doc_pub[d])].title,
            year=group.publications[int(index.doc_pub[d])].year,
            score=doc_score[int(d)],
            weight=doc_w[int(d)],
        )
        for d in driving
        if index.doc_kind[d] == 1 and doc_score[int(d)] > 0
    ]
    return Explanation(
        need_id=need.id,
        group_id=group_id,
        text_fit=float(text[0, gi]),
        profile=float(profile_s[0, gi]),
        publications=float(pubs_s[0, gi]),
        shared=tuple(shared),
        driving_publications=tuple(pubs_out),
        need_language=need_bag.language,
    )


def _contributions(
    index: MatchIndex, docs: np.ndarray, q: dict[int, float]
) -> tuple[dict[int, dict[int, float]], dict[int, float]]:
    """Per document of the group: the contribution of every need term, and their sum."""
    columns = index.docs_t[:, docs].toarray() if docs.size else np.zeros((0, 0))
    contrib: dict[int, dict[int, float]] = {}
    doc_score: dict[int, float] = {}
    for j, doc in enumerate(docs):
        row = {t: qv * float(columns[t, j]) * float(index.doc_weight[doc]) for t, qv in q.items()}
        row = {t: v for t, v in row.items() if v > 0}
        contrib[int(doc)] = row
        doc_score[int(doc)] = sum(row.values())
    return contrib, doc_score


def _doc_weights(
    cfg: MatcherConfig,
    doc_kind: np.ndarray,
    docs: np.ndarray,
    doc_score: dict[int, float],
    profile_empty: bool,
) -> dict[int, float]:
    """Weight of each document in the group's text fit (mirrors `MatchIndex._aggregate`)."""
    doc_w: dict[int, float] = {}
    pub_docs = [d for d in docs if doc_kind[d] == 1]
    prof_docs = [d for d in docs if doc_kind[d] == 0]
    no_pubs = not pub_docs
    only_pubs = profile_empty and not no_pubs
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
    return doc_w


def _shared_terms(
    index: MatchIndex,
    group: GroupText,
    need_bag: Bag,
    term_total: dict[int, float],
    driving: Sequence[int],
    top: int,
) -> list[SharedTerm]:
    """The top shared terms, labelled with the surface forms in the group's driving documents."""
    share_total = sum(term_total.values())
    if index._terms is None:
        index._terms = list(index.vocab)  # term id → key (ids are insertion order)
    key_of = {t: index._terms[t] for t in term_total}
    profile_bag, pub_bags = index._group_bags(group, track=True)
    group_forms: dict[str, set[str]] = {}
    for d in driving:
        bag = profile_bag if index.doc_kind[d] == 0 else pub_bags[int(index.doc_pub[d])]
        for key, forms in (bag.surfaces or {}).items():
            group_forms.setdefault(key, set()).update(forms)
    shared: list[SharedTerm] = []
    glossary = index.analyzer.glossary
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
    return shared
