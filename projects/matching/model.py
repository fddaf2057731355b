"""What the matcher reads and says (plain data): groups, publications and needs; the matcher's
configuration and its named variants; matches and their explanations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from projects.matching.text import TextOptions

# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    title: str = ""
    abstract: str = ""
    year: int | None = None
    # Stored embeddings by model key ('e5', 'minilm'), current version only; missing ones are
    # computed when an index is built.
    vectors: Mapping[str, np.ndarray] = field(default_factory=dict, compare=False, hash=False)

    def text(self) -> str:
        """What is embedded: the title and the abstract."""
        return ". ".join(x.strip() for x in (self.title, self.abstract) if x.strip())


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

    def summary_params(self, publications: int = 3, terms: int = 3) -> dict[str, Any]:
        """What the one-line summary says, as data (the app words it in the reader's language):
        how many publications drove the match, the closest one's title, the top shared terms."""
        driving = self.driving_publications[:publications]
        return {
            "publications": len(driving),
            "title": driving[0].title if driving else "",
            "terms": [t.label for t in self.shared[:terms]],
        }


# --- documents ---------------------------------------------------------------------------------


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
