"""Why a group fits a need under the combined matcher: the group's publications closest to the
need in the multilingual embedding space (cosine, best first), the shared terms of the lexical
explanation, and the combined fit."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from projects.matching.model import DrivingPublication, Explanation, NeedText

if TYPE_CHECKING:
    from projects.matching.ensemble import Matcher

# The model whose cosines are shown: the multilingual one (a Norwegian need, English papers).
SHOWN_MODEL = "e5"


def explain_match(
    matcher: Matcher,
    need: NeedText,
    group_id: str,
    *,
    fit: float | None = None,
    query: np.ndarray | None = None,
    top: int = 3,
    terms: int = 8,
) -> Explanation:
    """The lexical explanation (shared terms) with the combined fit (`fit` when the caller has
    it) and the `top` publications by cosine to the need (`query`: its vector, when known)."""
    lexical = matcher.lexical.explain(need, group_id, top=terms)
    pos = matcher.group_pos[group_id]
    group = matcher.groups[pos]
    driving: tuple[DrivingPublication, ...] = ()
    if group.publications:
        index = matcher.semantic(SHOWN_MODEL)
        vector = query if query is not None else index.need_vectors([need])[0]
        weights = index.top_weights
        driving = tuple(
            DrivingPublication(
                index=i,
                title=group.publications[i].title,
                year=group.publications[i].year,
                score=score,
                weight=weights[k] if k < len(weights) else 0.0,
            )
            for k, (i, score) in enumerate(index.publication_scores(vector, pos)[:top])
        )
    text_fit = fit if fit is not None else float(matcher.score_needs([need])[0, pos])
    return replace(lexical, text_fit=text_fit, driving_publications=driving)
