"""The index of similar needs: each need's word stems in `need_term`, written when a need is
created or its text edited, and the candidates of a need page's similar needs found through
shared rare terms in SQL, so that only a bounded set of needs is read and compared exactly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from piccolo.query.functions.aggregate import Count

from priorities.similarity import word_terms
from priorities.tables import NeedTerm

# The exact comparison (priorities.similarity) runs on this many candidates at most: the needs
# that share the most of the need's rarer terms.
CANDIDATES = 200
# The candidates are read through the need's rarest terms, as many as fit in this many rows of
# need_term (a term's rows are its document frequency): a term in most needs of the cluster
# tells little about which needs say the same, and would read most of the cluster.
ROWS = 3000


async def write_terms(need_id: int, cluster_id: int, row: Mapping[str, Any]) -> None:
    """(Re)write the need's terms from its title, question and background."""
    await NeedTerm.delete().where(NeedTerm.need == need_id)
    terms = word_terms(row["title"], row["question"], row["background"])
    if terms:
        await NeedTerm.insert(
            *[
                NeedTerm(need=need_id, cluster=cluster_id, term=term, weight=weight)
                for term, weight in terms.items()
            ]
        )


def rarest(frequency: Mapping[str, int], rows: int = ROWS) -> list[str]:
    """The rarest terms whose document frequencies add up to at most `rows` (at least the
    rarest one), rarest first. Pure."""
    chosen: list[str] = []
    total = 0
    for term in sorted(frequency, key=lambda t: (frequency[t], t)):
        if chosen and total + frequency[term] > rows:
            break
        chosen.append(term)
        total += frequency[term]
    return chosen


async def candidates(need: Mapping[str, Any], limit: int = CANDIDATES) -> list[int]:
    """Needs of the need's cluster that share its rarer terms, the likeliest first (by the sum
    of both weights over the term's document frequency). Two statements; whether a candidate
    is still active is for the caller, who reads their texts anyway (a join to the needs here
    makes PostgreSQL read every need of the country)."""
    terms = word_terms(need["title"], need["question"], need["background"])
    if not terms:
        return []
    counts = (
        await NeedTerm.select(NeedTerm.term, Count(NeedTerm.id, alias="n"))
        .where(NeedTerm.cluster == need["cluster"], NeedTerm.term.is_in(sorted(terms)))
        .group_by(NeedTerm.term)
    )
    frequency = {r["term"]: int(r["n"]) for r in counts}
    chosen = rarest(frequency)
    if not chosen:
        return []
    rows = await NeedTerm.select(NeedTerm.need, NeedTerm.term, NeedTerm.weight).where(
        NeedTerm.cluster == need["cluster"],
        NeedTerm.term.is_in(chosen),
        NeedTerm.need != need["id"],
    )
    score: dict[int, float] = {}
    for r in rows:
        term = r["term"]
        score[r["need"]] = score.get(r["need"], 0.0) + r["weight"] * terms[term] / frequency[term]
    return sorted(score, key=lambda n: (-score[n], n))[:limit]


__all__ = ["CANDIDATES", "ROWS", "candidates", "rarest", "write_terms"]
