"""Tests for the privacy guard; every ID number here is generated, never copied from anywhere."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from stdnum.no import fodselsnummer

from klynge.privacy import (
    FieldProblem,
    Finding,
    FindingKind,
    PersonalDataError,
    check_fields,
    contains_national_id,
    ensure_no_national_id,
    is_national_id,
    mask,
    scan,
)

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def with_check_digits(base: str, k1_remainder: int = 0) -> str | None:
    """base (9 digits) plus the check digits, or None when no digit fits."""
    k1 = (k1_remainder - sum(w * int(d) for w, d in zip(K1_WEIGHTS, base, strict=True))) % 11
    if k1 == 10:
        return None
    ten = base + str(k1)
    k2 = -sum(w * int(d) for w, d in zip(K2_WEIGHTS, ten, strict=True)) % 11
    if k2 == 10:
        return None
    return ten + str(k2)


def make_id(date6: str, first_individual: int = 500, k1_remainder: int = 0) -> str:
    """The first valid number for date6 with an individual number from first_individual up."""
    for individual in range(first_individual, 1000):
        number = with_check_digits(f"{date6}{individual:03d}", k1_remainder)
        if number is not None:
            return number
    raise AssertionError(f"no valid number for {date6}")


# Born in 1860 (individual numbers 500-749 with year >= 54), so nobody alive holds these.
NORMAL = make_id("150360")
D_NUMBER = make_id("550360")  # day + 40
H_NUMBER = make_id("154360")  # month + 40
SYNTHETIC = make_id("158360")  # month + 80 (Skatteetaten's Tenor test persons)
SYNTHETIC_D = make_id("558360")
RULE_2032 = {remainder: make_id("150360", k1_remainder=remainder) for remainder in (1, 2, 3)}


def test_helper_agrees_with_stdnum() -> None:
    assert fodselsnummer.is_valid(NORMAL)
    assert fodselsnummer.is_valid(D_NUMBER)
    assert fodselsnummer.is_valid(H_NUMBER)


def test_stdnum_rejects_the_variants_we_must_still_catch() -> None:
    assert not fodselsnummer.is_valid(SYNTHETIC)
    assert not fodselsnummer.is_valid(SYNTHETIC_D)
    for number in RULE_2032.values():
        assert not fodselsnummer.is_valid(number)


@pytest.mark.parametrize(
    "number",
    [NORMAL, D_NUMBER, H_NUMBER, SYNTHETIC, SYNTHETIC_D, *RULE_2032.values()],
    ids=["normal", "d", "h", "synthetic", "synthetic_d", "k1_rem1", "k1_rem2", "k1_rem3"],
)
def test_valid_numbers_are_found(number: str) -> None:
    text = f"Barnet har nummer {number} i journalen."
    assert is_national_id(number)
    assert contains_national_id(text)
    [finding] = scan(text)
    assert finding.kind is FindingKind.NATIONAL_ID
    assert text[finding.start : finding.end] == number


@pytest.mark.parametrize("remainder", [1, 2, 3])
def test_2032_rule_can_be_switched_off(remainder: int) -> None:
    number = RULE_2032[remainder]
    assert is_national_id(number, rule_2032=True)
    assert not is_national_id(number, rule_2032=False)


def test_k1_remainder_4_is_not_accepted() -> None:
    number = make_id("150360", k1_remainder=4)
    assert not is_national_id(number)
    assert not contains_national_id(number)


@pytest.mark.parametrize("wrong", range(1, 10))
def test_wrong_second_check_digit_is_not_flagged(wrong: int) -> None:
    number = NORMAL[:10] + str((int(NORMAL[10]) + wrong) % 10)
    assert not is_national_id(number)
    assert scan(f"Saksnummer {number}") == []
    assert mask(number) == number


@pytest.mark.parametrize(
    "value", [f"nr {NORMAL}", f"{NORMAL}1", NORMAL[:10], f"{NORMAL[:3]}x{NORMAL[3:]}", ""]
)
def test_is_national_id_wants_exactly_one_number(value: str) -> None:
    assert not is_national_id(value)
    assert is_national_id(f" {NORMAL[:6]} {NORMAL[6:]} ")


@pytest.mark.parametrize("number", ["12345678901", "00000000001", "99999999999"])
def test_random_eleven_digits_are_not_flagged(number: str) -> None:
    assert not contains_national_id(f"Referanse {number}")


@pytest.mark.parametrize(
    "date6",
    [
        "320360",  # day 32
        "000360",  # day 0
        "721360",  # D-number day 32
        "151360",  # month 13
        "153360",  # month 33 is no known offset
        "150060",  # month 0
        "290261",  # 29 February in a year that is never a leap year
    ],
)
def test_impossible_dates_are_not_flagged(date6: str) -> None:
    number = make_id(date6)
    assert not is_national_id(number)
    assert not contains_national_id(number)


def test_29_february_in_a_leap_year_is_flagged() -> None:
    assert contains_national_id(make_id("290260"))


def test_fh_numbers_are_not_flagged() -> None:
    # FH-numbers have no date; stdnum rejects them and so do we, to spare bank account numbers.
    number = make_id("812345")
    assert not fodselsnummer.is_valid(number)
    assert not contains_national_id(number)


def _layouts(number: str) -> list[str]:
    return [
        number,
        f"{number[:6]} {number[6:]}",
        f"{number[:6]}-{number[6:]}",
        f"{number[:6]}\u00a0{number[6:]}",
        f"{number[:3]} {number[3:6]} {number[6:9]} {number[9:]}",
        f"{number[:2]} {number[2:4]} {number[4:6]} {number[6:]}",
        f"{number[:6]} {number[6:9]} {number[9:]}",
    ]


@pytest.mark.parametrize("written", _layouts(SYNTHETIC) + _layouts(NORMAL))
def test_separators_are_recognised(written: str) -> None:
    text = f"fnr: {written}."
    [finding] = scan(text)
    assert finding.kind is FindingKind.NATIONAL_ID
    assert text[finding.start : finding.end] == written
    assert mask(text) == "fnr: [fjernet]."


@pytest.mark.parametrize(
    "text",
    [
        f"9{NORMAL}",
        f"{NORMAL}0",
        f"12{NORMAL}34",
        f"Kontonummer 00{SYNTHETIC}",
        f"\u0663{NORMAL}",  # an Arabic-Indic digit in front is still a digit
        f"{NORMAL}\uff10",  # so is a full-width zero after
        f"{NORMAL[:6]} {NORMAL[6:]}9",
    ],
)
def test_digits_inside_a_longer_run_are_not_flagged(text: str) -> None:
    assert not contains_national_id(text)
    assert mask(text) == text


@pytest.mark.parametrize("text", [f"ID{NORMAL}", f"fnr:{NORMAL}", f"({NORMAL})", f"x{NORMAL}y"])
def test_letters_and_punctuation_are_boundaries(text: str) -> None:
    assert contains_national_id(text)


def test_non_ascii_digits_are_caught() -> None:
    fullwidth = "".join(chr(0xFF10 + int(d)) for d in NORMAL)
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in SYNTHETIC)
    assert contains_national_id(f"nr {fullwidth}")
    assert contains_national_id(f"nr {arabic_indic}")
    assert mask(f"nr {fullwidth}!") == "nr [fjernet]!"
    # Superscript digits are no digits (\d) until normalised (NFKC): counted after it.
    superscript = "".join("⁰¹²³⁴⁵⁶⁷⁸⁹"[int(d)] for d in NORMAL)
    assert contains_national_id(f"Ålesund {superscript}")


def test_number_after_another_number_is_still_found() -> None:
    # "123456 " could start a spaced ID number; it must not swallow the real one after it.
    text = f"123456 {NORMAL}"
    assert contains_national_id(text)
    [finding] = scan(text)
    assert text[finding.start : finding.end] == NORMAL


def test_finding_never_holds_the_value() -> None:
    [finding] = scan(f"nr {NORMAL}")
    assert {f.name for f in dataclasses.fields(Finding)} == {"kind", "start", "end"}
    assert NORMAL not in repr(finding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 0  # type: ignore[misc]


def test_mask_replaces_every_number_and_nothing_else() -> None:
    text = f"A {NORMAL}, B {D_NUMBER[:6]} {D_NUMBER[6:]}, tlf 912 34 567, ola@nav.no"
    assert mask(text) == "A [fjernet], B [fjernet], tlf 912 34 567, ola@nav.no"
    assert mask("Ingen personopplysninger her.") == "Ingen personopplysninger her."
    assert mask("") == ""


@pytest.mark.parametrize(
    "written",
    [
        "912 34 567",
        "91 23 45 67",
        "91234567",
        "412-34-567",
        "+47 912 34 567",
        "+4791234567",
        "0047 91234567",
        "22 33 44 55",
        "55 12 34 56",
    ],
)
def test_phone_numbers_are_warnings(written: str) -> None:
    text = f"Ring {written} i dag"
    [finding] = scan(text)
    assert finding.kind is FindingKind.PHONE
    assert text[finding.start : finding.end] == written
    assert not contains_national_id(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ring 012 34 567",  # Norwegian numbers never start with 0
        "Ring 11 22 33 44",  # nor with 1
        "Budsjett 912345678",  # 9 digits
        "År 2015 2016",
        "Konto 1234 56 78901",
        "Svensk nummer +46 70 123 45 67",
    ],
)
def test_non_phone_numbers_are_not_warnings(text: str) -> None:
    assert [f for f in scan(text) if f.kind is FindingKind.PHONE] == []


@pytest.mark.parametrize(
    "address",
    ["ola.nordmann@kommune.no", "kåre.øvrebø@bærum.kommune.no", "ola+barnevern@eksempel.com"],
)
def test_email_addresses_are_warnings(address: str) -> None:
    text = f"Skriv til {address}."
    [finding] = scan(text)
    assert finding.kind is FindingKind.EMAIL
    assert text[finding.start : finding.end] == address


@pytest.mark.parametrize("text", ["ola@localhost", "send @ nav.no", "a@b.c1", "epost@"])
def test_non_addresses_are_not_warnings(text: str) -> None:
    assert [f for f in scan(text) if f.kind is FindingKind.EMAIL] == []


@pytest.mark.parametrize(
    "text",
    [
        "Gutten er født 12.03.2015.",
        "Jenta er fødd 1. mars 2015.",
        "Eleven (f. 12/03/15) går i 4. klasse.",
        "Fødselsdato: 2015-03-12",
        "FØDT DEN 3.4.2016",
    ],
)
def test_birth_dates_are_warnings(text: str) -> None:
    kinds = [f.kind for f in scan(text)]
    assert kinds == [FindingKind.BIRTH_DATE]


@pytest.mark.parametrize(
    "text",
    [
        "født 31.02.2015",  # no such date
        "Møtet 12.03.2015 handlet om rutiner.",
        "Ref. 12.03.2015",
        "Barn født etter 2015",
    ],
)
def test_other_dates_are_not_birth_dates(text: str) -> None:
    assert scan(text) == []


def test_check_fields_gives_one_problem_per_field_and_kind() -> None:
    problems = check_fields(
        {
            "tittel": "Ring 912 34 567 eller 22 33 44 55",
            "beskrivelse": f"Gjelder {NORMAL} og {SYNTHETIC}, tlf 91234567",
            "notat": None,
            "tom": "",
            "ren": "Hvordan følger vi opp barn som bytter skole?",
        }
    )
    assert [(p.field, p.kind, p.blocking) for p in problems] == [
        ("tittel", FindingKind.PHONE, False),
        ("beskrivelse", FindingKind.NATIONAL_ID, True),
        ("beskrivelse", FindingKind.PHONE, False),
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"nr {NORMAL}", FindingKind.NATIONAL_ID),
        ("tlf 912 34 567", FindingKind.PHONE),
        ("ola@nav.no", FindingKind.EMAIL),
        ("født 12.03.2015", FindingKind.BIRTH_DATE),
    ],
)
def test_messages_are_norwegian_and_never_contain_digits(text: str, kind: FindingKind) -> None:
    [problem] = check_fields({"felt": text})
    assert problem == FieldProblem("felt", kind, kind is FindingKind.NATIONAL_ID, problem.message)
    assert problem.message.startswith("Feltet ")
    assert not any(ch.isdigit() for ch in problem.message)


def test_national_id_message_explains_why() -> None:
    [problem] = check_fields({"felt": NORMAL})
    assert "fødselsnummer" in problem.message
    assert "Et kunnskapsbehov skal handle om grupper og praksis" in problem.message


def test_ensure_no_national_id_returns_warnings() -> None:
    warnings = ensure_no_national_id({"a": "ola@nav.no", "b": None})
    assert [(w.field, w.kind, w.blocking) for w in warnings] == [("a", FindingKind.EMAIL, False)]
    assert ensure_no_national_id({"a": "Helt vanlig tekst."}) == []


def test_ensure_no_national_id_raises_naming_fields_only() -> None:
    fields = {"tittel": f"Gjelder {NORMAL}", "beskrivelse": f"Se {D_NUMBER}", "tlf": "91234567"}
    with pytest.raises(PersonalDataError) as caught:
        ensure_no_national_id(fields)
    error = caught.value
    assert isinstance(error, ValueError)
    message = str(error)
    assert "tittel" in message
    assert "beskrivelse" in message
    assert "tlf" not in message
    assert not any(ch.isdigit() for ch in message)
    assert [(p.field, p.kind) for p in error.problems if p.blocking] == [
        ("tittel", FindingKind.NATIONAL_ID),
        ("beskrivelse", FindingKind.NATIONAL_ID),
    ]
    assert any(p.kind is FindingKind.PHONE for p in error.problems)


def test_findings_are_ordered_and_ids_win_over_warnings() -> None:
    text = f"ola@nav.no {NORMAL} 912 34 567"
    assert [f.kind for f in scan(text)] == [
        FindingKind.EMAIL,
        FindingKind.NATIONAL_ID,
        FindingKind.PHONE,
    ]


def _realistic_megabyte() -> str:
    paragraph = (
        "Kommunen ønsker kunnskap om hvordan barnevern og skole samarbeider om barn som "
        "bytter skole. Kontakt 912 34 567 eller ola@kommune.no. Saksnr 2024/1234, "
        "budsjett 1 200 000 kroner, møte 12.03.2024. "
    )
    return (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (_realistic_megabyte(), {FindingKind.PHONE, FindingKind.EMAIL}),
        ("a" * 1_000_000, set()),
        ("1" * 1_000_000, set()),
        ("1 " * 500_000, set()),
        ("født" + " " * 1_000_000, set()),
        ("a@" * 500_000, set()),
        ("a." * 500_000 + "@", set()),
        ("x@" + "a." * 500_000, set()),
        ("+47 " * 250_000, set()),
    ],
    ids=[
        "realistic",
        "letters",
        "digits",
        "spaced_digits",
        "keyword_spaces",
        "ats",
        "dots",
        "long_domain",
        "prefixes",
    ],
)
def test_a_megabyte_of_adversarial_text_is_scanned_to_the_end(
    text: str, kinds: set[FindingKind]
) -> None:
    # The speed of these inputs (a backtracking regex would take minutes) is measured in
    # bench/bench_privacy.py against a plain pass over the same text; here: the right answer.
    findings = scan(text)
    assert {finding.kind for finding in findings} == kinds
    assert all(0 <= f.start < f.end <= len(text) for f in findings)


# --- Normalised text: separators and look-alikes do not hide a number (issue 11) -----------


def _spread(number: str, separator: str) -> str:
    return f"{number[:6]}{separator}{number[6:]}"


@pytest.mark.parametrize(
    "written",
    [
        _spread(NORMAL, "\t"),
        _spread(NORMAL, "\n"),
        _spread(NORMAL, "  "),
        _spread(NORMAL, "/"),
        _spread(NORMAL, "."),
        _spread(NORMAL, "\u200b"),  # zero-width space
        _spread(NORMAL, "\u00ad"),  # soft hyphen
        _spread(NORMAL, "\u2014"),  # em dash
        _spread(NORMAL, "\u2212"),  # minus sign
        _spread(NORMAL, " \u2060 "),  # word joiner between spaces
        " ".join(NORMAL),  # every digit on its own
        f"{NORMAL[0:2]}.{NORMAL[2:4]}.{NORMAL[4:6]} {NORMAL[6:]}",  # as a date, then the rest
        f"{NORMAL[0:2]}/{NORMAL[2:4]}/{NORMAL[4:6]}-{NORMAL[6:9]} {NORMAL[9:]}",
        "".join(chr(0xFF10 + int(d)) for d in NORMAL),  # full-width digits
    ],
    ids=[
        "tab",
        "newline",
        "double_space",
        "slash",
        "dot",
        "zero_width_space",
        "soft_hyphen",
        "em_dash",
        "minus",
        "word_joiner",
        "spaced_digits",
        "date_then_rest",
        "mixed",
        "full_width",
    ],
)
def test_separators_and_look_alikes_do_not_hide_a_national_id(written: str) -> None:
    text = f"Saken gjelder {written} i fjor."
    assert contains_national_id(text)
    [finding] = [f for f in scan(text) if f.kind is FindingKind.NATIONAL_ID]
    # The finding points at the number in the original text, so masking removes all of it.
    assert text[finding.start : finding.end] == written
    assert mask(text) == "Saken gjelder [fjernet] i fjor."
    with pytest.raises(PersonalDataError):
        ensure_no_national_id({"bakgrunn": text})


@pytest.mark.parametrize(
    "text",
    [
        f"{NORMAL}2",  # 12 digits: not a national ID
        "Saksnr 2024/1234, budsjett 1 200 000 kroner, møte 12.03.2024.",
    ],
)
def test_longer_runs_and_ordinary_numbers_are_not_national_ids(text: str) -> None:
    assert not contains_national_id(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Familien bor i Storgata 5B i sentrum.", "Storgata 5B"),
        ("Møtet var i Kong Oscars gate 12.", "Oscars gate 12"),
        ("Skriv til Postboks 7800 Bergen.", "Postboks 7800"),
        ("Hun flyttet til Fjellveien 112 i fjor.", "Fjellveien 112"),
    ],
)
def test_street_addresses_are_warned_about(text: str, found: str) -> None:
    findings = [f for f in scan(text) if f.kind is FindingKind.ADDRESS]
    assert [text[f.start : f.end] for f in findings] == [found]
    [problem] = check_fields({"bakgrunn": text})
    assert (problem.kind, problem.blocking) == (FindingKind.ADDRESS, False)


def test_ordinary_norwegian_text_gives_under_one_percent_false_warnings() -> None:
    corpus = Path(__file__).parent / "data" / "ordinary_norwegian.txt"
    sentences = [
        line
        for line in corpus.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    warned = [s for s in sentences if scan(s)]
    assert len(sentences) >= 700
    assert len(warned) / len(sentences) < 0.01, warned


@pytest.mark.parametrize(
    "written",
    [
        _spread(NORMAL, "\n  "),  # a RIS value wrapped onto the next line
        _spread(NORMAL, " \u00ad- "),
        NORMAL[:5]
        + "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"[int(NORMAL[5])]
        + NORMAL[6:],  # one digit written as a superscript
    ],
    ids=["wrapped", "separators", "superscript"],
)
def test_the_digit_fast_path_keeps_numbers_among_other_digits(written: str) -> None:
    # Records carry years, DOIs and page numbers: more than 11 digits in all, never 11 in a row.
    text = f"TY  - JOUR\nTI  - Sak {written} (2021)\nPY  - 2021\nDO  - 10.5555/x.12345\nER  - "
    assert contains_national_id(text)
    assert not contains_national_id(text.replace(written, "sak"))
