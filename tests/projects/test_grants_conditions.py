"""The condition engine and exact money: an example per kind (met, not met, needs evidence, the
numbers and the Norwegian text) and properties (hypothesis) that must hold for any budget."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects.grants.conditions import (
    CATEGORIES,
    MET,
    NEEDS_EVIDENCE,
    NOT_MET,
    Condition,
    Facts,
    Kind,
    Line,
    blocking,
    evaluate,
    parse_conditions,
)
from projects.grants.money import format_nok, format_percent, parse_nok, percent

NBSP = "\u00a0"


def one(kind: Kind, facts: Facts, **params: Any) -> Any:
    [result] = evaluate([Condition(kind, params)], facts)
    return result


def budget(**by_category: int) -> tuple[Line, ...]:
    return tuple(Line(category, kroner * 100) for category, kroner in by_category.items())


@pytest.fixture
def nb(app: Any) -> Any:
    """The app's catalogues loaded, Norwegian bokmål (then nynorsk on request)."""
    from klynge.i18n import set_language

    set_language("nb")
    yield set_language
    set_language("nb")


def said(result: Any) -> str:
    from klynge.errors import translate

    return translate(result.message, result.params)


# --- one example per kind ---------------------------------------------------------------------


def test_rnd_share_below_met_and_without_budget(nb) -> None:
    low = one(Kind.MIN_RND_SHARE, Facts(budget=budget(rnd=14_000, operations=86_000)), percent=20)
    assert low.outcome == NOT_MET
    assert low.numbers["share"] == "14.0"
    assert said(low) == "FoU-andel 14 % er under kravet på 20 %."
    nb("nn")
    assert said(low) == "FoU-del 14 % er under kravet på 20 %."
    nb("nb")
    ok = one(Kind.MIN_RND_SHARE, Facts(budget=budget(rnd=25_500, operations=74_500)), percent=20)
    assert ok.outcome == MET
    assert said(ok) == "FoU-andel 25,5 % oppfyller kravet på 20 %."
    empty = one(Kind.MIN_RND_SHARE, Facts(), percent=20)
    assert empty.outcome == NEEDS_EVIDENCE


def test_existing_positions_in_the_budget_and_in_a_report(nb) -> None:
    lines = (Line("existing_position", 100_000_00), Line("existing_position", 50_000_00))
    bad = one(Kind.NO_EXISTING_POSITIONS, Facts(budget=lines + budget(rnd=10)))
    assert bad.outcome == NOT_MET
    assert bad.numbers == {"lines": 2, "amount_ore": 150_000_00}
    assert said(bad) == f"2 budsjettlinjer gjelder eksisterende stillinger (150{NBSP}000{NBSP}kr)."
    clean = one(Kind.NO_EXISTING_POSITIONS, Facts(budget=budget(rnd=10)))
    assert clean.outcome == MET
    report = Facts(spending=budget(rnd=10))
    assert one(Kind.NO_EXISTING_POSITIONS, report).outcome == NEEDS_EVIDENCE
    attested = Facts(spending=budget(rnd=10), no_existing_positions=True)
    assert one(Kind.NO_EXISTING_POSITIONS, attested).outcome == MET
    denied = Facts(spending=budget(rnd=10), no_existing_positions=False)
    assert one(Kind.NO_EXISTING_POSITIONS, denied).outcome == NOT_MET


def test_full_financing(nb) -> None:
    costs = budget(rnd=600_000, operations=400_000)
    full = Facts(budget=costs, financing=[("this_funder", 1_000_000_00)])
    assert one(Kind.FULL_FINANCING, full).outcome == MET
    own = Facts(budget=costs, financing=[("this_funder", 900_000_00), ("own", 100_000_00)])
    result = one(Kind.FULL_FINANCING, own)
    assert result.outcome == NOT_MET
    assert result.numbers["own_ore"] == 100_000_00
    assert said(result) == (
        f"Den kommunale egenandelen er 100{NBSP}000{NBSP}kr; utlysningen finansierer alt."
    )
    short = Facts(budget=costs, financing=[("this_funder", 500_000_00)])
    assert said(one(Kind.FULL_FINANCING, short)) == (
        f"Finansiøren dekker 500{NBSP}000{NBSP}kr av kostnader på 1{NBSP}000{NBSP}000{NBSP}kr."
    )


def test_co_financing(nb) -> None:
    costs = budget(rnd=1_000_000)
    low = Facts(budget=costs, financing=[("own", 250_000_00), ("this_funder", 750_000_00)])
    result = one(Kind.CO_FINANCING, low, own_percent=30)
    assert result.outcome == NOT_MET
    assert said(result) == "Egenandel 25 % er under kravet på 30 %."
    enough = Facts(budget=costs, financing=[("own", 300_000_00)])
    assert one(Kind.CO_FINANCING, enough, own_percent=30).outcome == MET


def test_partner_municipalities_and_users(nb) -> None:
    assert one(Kind.RND_PARTNER, Facts()).outcome == NOT_MET
    assert one(Kind.RND_PARTNER, Facts(research_groups=1)).outcome == MET
    few = one(Kind.MIN_MUNICIPALITIES, Facts(municipalities=1), count=2)
    assert few.outcome == NOT_MET
    assert said(few) == "Kommuner som deltar: 1; utlysningen krever 2."
    assert one(Kind.MIN_MUNICIPALITIES, Facts(municipalities=3), count=2).outcome == MET
    none = one(Kind.USER_REPRESENTATIVES, Facts(), count=1)
    assert none.outcome == NOT_MET
    assert none.numbers == {"user_representatives": 0, "required": 1}
    assert one(Kind.USER_REPRESENTATIVES, Facts(user_representatives=2), count=1).outcome == MET


def test_approvals(nb) -> None:
    kinds = ["data_protection", "rek"]
    waiting = Facts(approvals={"data_protection": (True, "applied"), "rek": (None, "missing")})
    result = one(Kind.APPROVALS, waiting, kinds=kinds)
    assert result.outcome == NEEDS_EVIDENCE
    assert result.numbers["waiting"] == "data_protection,rek"
    rejected = Facts(approvals={"data_protection": (True, "rejected"), "rek": (True, "approved")})
    assert one(Kind.APPROVALS, rejected, kinds=kinds).outcome == NOT_MET
    done = Facts(approvals={"data_protection": (True, "approved"), "rek": (False, "missing")})
    assert one(Kind.APPROVALS, done, kinds=kinds).outcome == MET
    assert said(one(Kind.APPROVALS, done, kinds=kinds)) == "De påkrevde godkjenningene er på plass."


def test_max_amount_and_schedule(nb) -> None:
    over = one(Kind.MAX_AMOUNT, Facts(requested_ore=2_000_000_00), ore=1_500_000_00)
    assert over.outcome == NOT_MET
    assert said(over) == (
        f"Søknadsbeløpet, 2{NBSP}000{NBSP}000{NBSP}kr, "
        f"er over maksimum på 1{NBSP}500{NBSP}000{NBSP}kr."
    )
    assert one(Kind.MAX_AMOUNT, Facts(requested_ore=10), ore=0).outcome == MET
    late = one(Kind.REPORT_SCHEDULE, Facts(overdue_reports=2), progress_months=6)
    assert late.outcome == NOT_MET
    assert said(late) == "Rapporter på overtid: 2."
    assert one(Kind.REPORT_SCHEDULE, Facts(), progress_months=6).outcome == MET


def test_only_hard_conditions_not_met_block() -> None:
    conditions = parse_conditions(
        [
            {"kind": "rnd_partner", "hard": False},
            {"kind": "min_municipalities", "params": {"count": 2}},
            {"kind": "user_representatives", "params": {"count": 1}},
        ]
    )
    results = evaluate(conditions, Facts(municipalities=1, user_representatives=1))
    assert [r.kind for r in blocking(results)] == [Kind.MIN_MUNICIPALITIES]
    with pytest.raises(ValueError, match="no_such_kind"):
        parse_conditions([{"kind": "no_such_kind"}])


# --- properties ---------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**11)
lines = st.lists(st.builds(Line, st.sampled_from(CATEGORIES), amounts), max_size=12)
percents = st.integers(min_value=1, max_value=100)
ORDER = {MET: 0, NEEDS_EVIDENCE: 1, NOT_MET: 2}


@given(lines, amounts, percents)
def test_adding_rnd_never_breaks_a_met_rnd_share(budget_lines, extra, required) -> None:
    before = one(Kind.MIN_RND_SHARE, Facts(budget=budget_lines), percent=required)
    after_lines = [*budget_lines, Line("rnd", extra)]
    after = one(Kind.MIN_RND_SHARE, Facts(budget=after_lines), percent=required)
    if before.outcome == MET:
        assert after.outcome == MET


@given(lines, st.data())
def test_removing_an_existing_position_never_breaks_the_condition(budget_lines, data) -> None:
    existing = [i for i, line in enumerate(budget_lines) if line.category == "existing_position"]
    before = one(Kind.NO_EXISTING_POSITIONS, Facts(budget=budget_lines))
    if not existing:
        assert before.outcome == MET
        return
    gone = data.draw(st.sampled_from(existing))
    after = one(
        Kind.NO_EXISTING_POSITIONS,
        Facts(budget=[line for i, line in enumerate(budget_lines) if i != gone]),
    )
    assert not (before.outcome == MET and after.outcome == NOT_MET)
    assert ORDER[after.outcome] <= ORDER[before.outcome]


@given(lines, amounts, amounts, amounts)
def test_moving_money_from_own_to_the_funder_never_hurts_full_financing(
    budget_lines, own, funder, moved
) -> None:
    moved = min(moved, own)
    before = one(Kind.FULL_FINANCING, Facts(budget_lines, [("own", own), ("this_funder", funder)]))
    after = one(
        Kind.FULL_FINANCING,
        Facts(budget_lines, [("own", own - moved), ("this_funder", funder + moved)]),
    )
    assert ORDER[after.outcome] <= ORDER[before.outcome]


conditions = st.lists(
    st.sampled_from(list(Kind)).map(lambda k: Condition(k, {}, hard=True)), max_size=15
)


@given(conditions, lines)
def test_one_result_per_condition_in_order(chosen, budget_lines) -> None:
    results = evaluate(chosen, Facts(budget=budget_lines))
    assert [r.kind for r in results] == [c.kind for c in chosen]
    assert all(r.outcome in ORDER for r in results)


@given(st.integers(min_value=0, max_value=10**14))
def test_money_round_trips(ore) -> None:
    assert parse_nok(format_nok(ore)) == ore
    assert parse_nok(format_nok(ore, unit=False)) == ore
    assert isinstance(parse_nok(format_nok(ore)), int)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_percent_is_exact_decimal(part, whole) -> None:
    value = percent(part, whole)
    assert isinstance(value, Decimal)
    assert value == value.quantize(Decimal("0.1"))
    assert "." not in format_percent(value)


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("1 234 567", 123_456_700),
        ("1 234,50", 123_450),
        ("1234.5", 123_450),
        ("kr 12 000,-", 1_200_000),
        (f"1{NBSP}500{NBSP}000{NBSP}kr", 150_000_000),
        (1234.5, 123_450),
        (0, 0),
    ],
)
def test_parse_nok_examples(text, ore) -> None:
    assert parse_nok(text) == ore


@pytest.mark.parametrize("text", ["", "ti", "-5", "1,234", "1.005", True, "1e5", 10**13])
def test_parse_nok_refuses(text) -> None:
    with pytest.raises(ValueError, match=r"amount|large"):
        parse_nok(text)
