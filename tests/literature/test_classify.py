"""Evidence-type classifier: unit cases and accuracy over a hand-labelled set.

Labelling rules for data/evidence_labelled.jsonl (applied by reading, not by running the code):
protocol of anything -> other; review of reviews -> overview_of_reviews; review that pools results
statistically -> meta_analysis; scoping review / evidence-and-gap map -> scoping_review; other
systematic or rapid review -> systematic_review; guideline or recommendations from an authority
or panel -> guideline; randomised trial, including secondary and economic analyses of one -> rct;
other empirical study with its own data -> other_primary; narrative reviews, editorials,
comments, errata, book reviews, methods texts -> other.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from literature.classify import (
    SUMMARISED,
    EvidenceType,
    classify,
    is_guideline,
    is_summarised,
)

DATA = Path(__file__).parent / "data" / "evidence_labelled.jsonl"
MIN_ACCURACY = 0.85

E = EvidenceType


def test_values_are_snake_case_and_summarised_set():
    assert E.OVERVIEW_OF_REVIEWS == "overview_of_reviews"
    assert E.RCT.value == "rct"
    assert {E.SYSTEMATIC_REVIEW, E.META_ANALYSIS, E.OVERVIEW_OF_REVIEWS, E.SCOPING_REVIEW} == (
        SUMMARISED
    )
    assert is_summarised(E.SCOPING_REVIEW)
    assert not is_summarised(E.GUIDELINE)
    assert is_guideline(E.GUIDELINE)


@pytest.mark.parametrize(
    ("title", "abstract", "pts", "expected"),
    [
        # publication types first
        ("Exercise and mood", "", ["Systematic Review"], E.SYSTEMATIC_REVIEW),
        ("Exercise and mood", "", ["Meta-Analysis", "Systematic Review"], E.META_ANALYSIS),
        ("Exercise and mood", "", ["Randomized Controlled Trial"], E.RCT),
        ("Exercise and mood", "", ["Practice Guideline"], E.GUIDELINE),
        ("Exercise and mood", "", ["Observational Study"], E.OTHER_PRIMARY),
        ("Exercise and mood", "", ["Review"], E.OTHER),
        ("Exercise and mood", "", ["Editorial"], E.OTHER),
        ("Exercise and mood", "", [], E.OTHER),
        # English and Scandinavian title cues
        ("Tiltak for eldre: en systematisk oversikt", "", [], E.SYSTEMATIC_REVIEW),
        ("Arbeid og helse – systematisk kunnskapsoversikt", "", [], E.SYSTEMATIC_REVIEW),
        ("Lesing i skolen: metaanalyse", "", [], E.META_ANALYSIS),
        ("Tiltak mot ensomhet: paraplyoversikt", "", [], E.OVERVIEW_OF_REVIEWS),
        ("Frivillighet i kommunen: en kartleggingsoversikt", "", [], E.SCOPING_REVIEW),
        ("Nasjonal faglig retningslinje for svangerskapsomsorgen", "", [], E.GUIDELINE),
        ("Lesetrening: en randomisert kontrollert studie", "", [], E.RCT),
        ("Outdoor play: a randomized controlled trial", "", [], E.RCT),
        ("Outdoor play in kindergartens: an RCT", "", [], E.RCT),
        ("Foreldres erfaringer: en kvalitativ studie", "", [], E.OTHER_PRIMARY),
        ("Sleep in adolescents: a cohort study", "", [], E.OTHER_PRIMARY),
        # precedence
        ("Exercise for pain: an overview of reviews", "", ["Meta-Analysis"], E.OVERVIEW_OF_REVIEWS),
        ("CBT for anxiety: systematic review and meta-analysis", "", [], E.META_ANALYSIS),
        ("Parenting programmes: a systematic review of RCTs", "", ["Review"], E.SYSTEMATIC_REVIEW),
        ("Play: a systematic review of randomised controlled trials", "", [], E.SYSTEMATIC_REVIEW),
        ("Welfare tech: a scoping review", "", ["Systematic Review"], E.SCOPING_REVIEW),
        ("Guidelines for falls: a systematic review of guidelines", "", [], E.SYSTEMATIC_REVIEW),
        # protocols are not evidence
        ("Exercise for depression: a protocol for a systematic review", "", [], E.OTHER),
        (
            "Study protocol: a cluster randomised trial",
            "",
            ["Randomized Controlled Trial"],
            E.OTHER,
        ),
        ("Exercise for depression", "Studies will be screened by two reviewers.", [], E.OTHER),
        # "per-protocol" is an analysis, not a protocol
        ("Yoga for back pain: a randomised trial", "Per-protocol analyses agreed.", [], E.RCT),
        # background mentions do not make a design
        (
            "Risk factors for dropout",
            "Previous systematic reviews identified risk factors. We followed 800 pupils.",
            [],
            E.OTHER_PRIMARY,
        ),
        (
            "Tiltak mot fravær",
            "Systematisk oversikt. Metaanalyse var ikke mulig.",
            [],
            E.SYSTEMATIC_REVIEW,
        ),
        (
            "Reading",
            "A systematic review without meta-analysis of 20 studies.",
            [],
            E.SYSTEMATIC_REVIEW,
        ),
        ("Non-randomised trial of school meals", "", [], E.OTHER_PRIMARY),
        ("Depression: guideline", "Recommendations based on a systematic review.", [], E.GUIDELINE),
    ],
)
def test_case(title, abstract, pts, expected):
    result = classify(title, abstract, pts)
    assert result.type is expected, result.reason
    assert result.reason


def test_keywords_are_a_cue():
    result = classify("Outdoor play", "", [], keywords=["Meta-Analysis", "children"])
    assert result.type is E.META_ANALYSIS


def test_classification_flags():
    assert classify("X: an umbrella review", "", []).is_summarised
    assert classify("Retningslinjer for X", "", []).is_guideline


def _load():
    with DATA.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_labelled_set_is_large_and_valid():
    rows = _load()
    assert len(rows) >= 80
    labels = {row["label"] for row in rows}
    assert labels == {t.value for t in EvidenceType}


def test_accuracy_on_labelled_set():
    rows = _load()
    predicted = [
        classify(r["title"], r["abstract"], r["publication_types"]).type.value for r in rows
    ]
    gold = [r["label"] for r in rows]
    correct = sum(p == g for p, g in zip(predicted, gold, strict=True))
    accuracy = correct / len(rows)
    tp = Counter(g for p, g in zip(predicted, gold, strict=True) if p == g)
    n_pred, n_gold = Counter(predicted), Counter(gold)
    print(f"\nevidence type accuracy: {accuracy:.3f} ({correct}/{len(rows)})")
    print(f"{'class':<22}{'precision':>10}{'recall':>8}{'n':>5}")
    for t in EvidenceType:
        precision = tp[t.value] / n_pred[t.value] if n_pred[t.value] else 0.0
        recall = tp[t.value] / n_gold[t.value] if n_gold[t.value] else 0.0
        print(f"{t.value:<22}{precision:>10.2f}{recall:>8.2f}{n_gold[t.value]:>5}")
    for row, p in zip(rows, predicted, strict=True):
        if p != row["label"]:
            print(f"  miss: {row['label']} -> {p}: {row['title']}")
    assert accuracy >= MIN_ACCURACY
