"""Matching knowledge needs to research groups (pure code, no database).

Text fit (`core`): `MatchIndex.build(groups)` then `index.rank(need)` / `index.explain(need,
group_id)`; `score_matrix(groups, needs)` for batches. The other parts of a match and the hard
constraints (`factors`): `method_fit`, `set_fit`, `capacity_left`, `distance_km`, `combine`,
`find_conflicts`, `apply_conflicts`. Evaluation metrics (`evaluation`).
"""

from projects.matching.core import MatchIndex, score_matrix
from projects.matching.model import (
    DEFAULT_VARIANT,
    VARIANTS,
    DrivingPublication,
    Explanation,
    GroupText,
    Match,
    MatcherConfig,
    NeedText,
    Publication,
    SharedTerm,
)
from projects.matching.text import Analyzer, TextOptions, detect_language, load_glossary

__all__ = [
    "DEFAULT_VARIANT",
    "VARIANTS",
    "Analyzer",
    "DrivingPublication",
    "Explanation",
    "GroupText",
    "Match",
    "MatchIndex",
    "MatcherConfig",
    "NeedText",
    "Publication",
    "SharedTerm",
    "TextOptions",
    "detect_language",
    "load_glossary",
    "score_matrix",
]
