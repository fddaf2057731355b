"""The matcher: languages, compounds, the bridge, aggregation, explanations, the other parts of a
match, conflicts, metrics, and the evaluation set (full matcher vs the TF-IDF baseline)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from projects.matching import (
    VARIANTS,
    Analyzer,
    GroupText,
    MatchIndex,
    NeedText,
    Publication,
    TextOptions,
    detect_language,
)
from projects.matching.evaluation import evaluate_scores, group_judgements
from projects.matching.factors import (
    ConflictRule,
    GroupMember,
    NeedOrigin,
    apply_conflicts,
    capacity_fit,
    capacity_left,
    centred_text_fit,
    combine,
    distance_fit,
    distance_km,
    find_conflicts,
    method_fit,
    relative_text_fit,
    set_fit,
)
from projects.matching.text import Glossary, parse_glossary

DATA = Path(__file__).resolve().parent / "data"

ABSENCE_EN = Publication(
    "School absenteeism and school refusal among adolescents: a randomised trial",
    "We evaluated a school-based intervention to reduce truancy and chronic absence in lower "
    "secondary school pupils.",
    2022,
)
DEMENTIA = [
    Publication(
        f"Dementia care in nursing homes, study {i}",
        "Older adults with dementia and their medication; staffing in home care services.",
        2015,
    )
    for i in range(20)
]
SURGERY = [
    Publication(
        f"Outcomes after hip surgery, cohort {i}",
        "Postoperative complications and length of hospital stay among orthopaedic patients.",
        2018,
    )
    for i in range(20)
]
NYNORSK_NEED = NeedText(
    id="n-nn",
    title="Skulefråvær på ungdomssteget",
    question="Kva tiltak hjelper elevar som har høgt fråvær frå skulen?",
    background="Fleire ungdomar er heime i lange periodar.",
)


def keys(text: str, **options: bool) -> set[str]:
    analyzer = Analyzer(TextOptions(**options)) if options else Analyzer()
    return set(analyzer.analyse([(text, 1.0)]).weights)


# --- language handling -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hvordan kan vi forebygge skolefravær blant elever som ikke trives?", "nb"),
        ("Korleis kan vi førebyggje fråvær hjå elevar som ikkje trivst?", "nn"),
        ("How can schools prevent absence among pupils who are not thriving?", "en"),
    ],
)
def test_language_is_detected_from_stop_words(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("bokmal", "nynorsk"),
    [
        ("skolefravær", "skulefråvær"),
        ("barnevernstjenesten", "barnevernstenesta"),
        ("fosterhjem", "fosterheim"),
        ("atferdsvansker", "åtferdsvanskar"),
        ("foreldreveiledning", "foreldrerettleiing"),
        ("vold", "vald"),
    ],
)
def test_bokmal_and_nynorsk_forms_meet(bokmal: str, nynorsk: str) -> None:
    shared = keys(bokmal) & keys(nynorsk)
    assert shared, (keys(bokmal), keys(nynorsk))
    assert any(key.startswith("c:") for key in shared)


@pytest.mark.parametrize(
    ("norwegian", "english", "concept"),
    [
        ("skolefravær", "school absenteeism", "c:school_absence"),
        ("barnevernet", "child protection services", "c:child_welfare"),
        ("fosterhjem", "foster care", "c:foster_care"),
        ("åtferdsvanskar", "conduct problems", "c:conduct_problems"),
        ("foreldrerettleiing", "parenting programme", "c:parent_training"),
        ("helsestasjon", "child health clinic", "c:health_clinic"),
        ("tidlig innsats", "early intervention", "c:early_intervention"),
        ("ettervern", "care leavers", "c:aftercare"),
    ],
)
def test_norwegian_and_english_meet_on_a_concept(
    norwegian: str, english: str, concept: str
) -> None:
    assert concept in keys(norwegian)
    assert concept in keys(english)


def test_inflected_forms_share_a_stem() -> None:
    assert "w:barnehag" in keys("barnehagen") & keys("barnehager")
    assert "w:adolesc" in keys("adolescents") & keys("adolescence")


def test_compounds_are_split_by_known_parts() -> None:
    analyzer = Analyzer()
    assert analyzer.split_compound("skolefravær") == ("skole", "fravær")
    assert analyzer.split_compound("barnevernstjenesten") == ("barnevern", "tjenesten")
    assert analyzer.split_compound("ungdomsskolen")[-1] == "skolen"
    assert analyzer.split_compound("kommunen") == ()
    # The parts are keys of their own (at reduced weight), so "fravær" finds "skolefravær".
    assert "w:fravær" in keys("skolefravær")
    assert "w:fravær" not in keys("skolefravær", compounds=False)


def test_stop_words_are_ignored() -> None:
    assert keys("og i på det som er for med av til den hva hvordan the of and kva korleis") == set()
    assert keys("og i på det", stop_words=False)  # they would be words without the list


def test_empty_texts_and_empty_keys_never_match() -> None:
    analyzer = Analyzer()
    assert analyzer.analyse([("", 1.0), ("   ", 1.0), ("123 – !!", 1.0)]).weights == {}
    index = MatchIndex.build(
        [
            GroupText("empty"),
            GroupText("a", description="Skolefravær", publications=(ABSENCE_EN,)),
        ]
    )
    assert all(m.score == 0 for m in index.rank(NeedText("n", title="", question="")))
    assert all(m.score == 0 for m in index.rank(NeedText("n", title="og i på the of")))
    scores = {m.group_id: m.score for m in index.rank(NYNORSK_NEED)}
    assert scores["empty"] == 0
    assert scores["a"] > 0


def test_an_empty_glossary_gives_no_concepts_and_no_empty_key() -> None:
    empty = Analyzer(TextOptions(), Glossary())
    bag = empty.analyse([("Skolefravær blant elever; school absenteeism", 1.0)])
    assert bag.weights
    assert not any(k.startswith("c:") for k in bag.weights)
    assert all(k not in {"", "w:", "c:"} for k in bag.weights)
    # A glossary line with no terms adds no phrase (so no empty phrase can ever match).
    glossary = parse_glossary(["# comment", "", "lonely_concept\t\t\t", "x\t;;\t\t"])
    assert glossary.phrases == {}


def test_a_nynorsk_need_finds_an_english_paper_through_the_bridge() -> None:
    groups = [
        GroupText("absence", name="Attendance Lab", publications=(ABSENCE_EN,)),
        GroupText("dementia", name="Ageing Lab", publications=tuple(DEMENTIA[:5])),
    ]
    full = MatchIndex.build(groups)
    ranking = full.rank(NYNORSK_NEED)
    assert ranking[0].group_id == "absence"
    assert ranking[0].score > 0
    assert ranking[1].score == 0
    # Without the bridge the nynorsk need and the English paper have no word in common.
    no_bridge = MatchIndex.build(groups, VARIANTS["full_no_bridge"])
    assert all(m.score == 0 for m in no_bridge.rank(NYNORSK_NEED))


# --- aggregation -------------------------------------------------------------------------------


def _absence_groups() -> list[GroupText]:
    mild = [
        Publication(
            f"Pupils' wellbeing in lower secondary school, wave {i}",
            "A survey of school climate and pupils' satisfaction with teachers.",
            2019,
        )
        for i in range(20)
    ]
    return [
        GroupText("one-relevant", name="Ageing Lab", publications=(*DEMENTIA, ABSENCE_EN)),
        GroupText("only-relevant", name="Ageing Lab", publications=(ABSENCE_EN,)),
        GroupText("none-relevant", name="Surgery Lab", publications=tuple(SURGERY)),
        GroupText("mildly-related", name="School Lab", publications=tuple(mild)),
    ]


def test_one_relevant_paper_is_not_drowned_by_unrelated_ones() -> None:
    index = MatchIndex.build(_absence_groups())
    scores = {m.group_id: m for m in index.rank(NYNORSK_NEED)}
    # Unrelated papers neither help nor hurt: as if the group had only its relevant paper.
    assert scores["one-relevant"].score == pytest.approx(scores["only-relevant"].score)
    assert scores["one-relevant"].score > scores["none-relevant"].score
    # One paper on the exact topic outranks twenty on the broad field (school, pupils).
    assert scores["one-relevant"].score > scores["mildly-related"].score
    relevant = len(DEMENTIA)  # its index in the group's publications
    assert scores["one-relevant"].best_publication == relevant


def test_the_mean_would_drag_the_relevant_paper_down() -> None:
    mean = MatchIndex.build(_absence_groups(), VARIANTS["mean"])
    scores = {m.group_id: m.score for m in mean.rank(NYNORSK_NEED)}
    assert scores["one-relevant"] < scores["only-relevant"] / 10


def test_top_publications_decay_and_recency_is_optional() -> None:
    old = Publication(ABSENCE_EN.title, ABSENCE_EN.abstract, 1995)
    new = Publication(ABSENCE_EN.title + " (replication)", ABSENCE_EN.abstract, 2024)
    groups = [GroupText("old", publications=(old,)), GroupText("new", publications=(new,))]
    plain = {m.group_id: m.score for m in MatchIndex.build(groups).rank(NYNORSK_NEED)}
    assert plain["old"] == pytest.approx(plain["new"], rel=0.05)
    recent = MatchIndex.build(groups, VARIANTS["full"].__class__(recency=1.0))
    weighted = {m.group_id: m.score for m in recent.rank(NYNORSK_NEED)}
    assert weighted["new"] > 2 * weighted["old"]


def test_score_matrix_matches_rank() -> None:
    groups = _absence_groups()
    index = MatchIndex.build(groups)
    needs = [NYNORSK_NEED, NeedText("n2", title="Demens på sykehjem")]
    matrix = index.score_needs(needs)
    for row, need in enumerate(needs):
        ranked = {m.group_id: m.score for m in index.rank(need)}
        for col, group in enumerate(groups):
            assert matrix[row, col] == pytest.approx(ranked[group.id], abs=1e-6)
    chunked = list(index.iter_score_chunks(needs * 3, chunk=2))
    assert [start for start, _ in chunked] == [0, 2, 4]


# --- explanations ------------------------------------------------------------------------------


def test_explanation_names_the_concept_in_both_languages_and_the_paper() -> None:
    index = MatchIndex.build(_absence_groups())
    explanation = index.explain(NYNORSK_NEED, "one-relevant")
    assert explanation.text_fit == pytest.approx(
        next(m.score for m in index.rank(NYNORSK_NEED) if m.group_id == "one-relevant")
    )
    top = explanation.shared[0]
    assert top.key == "c:school_absence"
    assert "skulefråvær" in top.need_forms
    assert "school absenteeism" in top.group_forms
    assert "skolefravær" in top.label
    assert "school absence" in top.label
    assert len(explanation.shared) <= 8
    assert sum(t.contribution for t in explanation.shared) <= 1 + 1e-9
    assert explanation.driving_publications[0].title == ABSENCE_EN.title
    assert explanation.driving_publications[0].index == len(DEMENTIA)
    assert explanation.need_language == "nn"
    said = explanation.summary_params()
    assert "school absence" in said["terms"][0]
    assert said["title"] == ABSENCE_EN.title


# --- the other parts and the final score -------------------------------------------------------


def test_method_and_target_group_fit() -> None:
    assert method_fit(["RCT", "kvalitativ"], ["rct", "registerdata"]) == 0.5
    assert method_fit([], ["rct"]) is None
    assert set_fit({"skole", "ppt"}, {"Skole", "barnevern"}) == 0.5
    assert set_fit(set(), {"skole"}) is None


def test_capacity_and_distance() -> None:
    assert capacity_left(3, 1) == 2
    assert capacity_left(2, 5) == 0
    assert capacity_left(None, 1) is None
    assert capacity_fit(4, 1) == 0.75
    assert capacity_fit(0, 0) == 0.0
    oslo, bergen = (59.9139, 10.7522), (60.3913, 5.3221)
    km = distance_km(oslo, bergen)
    assert km == pytest.approx(305, abs=5)
    assert distance_km(oslo, None) is None
    assert distance_fit(0) == 1.0
    assert distance_fit(150) == pytest.approx(0.5)


def test_combine_lets_text_dominate_and_leaves_unknown_parts_out() -> None:
    full = combine(1.0, method=0.0, target=0.0, capacity=0.0, distance=0.0)
    empty_text = combine(0.0, method=1.0, target=1.0, capacity=1.0, distance=1.0)
    assert full.score == pytest.approx(0.6)
    assert empty_text.score == 0.0  # no text fit, no match
    weak_text = combine(0.3, method=1.0, target=1.0, capacity=1.0, distance=1.0)
    strong_text = combine(1.0, method=0.5, target=0.0, capacity=0.0, distance=0.0)
    assert strong_text.score > weak_text.score - 0.1  # text still matters most
    only_text = combine(0.8)
    assert only_text.score == pytest.approx(0.8)
    assert set(only_text.weights) == {"text"}
    assert math.isclose(sum(full.weights.values()), 1.0)
    assert relative_text_fit(0.2, 0.4) == 0.5
    assert relative_text_fit(0.2, 0.0) == 0.0


def test_the_combined_fit_counts_as_text_fit_only_above_the_average_group() -> None:
    assert centred_text_fit(0.5) == 0.0  # an average group: no text fit
    assert centred_text_fit(0.3) == 0.0  # below average: none either (not negative)
    assert centred_text_fit(0.75) == pytest.approx(0.5)
    assert centred_text_fit(1.0) == 1.0
    best, other = centred_text_fit(0.8), centred_text_fit(0.65)
    assert relative_text_fit(best, best) == 1.0
    assert relative_text_fit(other, best) == pytest.approx(0.5)


# --- conflicts ---------------------------------------------------------------------------------


def test_conflicted_pairs_never_appear() -> None:
    index = MatchIndex.build(_absence_groups())
    origin = NeedOrigin("n-nn", service_id="skole-42", email_domains=frozenset({"vik.kommune.no"}))
    members = {
        "one-relevant": [GroupMember("ola@uib.no", frozenset({"skole-42"}), "Ola")],
        "only-relevant": [GroupMember("kari@VIK.kommune.no")],
        "mildly-related": [GroupMember("per@uio.no", frozenset({"skole-7"}))],
    }
    conflicts = find_conflicts(
        [origin], members, manual=[ConflictRule("n-nn", "none-relevant", "former employee")]
    )
    assert conflicts.reason("n-nn", "one-relevant") == "Ola is employed by the submitting service"
    assert "municipality" in (conflicts.reason("n-nn", "only-relevant") or "")
    assert not conflicts.excludes("n-nn", "mildly-related")
    assert conflicts.excludes("n-nn", "none-relevant")
    kept = apply_conflicts(index.rank(NYNORSK_NEED), conflicts)
    assert [m.group_id for m in kept] == ["mildly-related"]
    excluded = index.rank(NYNORSK_NEED, exclude=conflicts.excluded_groups("n-nn"))
    assert [m.group_id for m in excluded] == ["mildly-related"]
    # A manual pair as a plain tuple, and another need that is not affected.
    other = find_conflicts([], {}, manual=[("n-other", "one-relevant")])
    assert other.excludes("n-other", "one-relevant")
    assert len(apply_conflicts(index.rank(NYNORSK_NEED), other)) == 4


# --- metrics -----------------------------------------------------------------------------------


def test_metrics_against_hand_computed_values() -> None:
    judgements = {"n1": {"a": 3, "b": 0, "c": 1}, "n2": {"x": 1, "y": 1}}
    scores = {"n1": {"a": 0.2, "b": 0.5, "c": 0.2}, "n2": {"x": 0.1, "y": 0.1}}
    m = evaluate_scores(scores, judgements)
    # n1 ranking: b (0), then a and c tied at 0.2 → by id: a (3), c (1).
    dcg = 0 + 7 / math.log2(3) + 1 / math.log2(4)
    ideal = 7 + 1 / math.log2(3)
    # n2: both relevant with the same grade: NDCG 1, AP 1.
    assert m.ndcg5 == pytest.approx((dcg / ideal + 1) / 2)
    assert m.ndcg10 == pytest.approx(m.ndcg5)
    assert m.map == pytest.approx(((1 / 2 + 2 / 3) / 2 + 1) / 2)
    # Pairs with different grades (n1 only): a>b wrong, a>c tie (½), c>b wrong → 0.5 / 3.
    assert m.pairs == 3
    assert m.pairwise == pytest.approx(0.5 / 3)


def test_full_matcher_beats_the_tfidf_baseline_on_the_evaluation_set() -> None:
    groups = [GroupText.from_dict(json.loads(line)) for line in (DATA / "eval_groups.jsonl").open()]
    needs = [NeedText.from_dict(json.loads(line)) for line in (DATA / "eval_needs.jsonl").open()]
    rows = [json.loads(line) for line in (DATA / "eval_judgements.jsonl").open()]
    judgements = group_judgements(rows)
    assert len(groups) == 40
    assert len(needs) == 40
    assert len(rows) == 1600

    def metrics(variant: str):
        index = MatchIndex.build(groups, VARIANTS[variant])
        matrix = index.score_needs(needs)
        scores = {
            n.id: {g.id: float(matrix[i, j]) for j, g in enumerate(index.groups)}
            for i, n in enumerate(needs)
        }
        return evaluate_scores(scores, judgements)

    baseline, full = metrics("baseline"), metrics("full")
    assert full.ndcg5 >= baseline.ndcg5 + 0.15
    assert full.ndcg10 >= baseline.ndcg10 + 0.15
    assert full.map >= baseline.map + 0.08
    assert full.pairwise >= baseline.pairwise + 0.08
