"""Tests for the pure organisation validators."""

from __future__ import annotations

from datetime import date

import pytest

from klynge.orgs.validators import (
    COUNTIES,
    HISTORIC_COUNTIES,
    LANGUAGE_LABELS,
    LanguageDecision,
    ValidationError,
    county_for,
    kommunenummer_from_cell,
    parse_language_decision,
    validate_kommunenummer,
    validate_orcid,
    validate_orgnr,
)


@pytest.mark.parametrize(
    ("value", "expected", "county"),
    [
        ("0301", "0301", "Oslo"),
        ("4601", "4601", "Vestland"),
        ("5001", "5001", "Trøndelag"),
        ("1103", "1103", "Rogaland"),
        ("  3101 \n", "3101", "Østfold"),
        ("5501", "5501", "Troms"),
    ],
)
def test_current_kommunenummer(value: str, expected: str, county: str) -> None:
    assert validate_kommunenummer(value) == expected
    assert validate_kommunenummer(value, on=date(2015, 1, 1)) == expected  # current: always
    assert county_for(expected) == county


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("0000", "fylkesnummer"),
        ("9901", "fylkesnummer"),
        ("1301", "fylkesnummer"),
        ("301", "fire sifre"),
        ("03011", "fire sifre"),
        ("46O1", "fire sifre"),
        ("", "fire sifre"),
        ("\u0664\u0666\u0660\u0661", "fire sifre"),  # Arabic-Indic 4601
        ("4600", "ikke et kommunenummer"),
        ("0300", "ikke et kommunenummer"),
    ],
)
def test_invalid_kommunenummer(value: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_kommunenummer(value)
    assert caught.value.field == "kommunenummer"
    assert fragment in caught.value.text
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("value", "on", "valid"),
    [
        ("3001", None, False),
        ("3001", date(2024, 1, 1), False),
        ("3001", date(2023, 12, 31), True),
        ("3001", date(2020, 1, 1), True),
        ("3001", date(2019, 12, 31), False),
        ("3801", date(2022, 6, 1), True),
        ("5401", date(2022, 6, 1), True),
        ("0101", date(2019, 12, 31), True),
        ("0101", date(2020, 1, 1), False),
        ("1201", date(1990, 1, 1), True),
        ("1601", date(2017, 12, 31), True),
        ("1601", date(2018, 1, 1), False),
        ("1702", date(2018, 1, 1), False),
    ],
)
def test_historic_kommunenummer_depends_on_date(value: str, on: date | None, valid: bool) -> None:
    if valid:
        assert validate_kommunenummer(value, on=on) == value
    else:
        with pytest.raises(ValidationError):
            validate_kommunenummer(value, on=on)


@pytest.mark.parametrize(
    ("number", "county"),
    [("3001", "Viken"), ("3801", "Vestfold og Telemark"), ("1201", "Hordaland")],
)
def test_county_for_historic_numbers(number: str, county: str) -> None:
    assert county_for(number) == county


@pytest.mark.parametrize("number", ["9901", "301", "abcd"])
def test_county_for_rejects_unknown(number: str) -> None:
    with pytest.raises(ValidationError):
        county_for(number)


def test_county_tables_do_not_overlap() -> None:
    assert len(COUNTIES) == 15
    assert not set(COUNTIES) & set(HISTORIC_COUNTIES)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(301, "0301"), (301.0, "0301"), (4601, "4601"), ("0301", "0301"), ("301", "0301")],
)
def test_kommunenummer_from_cell(cell: object, expected: str) -> None:
    assert kommunenummer_from_cell(cell) == expected


@pytest.mark.parametrize("cell", [None, True, 301.5, -1, 10000, "", "  ", b"0301"])
def test_kommunenummer_from_cell_rejects(cell: object) -> None:
    with pytest.raises(ValidationError):
        kommunenummer_from_cell(cell)


@pytest.mark.parametrize(
    "value",
    ["974760673", "974 760 673", " 974760673 ", "NO 974 760 673 MVA", "no974760673mva"],
)
def test_valid_orgnr(value: str) -> None:
    assert validate_orgnr(value) == "974760673"


def test_orgnr_with_wrong_check_digit() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_orgnr("974760672")
    assert caught.value.field == "organisasjonsnummer"
    assert "kontrollsiffer" in caught.value.text


@pytest.mark.parametrize("value", ["97476067", "9747606730", "97476067A", "abcdefghi", "", "NO"])
def test_orgnr_with_wrong_length_or_characters(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_orgnr(value)
    assert "kontrollsiffer" not in caught.value.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://www.orcid.org/0000-0002-1825-0097/", "0000-0002-1825-0097"),
        ("orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("0000000218250097", "0000-0002-1825-0097"),
        ("0000-0002-1694-233x", "0000-0002-1694-233X"),
    ],
)
def test_valid_orcid(value: str, expected: str) -> None:
    assert validate_orcid(value) == expected


def test_orcid_with_wrong_check_digit() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_orcid("0000-0002-1825-0098")
    assert caught.value.field == "orcid"
    assert "kontrollsiffer" in caught.value.text


@pytest.mark.parametrize(
    "value", ["1234", "0000-0002-1825-009", "0000-0002-1825-00977", "X000-0002-1825-0097", ""]
)
def test_orcid_with_wrong_format(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_orcid(value)
    assert "kontrollsiffer" not in caught.value.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("bokmål", LanguageDecision.BOKMAL),
        ("Bokmal", LanguageDecision.BOKMAL),
        (" BOKMÅL ", LanguageDecision.BOKMAL),
        ("nb", LanguageDecision.BOKMAL),
        ("nynorsk", LanguageDecision.NYNORSK),
        ("NN", LanguageDecision.NYNORSK),
        ("Nynorsk\t", LanguageDecision.NYNORSK),
        ("nøytral", LanguageDecision.NEUTRAL),
        ("noytral", LanguageDecision.NEUTRAL),
        ("Nøytral", LanguageDecision.NEUTRAL),
        ("neutral", LanguageDecision.NEUTRAL),
        ("språknøytral", LanguageDecision.NEUTRAL),
    ],
)
def test_parse_language_decision(value: str, expected: LanguageDecision) -> None:
    assert parse_language_decision(value) is expected


@pytest.mark.parametrize("value", ["", "svensk", "samisk", "bokmål og nynorsk", "n"])
def test_parse_language_decision_rejects(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_language_decision(value)
    assert caught.value.field == "målform"


def test_language_values_and_labels() -> None:
    assert [d.value for d in LanguageDecision] == ["bokmal", "nynorsk", "neutral"]
    assert set(LANGUAGE_LABELS) == set(LanguageDecision)
    assert LANGUAGE_LABELS[LanguageDecision.BOKMAL] == "Bokmål"


@pytest.mark.parametrize("value", ["000000000", "123456785"])
def test_orgnr_must_start_with_8_or_9(value: str) -> None:
    from stdnum.no import orgnr

    assert orgnr.is_valid(value)  # the check digit alone would let it through
    with pytest.raises(ValidationError) as excinfo:
        validate_orgnr(value)
    assert "8 eller 9" in excinfo.value.text
