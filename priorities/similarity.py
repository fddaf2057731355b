"""Find knowledge needs that are near-duplicates of another, in bokmål, nynorsk or English.

Word TF-IDF (after stop words and stemming, by the core's text pipeline) finds needs that say the
same thing; character trigrams of the same words still match when spelling, typos or inflection
differ.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from klynge.text import pipeline

__all__ = ["DEFAULT_MIN_SCORE", "TERM_LENGTH", "NeedText", "similar_needs", "word_terms"]


@dataclass(frozen=True)
class NeedText:
    need_id: int
    title: str
    question: str
    background: str


# The title is what people read first and phrase most carefully; the background is context.
_FIELD_WEIGHTS = (("title", 3.0), ("question", 2.0), ("background", 1.0))
# Words say what a need is about; trigrams only forgive spelling, so words weigh more.
_WORD_SHARE = 0.6
_GRAM_SHARE = 1.0 - _WORD_SHARE

# The rule for the default: for two texts with n equally weighted distinct terms each, cosine
# similarity is the share of terms they have in common. Both parts of the score are cosines, so
# the combined score reads the same way. A suggested duplicate should share at least a third of
# what it says: low enough to catch rewordings, since a person confirms every suggestion, and
# high enough that one shared topic word (barnevern, skole) among several is not enough.
DEFAULT_MIN_SCORE = 1 / 3


def _content_words(text: str) -> list[str]:
    """Normalised words of text without stop words and one-letter words, not yet stemmed."""
    return [
        word
        for word in pipeline.words(text, numbers=True)
        if len(word) > 1 and word not in pipeline.STOP_WORDS
    ]


def _trigrams(word: str) -> Iterable[str]:
    padded = f"<{word}>"
    return (padded[i : i + 3] for i in range(len(padded) - 2))


@dataclass(frozen=True)
class _Terms:
    words: dict[str, float]
    grams: dict[str, float]


def _terms(need: NeedText) -> _Terms:
    return _text_terms(need.title or "", need.question or "", need.background or "")


# A need page compares its need with every active need of the cluster (over a thousand at
# national scale); their terms are a pure function of their text, so each process keeps the
# recent ones (about 15 kB each: 2,048 hold the largest cluster in some 30 MB). Never mutated.
@functools.lru_cache(maxsize=2048)
def _text_terms(title: str, question: str, background: str) -> _Terms:
    words: defaultdict[str, float] = defaultdict(float)
    grams: defaultdict[str, float] = defaultdict(float)
    fields = {"title": title, "question": question, "background": background}
    # One language for the whole need: a title alone has too few words to tell.
    lang = pipeline.detect_language(" ".join(fields[field] for field, _ in _FIELD_WEIGHTS))
    for field, weight in _FIELD_WEIGHTS:
        for word in _content_words(fields[field]):
            words[pipeline.stem(word, lang)] += weight
    # Trigrams of the stems, so that inflection does not count as a difference.
    for stem, weight in words.items():
        for gram in _trigrams(stem):
            grams[gram] += weight
    return _Terms(dict(words), dict(grams))


# Stems are stored for the index of similar needs (priorities.need_terms) cut to this length.
TERM_LENGTH = 60


def word_terms(title: str, question: str, background: str) -> dict[str, float]:
    """The field-weighted count of each word stem of a need's text (cut to TERM_LENGTH)."""
    found: dict[str, float] = {}
    for stem, weight in _text_terms(title or "", question or "", background or "").words.items():
        key = stem[:TERM_LENGTH]
        found[key] = found.get(key, 0.0) + weight
    return found


def _idf(documents: Sequence[dict[str, float]]) -> dict[str, float]:
    # Smoothed IDF (as in scikit-learn): a term in every document still counts a little.
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(document.keys())
    total = len(documents)
    return {term: math.log((1 + total) / (1 + df)) + 1.0 for term, df in frequency.items()}


def _vector(counts: dict[str, float], idf: dict[str, float]) -> dict[str, float]:
    vector = {term: count * idf[term] for term, count in counts.items()}
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {term: value / norm for term, value in vector.items()} if norm else {}


def _cosine_to(unit: dict[str, float], counts: dict[str, float], idf: dict[str, float]) -> float:
    """Cosine of a unit vector and the IDF-weighted counts, without building their vector:
    one pass over the counts for the norm, and the dot product over the unit's terms only."""
    norm = math.sqrt(sum((count * idf[term]) ** 2 for term, count in counts.items()))
    if not norm:
        return 0.0
    dot = sum(value * counts[term] * idf[term] for term, value in unit.items() if term in counts)
    return dot / norm


def similar_needs(
    target: NeedText,
    candidates: Sequence[NeedText],
    *,
    limit: int = 5,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[tuple[int, float]]:
    """(need_id, score in [0, 1]) of the candidates most like target, best first.

    The target itself (same need_id) is never returned, and a text with no content words
    (empty, or only stop words) matches nothing. Ties are broken by need_id.
    """
    if limit <= 0:
        return []
    target_terms = _terms(target)
    if not target_terms.words:
        return []
    others: dict[int, _Terms] = {}
    for candidate in candidates:
        if candidate.need_id == target.need_id or candidate.need_id in others:
            continue
        others[candidate.need_id] = _terms(candidate)
    documents = [target_terms, *others.values()]
    word_idf = _idf([document.words for document in documents])
    gram_idf = _idf([document.grams for document in documents])
    target_words = _vector(target_terms.words, word_idf)
    target_grams = _vector(target_terms.grams, gram_idf)

    scored: list[tuple[int, float]] = []
    for need_id, terms in others.items():
        if not terms.words:
            continue
        words = _cosine_to(target_words, terms.words, word_idf)
        grams = _cosine_to(target_grams, terms.grams, gram_idf)
        # Rounded so that float noise cannot reorder equal scores; clamped against rounding up.
        score = round(min(1.0, max(0.0, _WORD_SHARE * words + _GRAM_SHARE * grams)), 6)
        if score >= min_score and score > 0:
            scored.append((need_id, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]
