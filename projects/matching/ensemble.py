"""The combined matcher: lexical and semantic signals, each scaled by its spread on the corpus,
summed with weights that depend on the need's language.

    c = Σ_s w_s(lang) · (s − μ_s) / σ_s,    fit = (1 + c / (3 + |c|)) / 2   in (0, 1)

Signals: ``lexical`` (TF-IDF with stems and the glossary, `core`), ``e5`` and ``minilm`` (the
semantic fit of each model, `semantic`), and pseudo-relevance feedback ``<target>_via_<seed>``:
the seed model's nearest publications become a query for the target (`feedback`), e.g.
``minilm_via_e5`` carries a Norwegian need into English through multilingual-e5.

Only the signals the needs' languages weigh are computed, and a model is loaded and its vectors
made only when a signal needs it. μ_s and σ_s are measured on pseudo-needs made of the corpus's
own publications (at most 64, evenly spaced), so one need ranked alone and a batch of needs get
the same scores. The weights (`variants.COMBINED_WEIGHTS`) were chosen by measurement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from projects.matching.core import MatchIndex
from projects.matching.embedders import MODELS
from projects.matching.feedback import lexical_columns, lexical_feedback
from projects.matching.model import VARIANTS, Explanation, GroupText, Match, NeedText
from projects.matching.semantic import SemanticIndex, need_text
from projects.matching.text import detect_language
from projects.matching.vectors import VectorSource
from projects.matching.why import explain_match

__all__ = ["EnsembleConfig", "Matcher", "need_language_group"]

_CALIBRATION = 64
LANGUAGES = ("en", "no")


@dataclass(frozen=True)
class EnsembleConfig:
    # language group ('en' | 'no') -> signal -> weight
    weights: Mapping[str, Mapping[str, float]]
    lexical: str = "full"  # the lexical variant (of model.VARIANTS) behind 'lexical' signals
    feedback: int = 10  # publications a feedback query is made of

    def signals(self, language: str | None = None) -> tuple[str, ...]:
        langs = [language] if language else list(LANGUAGES)
        found = {s for lang in langs for s, w in self.weights.get(lang, {}).items() if w}
        return tuple(sorted(found))


def need_language_group(need: NeedText) -> str:
    """'en' for an English need, 'no' for bokmål, nynorsk (and anything else)."""
    lang = need.language or detect_language(need_text(need))
    return "en" if lang == "en" else "no"


class _Queries:
    """One batch of needs: their vectors per model and feedback documents, made on first use."""

    def __init__(
        self, matcher: Matcher, needs: Sequence[NeedText], given: Mapping[str, np.ndarray]
    ) -> None:
        self.matcher = matcher
        self.needs = needs
        self.vectors = dict(given)
        self.passes: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.feedback_fit: dict[tuple[str, str], np.ndarray] = {}

    def vector(self, model: str) -> np.ndarray:
        if model not in self.vectors:
            self.vectors[model] = self.matcher.semantic(model).need_vectors(self.needs)
        return self.vectors[model]

    def semantic(self, model: str, find: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(fit, nearest documents, their cosines) from one pass over the model's vectors
        (the nearest documents only when `find`: feedback needs them)."""
        if model not in self.passes or (find and not self.passes[model][1].size):
            index = self.matcher.semantic(model)
            k = self.matcher.feedback_size() if find else 0
            self.passes[model] = index.score_and_find(self.vector(model), k)
        return self.passes[model]

    def prepare(self, signals: Iterable[str]) -> None:
        """Where a model is asked both directly and with feedback queries from another model,
        run them as one pass over its vectors (reading 100k vectors is what costs)."""
        wanted = set(signals)
        for model in MODELS:
            seeds = [
                s.partition("_via_")[2]
                for s in sorted(wanted)
                if s.startswith(f"{model}_via_") and s.partition("_via_")[2] != model
            ]
            if not seeds or model in self.passes:
                continue
            index = self.matcher.semantic(model)
            rows = [index.feedback_vectors(*self.semantic(seed)[1:]) for seed in seeds]
            direct = model in wanted
            if direct:
                rows.insert(0, self.vector(model))
            k = self.matcher.feedback_size() if self.matcher._is_seed(model) else 0
            fit, docs, sims = index.score_and_find(np.vstack(rows), k)
            n = len(self.needs)
            if direct:
                self.passes[model] = (fit[:n], docs[:n], sims[:n])
            for i, seed in enumerate(seeds, start=int(direct)):
                self.feedback_fit[(model, seed)] = fit[i * n : (i + 1) * n]


class Matcher:
    """Same surface as `MatchIndex` (rank, score_needs, iter_score_chunks)."""

    def __init__(
        self,
        groups: Iterable[GroupText | Mapping[str, Any]],
        config: EnsembleConfig,
        source: VectorSource | None = None,
    ) -> None:
        self.groups = [g if isinstance(g, GroupText) else GroupText.from_dict(g) for g in groups]
        self.config = config
        self.source = source
        self.group_pos = {g.id: i for i, g in enumerate(self.groups)}
        self.lexical = MatchIndex.build(self.groups, VARIANTS[config.lexical])
        self._semantic: dict[str, SemanticIndex] = {}
        self._stats: dict[str, tuple[float, float]] = {}
        self._lexical_columns: dict[str, np.ndarray] = {}
        self._ties: np.ndarray | None = None
        self.textless = np.asarray(
            [
                not (g.name or g.description or g.keywords or any(p.text() for p in g.publications))
                for g in self.groups
            ],
            dtype=bool,
        )

    def semantic(self, model: str) -> SemanticIndex:
        """The model's index (its publication vectors made or read on first use)."""
        if model not in self._semantic:
            self._semantic[model] = SemanticIndex(self.groups, model, self.source)
        return self._semantic[model]

    def feedback_size(self) -> int:
        """Documents a feedback query is made of: `config.feedback`, at most a tenth of the
        corpus (in a small cluster ten documents would be everything, and say nothing)."""
        return max(1, min(self.config.feedback, len(self.lexical.doc_group) // 10))

    def _is_seed(self, model: str) -> bool:
        return any(s.endswith(f"_via_{model}") for s in self.config.signals())

    def _columns(self, seed: str) -> np.ndarray:
        """The lexical index's column of each of the seed index's documents (made once)."""
        if seed not in self._lexical_columns:
            self._lexical_columns[seed] = lexical_columns(self.lexical, self.semantic(seed))
        return self._lexical_columns[seed]

    # signals -------------------------------------------------------------------------------

    def _signal(self, signal: str, needs: Sequence[NeedText], q: _Queries) -> np.ndarray:
        if signal == "lexical":
            return self.lexical.score_needs(needs)
        if signal in MODELS:
            return q.semantic(signal, find=self._is_seed(signal))[0]
        target, _, seed = signal.partition("_via_")
        if (target, seed) in q.feedback_fit:
            return q.feedback_fit[(target, seed)]
        _, docs, sims = q.semantic(seed)
        if target == "lexical":
            return lexical_feedback(self.lexical, self._columns(seed), docs, sims)
        index = self.semantic(target)
        return index.score_vectors(index.feedback_vectors(docs, sims))

    def signal_matrices(
        self,
        needs: Sequence[NeedText],
        vectors: Mapping[str, np.ndarray] | None = None,
        signals: Iterable[str] | None = None,
    ) -> dict[str, np.ndarray]:
        """Raw needs × groups matrix per signal. By default each need gets the signals its
        language weighs (rows of the other language stay 0); `signals` asks for all rows."""
        out: dict[str, np.ndarray] = {}
        if signals is not None:
            q = _Queries(self, needs, vectors or {})
            q.prepare(signals := list(signals))
            return {s: self._signal(s, needs, q) for s in signals}
        for lang in LANGUAGES:
            rows = [i for i, n in enumerate(needs) if need_language_group(n) == lang]
            if not rows:
                continue
            part = [needs[i] for i in rows]
            given = {m: v[rows] for m, v in (vectors or {}).items()}
            q = _Queries(self, part, given)
            q.prepare(self.config.signals(lang))
            for signal in self.config.signals(lang):
                matrix = out.setdefault(
                    signal, np.zeros((len(needs), len(self.groups)), dtype=np.float32)
                )
                matrix[rows] = self._signal(signal, part, q)
        return out

    def _calibration(self) -> tuple[list[NeedText], list[int], list[tuple[int, int]]]:
        """Pseudo-needs (evenly spaced publications), their groups and (group, publication)."""
        pubs = [
            (gi, pi, p)
            for gi, g in enumerate(self.groups)
            for pi, p in enumerate(g.publications)
            if p.text()
        ]
        sample = pubs[:: max(1, len(pubs) // _CALIBRATION)][:_CALIBRATION]
        pseudo = [
            NeedText(id=f"calibration-{i}", title=p.title, background=p.abstract, language="en")
            for i, (_, _, p) in enumerate(sample)
        ]
        return pseudo, [gi for gi, _, _ in sample], [(gi, pi) for gi, pi, _ in sample]

    def _stat(self, signal: str) -> tuple[float, float]:
        """(mean, standard deviation) of a signal over pseudo-needs × the other groups (a
        publication against its own group would lift the average, most in a small cluster).
        The pseudo-needs' vectors are their publications' own: nothing more is embedded."""
        if signal not in self._stats:
            pseudo, owners, keys = self._calibration()
            if not pseudo or len(self.groups) < 2:
                self._stats[signal] = (0.0, 1.0)
                return self._stats[signal]
            models = {m for m in MODELS if m == signal or m in signal.split("_via_")}
            given = {}
            for model in models:
                index = self.semantic(model)
                rows = [index.row_of.get(k) for k in keys]
                if all(r is not None for r in rows):
                    given[model] = index.vectors[rows]
            matrix = self._signal(signal, pseudo, _Queries(self, pseudo, given))
            others = np.ones(matrix.shape, dtype=bool)
            others[np.arange(len(owners)), owners] = False
            values = matrix[others]
            std = float(values.std())
            self._stats[signal] = (float(values.mean()), std if std > 1e-6 else 1.0)
        return self._stats[signal]

    # scoring -------------------------------------------------------------------------------

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
            for signal, w in by_language[need_language_group(need)].items():
                if w and signal in signals:
                    mean, std = self._stat(signal)
                    total[row] += w * (signals[signal][row] - mean) / std
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
        for start in range(0, len(needs), chunk):
            yield start, self.score_needs(needs[start : start + chunk])

    def _tie_rank(self) -> np.ndarray:
        """Each group's place in id order (ties are broken by id), made once."""
        if self._ties is None:
            order = np.argsort(np.asarray([g.id for g in self.groups], dtype=object), kind="stable")
            self._ties = np.empty(len(order), dtype=np.int64)
            self._ties[order] = np.arange(len(order))
        return self._ties

    def rank(
        self,
        need: NeedText | Mapping[str, Any],
        *,
        exclude: Iterable[str] = (),
        limit: int | None = None,
    ) -> list[Match]:
        """Every group (but the excluded ones) for one need, best first; ties by group id.

        `Match.score` is the combined fit; `Match.profile` carries the lexical fit and
        `Match.publications` the e5 semantic fit when the need's language weighs them (else 0).
        """
        if not isinstance(need, NeedText):
            need = NeedText.from_dict(need)
        if not self.groups:
            return []
        signals = self.signal_matrices([need])
        fit = self.combine([need], signals)[0]
        zero = np.zeros((1, len(self.groups)), dtype=np.float32)
        lexical = signals.get("lexical", zero)[0]
        semantic = signals.get("e5", zero)[0]
        excluded = set(exclude)
        ids = [g.id for g in self.groups]
        order = np.lexsort((self._tie_rank(), -fit))
        kept = [g for g in order.tolist() if ids[g] not in excluded][:limit]
        fits, lex, sem = fit[kept].tolist(), lexical[kept].tolist(), semantic[kept].tolist()
        return [Match(need.id, ids[g], fits[i], lex[i], sem[i], None) for i, g in enumerate(kept)]

    def explain(
        self, need: NeedText, group_id: str, *, fit: float | None = None, top: int = 3
    ) -> Explanation:
        """Why this group fits this need: the closest publications (cosine), shared terms."""
        return explain_match(self, need, group_id, fit=fit, top=top)
