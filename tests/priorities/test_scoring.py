"""Scoring a closed prioritisation round: hand-computed cases, then properties (hypothesis)."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from priorities.scoring import (
    ALL_CRITERIA,
    CRITERIA,
    GAP_SCORE,
    MIN_WEIGHT,
    Rating,
    RoundConfig,
    RoundResult,
    Weighting,
    agreement,
    competition_ranks,
    criterion_score,
    priority_score,
    score_round,
)


def rate(
    rater: int,
    need: int,
    nytte: int | None,
    alvorlighet: int | None,
    ressurs: int | None,
    group: str = "staff",
    municipality: int | None = None,
) -> Rating:
    return Rating(rater, need, group, municipality, nytte, alvorlighet, ressurs)


def config(**kwargs: object) -> RoundConfig:
    kwargs.setdefault("weights", {})
    kwargs.setdefault("sensitivity_draws", 20)
    return RoundConfig(**kwargs)  # type: ignore[arg-type]


# --- the building blocks --------------------------------------------------------------------------


def test_criterion_score_maps_the_mean_of_1_to_5_onto_0_to_100() -> None:
    assert criterion_score([1]) == 0.0
    assert criterion_score([5, 5]) == 100.0
    assert criterion_score([3]) == 50.0
    assert criterion_score([4, 5]) == 87.5  # mean 4.5 -> 100 * 3.5 / 4
    assert criterion_score([2, 3]) == 37.5  # mean 2.5
    assert criterion_score([]) is None


@pytest.mark.parametrize("bad", [0, 6, -1, True, 2.5, "3"])
def test_criterion_score_rejects_answers_outside_1_to_5(bad: object) -> None:
    with pytest.raises(ValueError, match=r"1\.\.5"):
        criterion_score([3, bad])  # type: ignore[list-item]


def test_agreement_is_the_share_giving_the_modal_answer() -> None:
    assert agreement([4, 4, 5, 2]) == 0.5  # 4 is modal, 2 of 4 raters
    assert agreement([3, 3, 3]) == 1.0
    assert agreement([1, 2, 3]) == pytest.approx(1 / 3)
    assert agreement([5, 4, 5, 3, 5]) == 0.6
    assert agreement([]) is None


def test_priority_score_leaves_out_criteria_without_a_score() -> None:
    criteria = {"nytte": 80.0, "alvorlighet": 40.0, "ressurs": None, "kunnskapsgap": 100.0}
    # equal weights over the three that exist: (80 + 40 + 100) / 3
    assert priority_score(criteria, {}) == pytest.approx(220 / 3)
    # nytte weight 2: (2·80 + 40 + 100) / (2 + 1 + 1) = 300 / 4
    assert priority_score(criteria, {"nytte": 2}) == 75.0
    # ressurs has no score, so its weight 10 changes nothing
    assert priority_score(criteria, {"nytte": 2, "ressurs": 10}) == 75.0
    assert priority_score(dict.fromkeys(ALL_CRITERIA), {}) is None
    # the only criterion with a score weighs 0: nothing to average
    zero = {"nytte": 0, "alvorlighet": 0, "kunnskapsgap": 0}
    assert priority_score({"nytte": 80.0, "ressurs": None}, zero) is None


def test_priority_score_validates() -> None:
    with pytest.raises(ValueError, match="unknown criteria"):
        priority_score({"kostnad": 50.0}, {})
    with pytest.raises(ValueError, match="unknown criteria"):
        priority_score({"nytte": 50.0}, {"kostnad": 1.0})
    with pytest.raises(ValueError, match=">= 0"):
        priority_score({"nytte": 50.0}, {"nytte": -1.0})


def test_competition_ranks_give_ties_the_best_rank() -> None:
    assert competition_ranks({1: 90.0, 2: 80.0, 3: 80.0, 4: 70.0}) == {1: 1, 2: 2, 3: 2, 4: 4}
    assert competition_ranks({7: None, 8: 10.0}) == {7: None, 8: 1}
    # float noise within 1e-9 is a tie; a real difference is not
    assert competition_ranks({1: 0.1 + 0.2, 2: 0.3, 3: 0.3 - 1e-6}) == {1: 1, 2: 1, 3: 3}
    assert competition_ranks({}) == {}


# --- a small round computed by hand ---------------------------------------------------------------
#
# Needs 10, 20, 30. Raters 1, 2 are staff; 3, 4 are users. Answers (nytte, alvorlighet, ressurs);
# ressurs is inverted (6 − x) before scoring. kunnskapsgap: 10 unanswered (5), 20 answered (1),
# 30 not checked (None).
HAND = [
    rate(1, 10, 5, 4, 2, "staff"),
    rate(2, 10, 4, 4, 1, "staff"),
    rate(3, 10, 5, 5, 3, "users"),
    rate(4, 10, 3, None, 2, "users"),
    rate(1, 20, 2, 3, 4, "staff"),
    rate(2, 20, 3, 2, 5, "staff"),
    rate(3, 20, 4, 3, 4, "users"),
    rate(4, 20, 2, 3, None, "users"),
    rate(1, 30, 3, 3, 3, "staff"),
    rate(2, 30, None, None, None, "staff"),
    rate(3, 30, 1, 2, 5, "users"),
    rate(4, 30, 3, 1, 4, "users"),
]
HAND_GAP = {10: GAP_SCORE["unanswered"], 20: GAP_SCORE["answered"], 30: None}


def hand_round(**kwargs: object) -> RoundResult:
    return score_round([10, 20, 30], HAND, config(**kwargs), HAND_GAP)


def test_small_round_by_hand() -> None:
    result = hand_round()
    need = result.by_need()
    # Need 10
    #   nytte:       staff [5,4] mean 4.5 -> 87.5; users [5,3] mean 4 -> 75; CS (87.5+75)/2 = 81.25
    #   alvorlighet: staff [4,4] -> 75; users [5] -> 100; CS 87.5
    #   ressurs:     staff [2,1] -> [4,5] -> 87.5; users [3,2] -> [3,4] -> 62.5; CS 75
    #   kunnskapsgap 5 -> 100.   PS = (81.25 + 87.5 + 75 + 100) / 4 = 85.9375
    assert need[10].criteria == {
        "nytte": 81.25,
        "alvorlighet": 87.5,
        "ressurs": 75.0,
        "kunnskapsgap": 100.0,
    }
    assert need[10].score == 85.9375
    # Need 20
    #   nytte:       staff [2,3] -> 37.5; users [4,2] -> 50;            CS 43.75
    #   alvorlighet: staff [3,2] -> 37.5; users [3,3] -> 50;            CS 43.75
    #   ressurs:     staff [4,5] -> [2,1] -> 12.5; users [4] -> [2] -> 25; CS 18.75
    #   kunnskapsgap 1 -> 0.     PS = (43.75 + 43.75 + 18.75 + 0) / 4 = 26.5625
    assert need[20].criteria == {
        "nytte": 43.75,
        "alvorlighet": 43.75,
        "ressurs": 18.75,
        "kunnskapsgap": 0.0,
    }
    assert need[20].score == 26.5625
    # Need 30 (rater 2 left everything blank, so staff is rater 1 alone)
    #   nytte:       staff [3] -> 50; users [1,3] -> 25;               CS 37.5
    #   alvorlighet: staff [3] -> 50; users [2,1] -> 12.5;             CS 31.25
    #   ressurs:     staff [3] -> [3] -> 50; users [5,4] -> [1,2] -> 12.5; CS 31.25
    #   kunnskapsgap not checked: left out. PS = (37.5 + 31.25 + 31.25) / 3 = 33.33…
    assert need[30].criteria == {
        "nytte": 37.5,
        "alvorlighet": 31.25,
        "ressurs": 31.25,
        "kunnskapsgap": None,
    }
    assert need[30].score == pytest.approx(100 / 3)
    # Ranks: 10 (85.94) > 30 (33.33) > 20 (26.56); result ordered by rank
    assert [(n.need_id, n.rank) for n in result.needs] == [(10, 1), (30, 2), (20, 3)]


def test_small_round_by_hand_agreement_blanks_and_raters() -> None:
    need = hand_round().by_need()
    # Need 10: nytte [5,4,5,3] -> 2/4; alvorlighet [4,4,5] -> 2/3; ressurs [2,1,3,2] -> 2/4
    assert need[10].agreement == {"nytte": 0.5, "alvorlighet": 2 / 3, "ressurs": 0.5}
    assert need[10].aea == pytest.approx((0.5 + 2 / 3 + 0.5) / 3)
    # Need 30: nytte [3,1,3] -> 2/3; alvorlighet [3,2,1] -> 1/3; ressurs [3,5,4] -> 1/3
    assert need[30].aea == pytest.approx((2 / 3 + 1 / 3 + 1 / 3) / 3)
    assert (need[10].raters, need[10].blanks) == (4, 1)
    assert need[10].blanks_by_criterion == {"nytte": 0, "alvorlighet": 1, "ressurs": 0}
    assert (need[20].raters, need[20].blanks) == (4, 1)
    assert need[20].blanks_by_criterion == {"nytte": 0, "alvorlighet": 0, "ressurs": 1}
    assert (need[30].raters, need[30].blanks) == (3, 3)
    assert need[30].blanks_by_criterion == {"nytte": 1, "alvorlighet": 1, "ressurs": 1}


def test_small_round_by_hand_group_scores() -> None:
    need = hand_round().by_need()
    # Need 10, staff alone: 87.5, 75, 87.5 and the need's kunnskapsgap 100 -> PS 350/4 = 87.5
    #          users alone: 75, 100, 62.5, 100                          -> PS 337.5/4 = 84.375
    assert need[10].group_scores == {
        "staff": {
            "nytte": 87.5,
            "alvorlighet": 75.0,
            "ressurs": 87.5,
            "kunnskapsgap": 100.0,
            "score": 87.5,
        },
        "users": {
            "nytte": 75.0,
            "alvorlighet": 100.0,
            "ressurs": 62.5,
            "kunnskapsgap": 100.0,
            "score": 84.375,
        },
    }
    # Need 30, staff = rater 1 alone: 50, 50, 50, no kunnskapsgap -> 50
    assert need[30].group_scores["staff"]["score"] == 50.0


def test_small_round_by_hand_is_stable_under_weight_changes() -> None:
    result = hand_round()
    # 4 positive weights: base + 2·4 one-at-a-time + 20 draws
    assert result.scenarios == 1 + 8 + 20
    need = result.by_need()
    # Need 10 scores ≥ 75 on every criterion, the others ≤ 50: first in every scenario.
    assert (need[10].rank_min, need[10].rank_max) == (1, 1)
    assert not any(n.unstable for n in result.needs)


def test_weights_change_the_priority_score_as_computed_by_hand() -> None:
    need = hand_round(weights={"nytte": 2}).by_need()
    # Need 10: (2·81.25 + 87.5 + 75 + 100) / 5 = 425 / 5
    assert need[10].score == 85.0
    # Need 20: (2·43.75 + 43.75 + 18.75 + 0) / 5 = 150 / 5
    assert need[20].score == 30.0
    # Need 30: (2·37.5 + 31.25 + 31.25) / 4 = 137.5 / 4 (no kunnskapsgap)
    assert need[30].score == 34.375
    # Criterion scores do not depend on the weights.
    assert need[10].criteria["nytte"] == 81.25


def test_weight_zero_on_kunnskapsgap_reorders_the_hand_round() -> None:
    result = hand_round(weights={"kunnskapsgap": 0})
    need = result.by_need()
    # Need 20 loses nothing any more for being answered: (43.75 + 43.75 + 18.75) / 3 = 35.42,
    # which now beats need 30 (33.33).
    assert need[20].score == pytest.approx(106.25 / 3)
    assert [(n.need_id, n.rank) for n in result.needs] == [(10, 1), (20, 2), (30, 3)]
    # kunnskapsgap carries no weight, so it is not varied: base + 2·3 + 20
    assert result.scenarios == 1 + 6 + 20


# --- the rules one at a time ----------------------------------------------------------------------


def test_ties_share_the_best_rank_1224() -> None:
    ratings = [
        rate(1, 1, 5, None, None),  # CS 100
        rate(1, 2, 4, None, None),  # CS 75
        rate(1, 3, 4, None, None),  # CS 75
        rate(1, 4, 1, None, None),  # CS 0
    ]
    result = score_round([4, 3, 2, 1], ratings, config())
    assert [(n.need_id, n.rank) for n in result.needs] == [(1, 1), (2, 2), (3, 2), (4, 4)]


def test_blanks_are_not_counted_but_are_reported() -> None:
    ratings = [
        rate(1, 1, 5, None, None, "staff"),
        rate(2, 1, None, None, None, "users"),  # "kan ikke vurdere" on everything
        rate(3, 1, 3, 2, None, "staff"),
    ]
    n = score_round([1], ratings, config()).by_need()[1]
    # nytte over [5, 3] only (a blank is not a 1): mean 4 -> 75; alvorlighet [2] -> 25
    assert n.criteria == {"nytte": 75.0, "alvorlighet": 25.0, "ressurs": None, "kunnskapsgap": None}
    assert n.score == 50.0
    assert n.blanks == 6
    assert n.blanks_by_criterion == {"nytte": 1, "alvorlighet": 2, "ressurs": 3}
    assert n.raters == 2
    # agreement: nytte [5, 3] -> 0.5, alvorlighet [2] -> 1.0, ressurs none
    assert n.agreement == {"nytte": 0.5, "alvorlighet": 1.0, "ressurs": None}
    assert n.aea == 0.75
    # the users group answered nothing: shown, but "ikke vurdert"
    assert n.group_scores["users"] == dict.fromkeys((*ALL_CRITERIA, "score"))


def test_group_weighting_gives_30_staff_and_2_youth_the_same_voice() -> None:
    ratings = [rate(r, 1, 2, None, None, "staff") for r in range(1, 31)]
    ratings += [rate(r, 1, 5, None, None, "youth") for r in (31, 32)]
    group = score_round([1], ratings, config()).by_need()[1]
    pooled = score_round([1], ratings, config(weighting=Weighting.NONE)).by_need()[1]
    # GROUP: staff mean 2 -> 25, youth mean 5 -> 100; (25 + 100) / 2
    assert group.criteria["nytte"] == 62.5
    # NONE: (30·2 + 2·5) / 32 = 2.1875 -> 100 · 1.1875 / 4
    assert pooled.criteria["nytte"] == 29.6875
    assert group.group_scores["staff"]["nytte"] == 25.0
    assert group.group_scores["youth"]["nytte"] == 100.0
    # NONE still shows the stakeholder groups side by side
    assert set(pooled.group_scores) == {"staff", "youth"}
    # agreement is CHNRI's, over all raters: 30 of 32 gave 2
    assert group.agreement["nytte"] == pooled.agreement["nytte"] == 30 / 32


def test_municipality_weighting() -> None:
    ratings = [rate(r, 1, 1, None, None, "staff", 1) for r in range(1, 9)]  # motor: 8 × 1
    ratings += [rate(9, 1, 5, None, None, "staff", 2), rate(10, 1, 3, None, None, "users")]
    result = score_round([1], ratings, config(weighting=Weighting.MUNICIPALITY))
    n = result.by_need()[1]
    # municipality 1 -> 0, municipality 2 -> 100, no municipality -> 50; (0 + 100 + 50) / 3
    assert n.criteria["nytte"] == 50.0
    assert list(n.group_scores) == ["1", "2", "none"]
    assert [g["nytte"] for g in n.group_scores.values()] == [0.0, 100.0, 50.0]
    # by stakeholder group instead: staff (8·1 + 5)/9 -> 11.1, users 3 -> 50
    by_group = score_round([1], ratings, config()).by_need()[1]
    assert by_group.criteria["nytte"] == pytest.approx((25 * 4 / 9 + 50) / 2)


def test_ressurs_is_inverted_a_cheap_need_scores_higher() -> None:
    ratings = [
        rate(1, 1, 4, 4, 1),  # needs little resources
        rate(1, 2, 4, 4, 5),  # needs very much
    ]
    result = score_round([1, 2], ratings, config())
    need = result.by_need()
    assert need[1].criteria["ressurs"] == 100.0
    assert need[2].criteria["ressurs"] == 0.0
    # (75 + 75 + 100) / 3 vs (75 + 75 + 0) / 3
    assert need[1].score == pytest.approx(250 / 3)
    assert need[2].score == 50.0
    assert (need[1].rank, need[2].rank) == (1, 2)
    # agreement is on the raw answers
    assert need[1].agreement["ressurs"] == 1.0


@pytest.mark.parametrize(
    ("gap", "cs", "score"),
    [
        (GAP_SCORE["unanswered"], 100.0, 62.5),  # (50 + 50 + 50 + 100) / 4
        (GAP_SCORE["partly"], 50.0, 50.0),
        (GAP_SCORE["answered"], 0.0, 37.5),  # (50 + 50 + 50 + 0) / 4
        (None, None, 50.0),  # "ikke vurdert": left out, (50 + 50 + 50) / 3
    ],
)
def test_kunnskapsgap_present_or_not_assessed(
    gap: int | None, cs: float | None, score: float
) -> None:
    n = score_round([1], [rate(1, 1, 3, 3, 3)], config(), {1: gap}).by_need()[1]
    assert n.criteria["kunnskapsgap"] == cs
    assert n.score == score


def test_needs_without_ratings_are_listed_and_ranked_by_kunnskapsgap_alone() -> None:
    ratings = [rate(1, 1, 5, 5, 1)]  # need 1: 100 on all three
    result = score_round([1, 2, 3, 4], ratings, config(), {2: 5, 3: 1})
    assert [(n.need_id, n.rank, n.score, n.raters) for n in result.needs] == [
        (1, 1, 100.0, 1),
        (2, 1, 100.0, 0),  # unrated, kunnskapsgap 5 alone -> 100 (raters == 0 marks it)
        (3, 3, 0.0, 0),
        (4, None, None, 0),  # nothing at all: unranked, listed last
    ]
    unranked = result.by_need()[4]
    assert (unranked.rank_min, unranked.rank_max, unranked.unstable) == (None, None, False)
    assert unranked.criteria == dict.fromkeys(ALL_CRITERIA)
    assert unranked.agreement == dict.fromkeys(CRITERIA)
    assert unranked.aea is None
    assert unranked.group_scores == {}


# --- sensitivity ----------------------------------------------------------------------------------

# Two needs tied at 50: one all benefit, one all severity. Any shift between those two weights
# separates them.
SEESAW = [rate(1, 1, 5, 1, None), rate(1, 2, 1, 5, None)]


def test_seesaw_needs_move_between_rank_1_and_2() -> None:
    result = score_round([1, 2], SEESAW, config(sensitivity_draws=0))
    assert result.scenarios == 1 + 8
    for n in result.needs:
        assert n.score == 50.0
        assert (n.rank, n.rank_min, n.rank_max) == (1, 1, 2)
        assert not n.unstable  # range 1 ≤ default span max(2, ceil(0.2)) = 2
    unstable = score_round([1, 2], SEESAW, config(sensitivity_draws=0, unstable_span=0))
    assert all(n.unstable for n in unstable.needs)


def test_a_step_of_zero_moves_nothing() -> None:
    result = score_round([1, 2], SEESAW, config(sensitivity_step=0.0))
    assert [(n.rank_min, n.rank_max) for n in result.needs] == [(1, 1), (1, 1)]


def test_random_draws_are_seeded_and_counted() -> None:
    default = RoundConfig(weights={})
    assert score_round([1, 2], SEESAW, default).scenarios == 1 + 8 + 200
    a = hand_round(sensitivity_draws=50, seed=7)
    b = hand_round(sensitivity_draws=50, seed=7)
    assert a == b
    assert a.scenarios == 1 + 8 + 50


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize("criterion", CRITERIA)
@pytest.mark.parametrize("bad", [0, 6, True, 3.0])
def test_answers_outside_1_to_5_are_refused(criterion: str, bad: object) -> None:
    answers = dict.fromkeys(CRITERIA, 3) | {criterion: bad}
    rating = Rating(1, 1, "staff", None, **answers)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=criterion):
        score_round([1], [rating], config())


def test_a_rater_rates_a_need_once() -> None:
    with pytest.raises(ValueError, match="twice"):
        score_round([1], [rate(1, 1, 3, 3, 3), rate(1, 1, 4, 4, 4)], config())


def test_ratings_for_needs_outside_the_round_are_refused() -> None:
    with pytest.raises(ValueError, match="not in this round"):
        score_round([1], [rate(1, 2, 3, 3, 3)], config())
    with pytest.raises(ValueError, match="not in this round"):
        score_round([1], [], config(), {2: 5})


@pytest.mark.parametrize("gap", [2, 0, "unanswered", True])
def test_knowledge_gap_must_be_1_3_5_or_none(gap: object) -> None:
    with pytest.raises(ValueError, match="knowledge gap"):
        score_round([1], [], config(), {1: gap})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": {"nytte": -0.5}}, ">= 0"),
        ({"weights": dict.fromkeys(ALL_CRITERIA, 0)}, "> 0"),
        ({"weights": {"kostnad": 1.0}}, "unknown criteria"),
        ({"weights": {"nytte": math.nan}}, "finite"),
        ({"weights": {}, "sensitivity_step": 1.0}, "sensitivity_step"),
        ({"weights": {}, "sensitivity_step": -0.1}, "sensitivity_step"),
        ({"weights": {}, "sensitivity_draws": -1}, "sensitivity_draws"),
        ({"weights": {}, "unstable_span": -1}, "unstable_span"),
    ],
)
def test_round_config_is_validated(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RoundConfig(**kwargs)  # type: ignore[arg-type]


def test_round_config_keeps_its_own_copy_of_the_weights() -> None:
    weights = {"nytte": 2.0}
    cfg = RoundConfig(weights=weights)
    weights["nytte"] = -1.0
    assert cfg.weights == {"nytte": 2.0}


# --- properties -----------------------------------------------------------------------------------

GROUPS = ("leaders", "staff", "users", "researchers")
ANSWER = st.one_of(st.none(), st.integers(1, 5))
WEIGHTS = st.fixed_dictionaries(
    {},
    optional={
        c: st.one_of(st.just(0.0), st.floats(MIN_WEIGHT, 5, allow_nan=False)) for c in ALL_CRITERIA
    },
).filter(lambda w: sum(w.get(c, 1.0) for c in ALL_CRITERIA) > 0)
CONFIGS = st.builds(
    RoundConfig,
    weights=WEIGHTS,
    weighting=st.sampled_from(Weighting),
    sensitivity_step=st.sampled_from((0.0, 0.25, 0.5, 0.9)),
    sensitivity_draws=st.integers(0, 15),
    seed=st.integers(0, 2**32),
    unstable_span=st.one_of(st.none(), st.integers(0, 3)),
)
Round = tuple[list[int], list[Rating], dict[int, int | None]]


@st.composite
def rounds(draw: st.DrawFn) -> Round:
    need_ids = draw(st.lists(st.integers(1, 500), min_size=1, max_size=6, unique=True))
    ratings = []
    for rater in range(1, draw(st.integers(1, 8)) + 1):
        group = draw(st.sampled_from(GROUPS))
        municipality = draw(st.sampled_from((None, 1, 2, 3)))
        for need in need_ids:
            if draw(st.integers(0, 3)):  # most raters rate most needs
                answers = (draw(ANSWER), draw(ANSWER), draw(ANSWER))
                ratings.append(Rating(rater, need, group, municipality, *answers))
    gaps = draw(st.dictionaries(st.sampled_from(need_ids), st.sampled_from((1, 3, 5, None))))
    return need_ids, ratings, gaps


@settings(max_examples=100, deadline=None)
@given(rounds(), CONFIGS, st.data())
def test_result_does_not_depend_on_input_order(
    rnd: Round, cfg: RoundConfig, data: st.DataObject
) -> None:
    need_ids, ratings, gaps = rnd
    base = score_round(need_ids, ratings, cfg, gaps)
    shuffled = data.draw(st.permutations(ratings))
    needs = data.draw(st.permutations(need_ids))
    again = score_round(needs, iter(shuffled), cfg, dict(reversed(gaps.items())))
    assert again == base
    assert score_round(need_ids, ratings, cfg, gaps) == base  # two calls, same result


@settings(max_examples=100, deadline=None)
@given(rounds(), CONFIGS, st.sampled_from(("nytte", "ressurs")), st.data())
def test_a_better_answer_never_worsens_the_rank(
    rnd: Round, cfg: RoundConfig, criterion: str, data: st.DataObject
) -> None:
    need_ids, ratings, gaps = rnd
    # raising nytte or lowering ressurs (fewer resources) can only help the need
    improvable = [
        i
        for i, r in enumerate(ratings)
        if (v := getattr(r, criterion)) is not None and (v < 5 if criterion == "nytte" else v > 1)
    ]
    assume(improvable)
    i = data.draw(st.sampled_from(improvable))
    old = ratings[i]
    value = getattr(old, criterion)
    new_value = data.draw(
        st.integers(value + 1, 5) if criterion == "nytte" else st.integers(1, value - 1)
    )
    changed = [*ratings]
    changed[i] = replace(old, **{criterion: new_value})
    before = score_round(need_ids, ratings, cfg, gaps).by_need()[old.need_id]
    after = score_round(need_ids, changed, cfg, gaps).by_need()[old.need_id]
    # The property is about ranked needs: with every scored criterion weighted 0, none has a rank.
    assume(before.rank is not None)
    assert after.rank is not None
    assert after.rank <= before.rank
    assert after.score >= before.score  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(rounds(), CONFIGS, st.sampled_from(GROUPS), st.integers(2, 4))
def test_each_group_has_one_voice_whatever_its_size(
    rnd: Round, cfg: RoundConfig, group: str, k: int
) -> None:
    need_ids, ratings, gaps = rnd
    assume(any(r.group == group for r in ratings))
    cfg = replace(cfg, weighting=Weighting.GROUP)
    grown = [*ratings]
    for copy in range(1, k):
        grown += [
            replace(r, rater_id=r.rater_id + 1000 * copy) for r in ratings if r.group == group
        ]
    base = score_round(need_ids, ratings, cfg, gaps)
    big = score_round(need_ids, grown, cfg, gaps)
    assert big.scenarios == base.scenarios
    for a, b in zip(base.needs, big.needs, strict=True):
        # Scores, ranks and sensitivity are per group; agreement, raters and blanks count people.
        assert (a.need_id, a.rank, a.score, a.rank_min, a.rank_max, a.unstable) == (
            b.need_id,
            b.rank,
            b.score,
            b.rank_min,
            b.rank_max,
            b.unstable,
        )
        assert a.criteria == b.criteria
        assert a.group_scores == b.group_scores


@settings(max_examples=100, deadline=None)
@given(rounds(), CONFIGS)
def test_scores_ranks_and_counts_stay_in_range(rnd: Round, cfg: RoundConfig) -> None:
    need_ids, ratings, gaps = rnd
    result = score_round(need_ids, ratings, cfg, gaps)
    assert sorted(result.by_need()) == sorted(need_ids)
    ranked = [n for n in result.needs if n.rank is not None]
    # ordered by rank, unranked last
    assert result.needs[: len(ranked)] == tuple(ranked)
    assert [n.rank for n in ranked] == sorted(n.rank for n in ranked)
    if ranked:
        assert ranked[0].rank == 1
    for n in result.needs:
        assert (n.rank is None) == (n.score is None)
        values = [n.score, *n.criteria.values()]
        values += [v for g in n.group_scores.values() for v in g.values()]
        assert all(0.0 <= v <= 100.0 for v in values if v is not None)
        assert all(0.0 < a <= 1.0 for a in n.agreement.values() if a is not None)
        if n.rank is None:
            assert (n.rank_min, n.rank_max, n.unstable) == (None, None, False)
        else:
            assert n.rank_min is not None
            assert n.rank_max is not None
            assert 0 < n.rank_min <= n.rank <= n.rank_max <= len(ranked)
        rows = [r for r in ratings if r.need_id == n.need_id]
        answered = sum(getattr(r, c) is not None for r in rows for c in CRITERIA)
        assert n.blanks + answered == 3 * len(rows)
        assert n.blanks == sum(n.blanks_by_criterion.values())


@pytest.mark.parametrize("weight", [5e-324, 1e-9])
def test_vanishing_weights_are_refused(weight: float) -> None:
    # Halving such a weight in the sensitivity check would underflow to 0 and drop the score.
    with pytest.raises(ValueError, match="at least"):
        RoundConfig(weights={"nytte": weight})
