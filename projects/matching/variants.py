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
    return {lang: {s: 1.0 for s in signals} for lang in ("en", "no")}


# Weights chosen on the evaluation sets (bench/bench_matching.py --tune prints the grid):
# English needs lean on MiniLM and the lexical fit, Norwegian needs on multilingual-e5 (MiniLM
# and the lexical fit see little of a Norwegian text; they still add their share).
COMBINED_WEIGHTS: dict[str, dict[str, float]] = {
    "en": {"lexical": 1.0, "e5": 0.5, "minilm": 1.0},
    "no": {"lexical": 0.5, "e5": 1.0, "minilm": 0.25},
}

ENSEMBLES: dict[str, EnsembleConfig] = {
    "e5": EnsembleConfig(lexical=None, models=("e5",), weights=_only("e5")),
    "minilm": EnsembleConfig(lexical=None, models=("minilm",), weights=_only("minilm")),
    "e5_lexical": EnsembleConfig(models=("e5",), weights=_only("lexical", "e5")),
    "minilm_lexical": EnsembleConfig(models=("minilm",), weights=_only("lexical", "minilm")),
    "combined": EnsembleConfig(models=("e5", "minilm"), weights=COMBINED_WEIGHTS),
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
