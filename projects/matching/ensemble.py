"""The combined matcher: lexical text fit and semantic fit (one or two embedding models), each
scaled by its spread on the corpus, summed with weights that depend on the need's language.

    c = Σ_s w_s(lang) · (s − μ_s) / σ_s,    fit = (1 + c / (3 + |c|)) / 2   in (0, 1)

μ_s and σ_s are measured when the index is built, on pseudo-needs made of the corpus's own
publications (at most 64, evenly spaced), so one need ranked alone and a batch of needs get the
same scores. The weights per language ('en' for English needs, 'no' for bokmål and nynorsk)
were chosen by measurement on the evaluation sets (see bench/bench_matching.py and README).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from projects.matching.core import MatchIndex
from projects.matching.model import VARIANTS, Explanation, GroupText, Match, NeedText
from projects.matching.semantic import SemanticIndex, need_text
from projects.matching.text import detect_language
from projects.matching.vectors import VectorSource
from projects.matching.why import explain_match

__all__ = ["EnsembleConfig", "Matcher", "need_language_group"]

_CALIBRATION = 64


@dataclass(frozen=True)
class EnsembleConfig:
    lexical: str | None = "full"  # a lexical variant of VARIANTS, or None
    models: tuple[str, ...] = ("e5", "minilm")
    # language group -> signal ('lexical' or a model key) -> weight
    weights: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: {
            "en": {"lexical": 1.0, "e5": 1.0, "minilm": 1.0},
            "no": {"lexical": 1.0, "e5": 1.0, "minilm": 1.0},
        }
    )

    def signals(self) -> tuple[str, ...]:
        return (("lexical",) if self.lexical else ()) + self.models


def need_language_group(need: NeedText) -> str:
    """'en' for an English need, 'no' for bokmål, nynorsk (and anything else)."""
    lang = need.language or detect_language(need_text(need))
    return "en" if lang == "en" else "no"


class Matcher:
    """Same surface as `MatchIndex` (rank, score_needs, iter_score_chunks, explain parts)."""

    def __init__(
        self,
        groups: Iterable[GroupText | Mapping[str, Any]],
        config: EnsembleConfig,
        source: VectorSource | None = None,
    ) -> None:
        self.groups = [g if isinstance(g, GroupText) else GroupText.from_dict(g) for g in groups]
        self.config = config
        self.group_pos = {g.id: i for i, g in enumerate(self.groups)}
        self.lexical = MatchIndex.build(self.groups, VARIANTS[config.lexical or "full"])
        self.semantic = {m: SemanticIndex(self.groups, m, source) for m in config.models}
        self.textless = np.asarray(
            [
                not g.name
                and not g.description
                and not g.keywords
                and not any(p.text() for p in g.publications)
                for g in self.groups
            ],
            dtype=bool,
        )
        self.stats = self._calibrate()

    # scoring -------------------------------------------------------------------------------

    def signal_matrices(
        self, needs: Sequence[NeedText], vectors: Mapping[str, np.ndarray] | None = None
    ) -> dict[str, np.ndarray]:
        """Raw needs × groups matrix per signal."""
        out: dict[str, np.ndarray] = {}
        if self.config.lexical:
            out["lexical"] = self.lexical.score_needs(needs)
        for model, index in self.semantic.items():
            q = vectors[model] if vectors and model in vectors else index.need_vectors(needs)
            out[model] = index.score_vectors(q)
        return out

    def _calibrate(self) -> dict[str, tuple[float, float]]:
        pubs = [(g.id, p) for g in self.groups for p in g.publications if p.text()] or [
            (g.id, None) for g in self.groups
        ]
        step = max(1, len(pubs) // _CALIBRATION)
        pseudo = [
            NeedText(id=f"calibration-{i}", title=p.title, background=p.abstract, language="en")
            if p is not None
            else NeedText(id=f"calibration-{i}", title=self.groups[self.group_pos[gid]].name)
            for i, (gid, p) in enumerate(pubs[::step][:_CALIBRATION])
        ]
        stats: dict[str, tuple[float, float]] = {}
        if not self.groups or not pseudo:
            return {s: (0.0, 1.0) for s in self.config.signals()}
        for signal, matrix in self.signal_matrices(pseudo).items():
            std = float(matrix.std())
            stats[signal] = (float(matrix.mean()), std if std > 1e-6 else 1.0)
        return stats

    def combine(
        self,
        needs: Sequence[NeedText],
        signals: Mapping[str, np.ndarray],
        weights_by_language: Mapping[str, Mapping[str, float]] | None = None,
    ) -> np.ndarray:
        """The fit from the raw signals (another weighting than the config's may be given)."""
        by_language = weights_by_language or self.config.weights
        total = np.zeros((len(needs), len(self.groups)), dtype=np.float64)
        for row, need in enumerate(needs):
            weights = by_language[need_language_group(need)]
            for signal, matrix in signals.items():
                w = weights.get(signal, 0.0)
                if w:
                    mean, std = self.stats[signal]
                    total[row] += w * (matrix[row] - mean) / std
        # A gentle squash (not a logistic): distinct scores stay distinct at 5 decimals.
        fit = ((1.0 + total / (3.0 + np.abs(total))) / 2.0).astype(np.float32)
        # Nothing to match on either side: no fit at all (not the average).
        fit[:, self.textless] = 0.0
        fit[[not need_text(n) for n in needs], :] = 0.0
        return fit

    def score_needs(self, needs: Sequence[NeedText]) -> np.ndarray:
        """Combined fit in (0, 1), needs × groups."""
        if not self.groups:
            return np.zeros((len(needs), 0), dtype=np.float32)
        return self.combine(needs, self.signal_matrices(needs))

    def iter_score_chunks(
        self, needs: Sequence[NeedText], chunk: int = 256, workers: int = 1
    ) -> Iterator[tuple[int, np.ndarray]]:
        vectors = {m: index.need_vectors(needs) for m, index in self.semantic.items()}
        for start in range(0, len(needs), chunk):
            part = needs[start : start + chunk]
            sliced = {m: v[start : start + chunk] for m, v in vectors.items()}
            yield start, self.combine(part, self.signal_matrices(part, sliced))

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
        lexical = {m.group_id: m for m in self.lexical.rank(need)}
        fit = self.score_needs([need])[0]
        excluded = set(exclude)
        order = sorted(range(len(self.groups)), key=lambda g: (-fit[g], self.groups[g].id))
        out = []
        for g in order:
            gid = self.groups[g].id
            if gid in excluded:
                continue
            lex = lexical[gid]
            out.append(
                Match(
                    need.id, gid, float(fit[g]), lex.profile, lex.publications, lex.best_publication
                )
            )
        return out[:limit] if limit is not None else out

    def explain(
        self, need: NeedText, group_id: str, *, fit: float | None = None, top: int = 3
    ) -> Explanation:
        """Why this group fits this need: the closest publications (cosine), shared terms."""
        return explain_match(self, need, group_id, fit=fit, top=top)
