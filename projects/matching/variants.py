"""Every matcher the evaluation compares, by name: the lexical variants (`model.VARIANTS`, the
old matcher is "full") and the semantic and combined ones (`ENSEMBLES`). "combined" is the
default: lexical + multilingual-e5 + MiniLM with the weights per language in `ensemble`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from projects.matching.core import MatchIndex
from projects.matching.ensemble import EnsembleConfig, Matcher
from projects.matching.model import VARIANTS, GroupText
from projects.matching.vectors import VectorSource

__all__ = ["DEFAULT", "ENSEMBLES", "NAMES", "build"]


def _only(*signals: str) -> dict[str, dict[str, float]]:
    return {lang: dict.fromkeys(signals, 1.0) for lang in ("en", "no")}


# Weights chosen on the evaluation sets by bench/tune_matching.py (a grid of 0, ½, 1 per signal;
# among the weightings within noise of the best, the one with the fewest and cheapest signals).
# English needs: MiniLM and the lexical fit, plus MiniLM's own feedback. Norwegian needs: the
# lexical fit (stems, nynorsk forms, the glossary), multilingual-e5, MiniLM (names, acronyms and
# shared technical words still count) and MiniLM fed with e5's nearest publications. Without
# the glossary (the lexical fit alone then scores 0.47 on eval_no) this weighting still scores
# within 0.01 of the best.
COMBINED_WEIGHTS: dict[str, dict[str, float]] = {
    "en": {"lexical": 1.0, "minilm": 1.0, "minilm_via_minilm": 0.5},
    "no": {"lexical": 1.0, "e5": 0.5, "minilm": 0.5, "minilm_via_e5": 0.5},
}

ENSEMBLES: dict[str, EnsembleConfig] = {
    "e5": EnsembleConfig(weights=_only("e5")),
    "minilm": EnsembleConfig(weights=_only("minilm")),
    "minilm_via_e5": EnsembleConfig(weights=_only("minilm_via_e5")),
    "lexical_via_e5": EnsembleConfig(weights=_only("lexical_via_e5")),
    "e5_lexical": EnsembleConfig(weights=_only("lexical", "e5")),
    "minilm_lexical": EnsembleConfig(weights=_only("lexical", "minilm")),
    "combined": EnsembleConfig(weights=COMBINED_WEIGHTS),
}
DEFAULT = "combined"
NAMES: tuple[str, ...] = (*VARIANTS, *ENSEMBLES)


def build(
    groups: Iterable[GroupText | Mapping[str, Any]],
    variant: str = DEFAULT,
    source: VectorSource | None = None,
) -> MatchIndex | Matcher:
    """The matcher of that name over these groups."""
    if variant in ENSEMBLES:
        return Matcher(groups, ENSEMBLES[variant], source)
    return MatchIndex.build(groups, VARIANTS[variant])


def semantic_variants(names: Sequence[str]) -> list[str]:
    return [n for n in names if n in ENSEMBLES]
