"""Tests for near-duplicate detection of knowledge needs."""

from __future__ import annotations

import random

import pytest

from priorities.similarity import DEFAULT_MIN_SCORE, NeedText, similar_needs

NB = NeedText(
    1,
    "Samarbeid mellom skole og barnevern om fravær",
    "Hvordan kan skole og barnevern samarbeide bedre om elever med høyt fravær?",
    "",
)
NN = NeedText(
    2,
    "Samarbeid mellom skule og barnevern om fråvær",
    "Korleis kan skule og barnevern samarbeide betre om elevar med mykje fråvær?",
    "",
)
UNRELATED = [
    NeedText(
        10,
        "Foreldrestøtte i barnehagen",
        "Hvilke foreldrestøttende tiltak i barnehagen virker for familier med lav inntekt?",
        "Mange familier i kommunen har lav inntekt.",
    ),
    NeedText(
        11,
        "Rusforebygging blant ungdom",
        "Hvilke tiltak forebygger rusbruk blant ungdom i ungdomsskolen?",
        "",
    ),
    NeedText(
        12,
        "Oppfølging etter akuttplassering i barnevernet",
        "Hva vet vi om oppfølging av barn etter akuttplassering?",
        "",
    ),
    NeedText(
        13,
        "Overgang fra barnehage til skole",
        "Hvordan sikre god overgang fra barnehage til skole for barn med spesielle behov?",
        "",
    ),
    NeedText(
        14,
        "Tidlig innsats i helsestasjonen",
        "Hvordan kan helsestasjonen oppdage fødselsdepresjon tidlig?",
        "",
    ),
    NeedText(
        15,
        "Unge som faller utenfor",
        "Hva virker for unge mellom 18 og 24 år som verken er i arbeid eller utdanning?",
        "NAV og oppfølgingstjenesten samarbeider om disse.",
    ),
]


def ids(result: list[tuple[int, float]]) -> list[int]:
    return [need_id for need_id, _ in result]


def test_nynorsk_paraphrase_ranks_first_in_both_directions() -> None:
    for target, twin in ((NB, NN), (NN, NB)):
        result = similar_needs(target, [*UNRELATED, twin], min_score=0)
        assert result[0][0] == twin.need_id
        assert result[0][1] >= DEFAULT_MIN_SCORE
        assert all(score < result[0][1] for _, score in result[1:])
        assert ids(similar_needs(target, [*UNRELATED, twin])) == [twin.need_id]


def test_rewording_in_other_words_still_matches() -> None:
    reworded = NeedText(
        3,
        "Skolefravær – hvordan samarbeider skolen og barnevernet?",
        "Hva vet vi om samarbeid mellom barnevernet og skolene om elevene som har mye fravær?",
        "",
    )
    assert ids(similar_needs(NB, [*UNRELATED, reworded])) == [3]


def test_typos_still_match() -> None:
    typo = NeedText(
        4,
        "Samarbeid melom skloe og barnevren om fravær",
        "Hvordan kan skole og barnevern samarbide bedre om elver med høyt fravaer?",
        "",
    )
    result = similar_needs(NB, [*UNRELATED, typo])
    assert ids(result) == [4]
    assert result[0][1] >= 0.5


@pytest.mark.parametrize(
    ("nynorsk", "bokmal"),
    [
        ("skule", "skole"),
        ("fråværet", "fraværet"),
        ("tenestene", "tjenestene"),
        ("betre", "bedre"),
        ("vaksne", "voksne"),
    ],
)
def test_nynorsk_and_bokmal_spellings_are_one_word(nynorsk: str, bokmal: str) -> None:
    target = NeedText(1, f"Tilbud {nynorsk}", "", "")
    result = similar_needs(target, [NeedText(2, f"Tilbud {bokmal}", "", "")])
    assert result == [(2, pytest.approx(1.0))]


def test_inflected_forms_are_one_word() -> None:
    target = NeedText(1, "Foreldrene til elevene", "Tiltakene for barna", "")
    plain = NeedText(2, "Foreldre og elever", "Tiltak for barn", "")
    nynorsk = NeedText(3, "Foreldra til elevane", "Tiltaka for borna", "")
    result = similar_needs(target, [plain, nynorsk, *UNRELATED])
    assert ids(result) == [2, 3]
    assert all(score > 0.9 for _, score in result)


def test_typos_in_almost_every_word_still_rank_first() -> None:
    # Hardly a word is spelled right, so only the character trigrams can find it.
    typo = NeedText(
        4,
        "Samarbied mellom skloe og barnevren om fravær",
        "Hvordan kan skoel og barnevren samarbide bedre om elver med høyt fravar?",
        "",
    )
    result = similar_needs(NB, [*UNRELATED, typo], min_score=0)
    assert result[0][0] == 4
    assert result[0][1] >= DEFAULT_MIN_SCORE


def test_english_needs_match_each_other() -> None:
    target = NeedText(1, "School absence", "How can schools and child welfare reduce absence?", "")
    same = NeedText(2, "Absence from school", "Reducing school absence with child welfare", "")
    other = NeedText(3, "Parenting support", "Which parenting programmes help young families?", "")
    assert ids(similar_needs(target, [other, same])) == [2]


def test_unrelated_needs_are_not_suggested() -> None:
    for target in UNRELATED:
        others = [need for need in UNRELATED if need is not target]
        assert similar_needs(target, others) == [], target.title


def test_one_shared_topic_word_is_not_enough() -> None:
    target = NeedText(1, "Barnevern og rus", "Hva virker mot rusbruk hos foreldre?", "")
    candidate = NeedText(2, "Barnevern i skolen", "Hvordan kan barnevernet veilede lærere?", "")
    assert similar_needs(target, [candidate]) == []


def test_stop_words_alone_do_not_match() -> None:
    only_stop_words = NeedText(1, "Hvordan kan vi", "Hva er det som de har om dette?", "og i på")
    same_stop_words = NeedText(2, "Hvordan kan vi", "Hva er det som de har om dette?", "og i på")
    assert similar_needs(only_stop_words, [same_stop_words, NB], min_score=0) == []
    assert similar_needs(NB, [same_stop_words], min_score=0) == []
    # Needs about different things share only stop words: no match.
    a = NeedText(3, "Hvordan kan vi bruke lekser?", "Hva er det som virker for lekser?", "")
    b = NeedText(4, "Hvordan kan vi hindre mobbing?", "Hva er det som virker mot mobbing?", "")
    assert similar_needs(a, [b]) == []


@pytest.mark.parametrize(
    "empty",
    [NeedText(1, "", "", ""), NeedText(1, "   ", "\n\t", " "), NeedText(1, "?!", "–", "...")],
)
def test_empty_texts_never_match(empty: NeedText) -> None:
    assert similar_needs(empty, [NB, NN, *UNRELATED], min_score=0) == []
    blank_candidate = NeedText(99, empty.title, empty.question, empty.background)
    assert similar_needs(NB, [blank_candidate], min_score=0) == []


def test_the_target_itself_is_excluded() -> None:
    copy = NeedText(NB.need_id, NB.title, NB.question, NB.background)
    assert ids(similar_needs(NB, [NB, copy, NN], min_score=0)) == [NN.need_id]


def test_identical_text_scores_one_and_scores_stay_in_range() -> None:
    twin = NeedText(5, NB.title, NB.question, NB.background)
    result = similar_needs(NB, [twin, NN, *UNRELATED], limit=100, min_score=0)
    assert result[0] == (5, pytest.approx(1.0))
    assert all(0.0 <= score <= 1.0 for _, score in result)


def test_title_counts_more_than_background() -> None:
    target = NeedText(1, "Mobbing i ungdomsskolen", "Hva virker?", "")
    in_title = NeedText(2, "Mobbing i ungdomsskolen", "Hvilke tiltak finnes?", "Mange spør.")
    in_background = NeedText(3, "Tiltak som finnes", "Hva virker?", "Mobbing i ungdomsskolen")
    result = similar_needs(target, [in_background, in_title], min_score=0)
    assert ids(result) == [2, 3]
    assert result[0][1] > result[1][1]


def test_ties_are_broken_by_need_id_and_order_does_not_matter() -> None:
    copies = [NeedText(need_id, NN.title, NN.question, NN.background) for need_id in (9, 3, 7)]
    candidates = [*copies, *UNRELATED]
    expected = similar_needs(NB, candidates, min_score=0, limit=100)
    assert ids(expected)[:3] == [3, 7, 9]
    assert len({score for _, score in expected[:3]}) == 1
    rng = random.Random(1)
    for _ in range(5):
        rng.shuffle(candidates)
        assert similar_needs(NB, candidates, min_score=0, limit=100) == expected


def test_limit_and_min_score() -> None:
    candidates = [NeedText(i, NN.title, NN.question, "") for i in range(20, 30)]
    assert len(similar_needs(NB, candidates)) == 5
    assert len(similar_needs(NB, candidates, limit=2)) == 2
    assert similar_needs(NB, candidates, limit=0) == []
    assert similar_needs(NB, candidates, min_score=1.01) == []
    scores = [score for _, score in similar_needs(NB, [*UNRELATED, NN], min_score=0.0)]
    assert scores == sorted(scores, reverse=True)


def test_a_large_cluster_is_handled() -> None:
    rng = random.Random(7)
    words = [need.question for need in UNRELATED] + [NB.question, NN.question]
    candidates = [
        NeedText(i, rng.choice(words), " ".join(rng.sample(words, 3)), rng.choice(words) * 5)
        for i in range(3000)
    ]
    result = similar_needs(NB, candidates, limit=3)
    assert len(result) == 3
