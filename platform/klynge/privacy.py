"""Privacy guard for free text that may be about children.

Refuses Norwegian national ID numbers; warns about phone numbers, e-mail addresses and birth dates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stdnum.no import fodselsnummer

__all__ = [
    "MASK",
    "MESSAGES",
    "FieldProblem",
    "Finding",
    "FindingKind",
    "PersonalDataError",
    "check_fields",
    "contains_national_id",
    "ensure_no_national_id",
    "is_national_id",
    "mask",
    "scan",
]


class FindingKind(StrEnum):
    NATIONAL_ID = "national_id"
    PHONE = "phone"
    EMAIL = "email"
    BIRTH_DATE = "birth_date"


@dataclass(frozen=True, slots=True)
class Finding:
    """Where something personal was found; the value itself is deliberately never kept."""

    kind: FindingKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    kind: FindingKind
    blocking: bool
    message: str


MASK = "[fjernet]"

MESSAGES: dict[FindingKind, str] = {
    FindingKind.NATIONAL_ID: (
        "Feltet inneholder det som ser ut som et fødselsnummer eller D-nummer. Fjern det. "
        "Et kunnskapsbehov skal handle om grupper og praksis, aldri om én person."
    ),
    FindingKind.PHONE: (
        "Feltet ser ut til å inneholde et telefonnummer. "
        "Fjern det hvis det kan identifisere en person."
    ),
    FindingKind.EMAIL: (
        "Feltet ser ut til å inneholde en e-postadresse. "
        "Fjern den hvis den kan identifisere en person."
    ),
    FindingKind.BIRTH_DATE: (
        "Feltet ser ut til å inneholde en fødselsdato. "
        "Fjern den hvis den kan identifisere en person."
    ),
}


class PersonalDataError(ValueError):
    """Text contains a national ID number; the message names the fields, never the number."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        fields = list(dict.fromkeys(p.field for p in problems if p.blocking))
        names = ", ".join(f"«{name}»" for name in fields)
        noun = "feltet" if len(fields) == 1 else "feltene"
        super().__init__(f"Fødselsnummer eller D-nummer funnet i {noun} {names}.")


# --- National ID numbers ---------------------------------------------------------------------

# Python's \d matches every Unicode decimal digit (category Nd), not only 0-9. We keep it that
# way on purpose: a number typed with full-width or Arabic-Indic digits identifies a person just
# as well, so such digits count both inside a candidate and as "more digits" at its boundaries.
# Candidates are converted to ASCII before any arithmetic.
_SEP = "[ \u00a0\u2009\u202f\\-\u2010\u2011\u2012\u2013]"
# The first digit is matched before the "no digit in front" lookbehind so that the pattern
# starts with a character class, which lets the regex engine skip non-digits quickly. Every
# quantifier is bounded, so each attempt costs constant time and a scan is linear.
_DATE_PART = rf"\d(?<!\d\d)(?:\d{{5}}|\d{_SEP}\d{{2}}{_SEP}\d{{2}}|\d{{2}}{_SEP}\d{{3}})"
_PERSONAL_PART = rf"(?:\d{{5}}|\d{{3}}{_SEP}\d{{2}})"
_NATIONAL_ID_RE = re.compile(rf"{_DATE_PART}{_SEP}?{_PERSONAL_PART}(?!\d)")

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
# From 2032 Skatteetaten lets the weighted sum for the first check digit leave remainder 0-3,
# not only 0. Numbers issued under that rule must be caught now, so it is on by default.
_K1_REMAINDERS_2032 = frozenset({0, 1, 2, 3})
_DAY_OFFSETS = (0, 40)  # D-number: day + 40
_MONTH_OFFSETS = (0, 40, 80)  # H-number and NAV synthetic: +40; Skatteetaten/Tenor synthetic: +80


def _ascii_digits(candidate: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) for ch in candidate if ch.isdecimal())


def _has_plausible_date(digits: str) -> bool:
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    for day_offset in _DAY_OFFSETS:
        for month_offset in _MONTH_OFFSETS:
            d, m = day - day_offset, month - month_offset
            if not (1 <= d <= 31 and 1 <= m <= 12):
                continue
            # Only 29 February depends on the century; 2000 was a leap year, 1900 was not.
            for century in (1800, 1900, 2000):
                try:
                    date(century + year, m, d)
                except ValueError:
                    continue
                return True
    return False


def _checksums_ok(digits: str, *, rule_2032: bool) -> bool:
    values = [int(ch) for ch in digits]
    k1_remainder = sum(w * v for w, v in zip(_K1_WEIGHTS, values[:10], strict=True)) % 11
    allowed = _K1_REMAINDERS_2032 if rule_2032 else frozenset({0})
    if k1_remainder not in allowed:
        return False
    return sum(w * v for w, v in zip(_K2_WEIGHTS, values, strict=True)) % 11 == 0


def is_national_id(value: str, *, rule_2032: bool = True) -> bool:
    """Whether value (11 digits, separators allowed) is a plausible Norwegian national ID.

    Accepts fødselsnummer, D-, H- and synthetic test numbers. FH-numbers (first digit 8 or 9,
    no date) are not accepted: stdnum rejects them, and without a date to check they would
    make too many ordinary 11-digit numbers, such as bank accounts, look like ID numbers.
    """
    candidate = value.strip()
    return bool(_NATIONAL_ID_RE.fullmatch(candidate)) and _is_valid_candidate(
        candidate, rule_2032=rule_2032
    )


def _is_valid_candidate(candidate: str, *, rule_2032: bool = True) -> bool:
    digits = _ascii_digits(candidate)
    if fodselsnummer.is_valid(digits):
        return True
    # stdnum rejects synthetic numbers, future or century-ambiguous dates and the 2032 rule.
    return _checksums_ok(digits, rule_2032=rule_2032) and _has_plausible_date(digits)


def _national_id_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    while match := _NATIONAL_ID_RE.search(text, pos):
        if _is_valid_candidate(match.group()):
            spans.append(match.span())
            pos = match.end()
        else:
            # A rejected candidate may overlap a real number starting later; retry just after it.
            pos = match.start() + 1
    return spans


# --- Warnings ----------------------------------------------------------------------------------

_PHONE_LAYOUT = (
    rf"\d{{7}}|\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}|\d{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}"
)
# Same trick as for ID numbers: consume the first character, then look behind it.
_PHONE_RE = re.compile(
    rf"[+\d](?<![\d+][+\d])"
    rf"(?:(?<=\+)47{_SEP}?\d(?:{_PHONE_LAYOUT})"  # +47 912 34 567
    rf"|(?<=0)047{_SEP}?\d(?:{_PHONE_LAYOUT})"  # 0047 912 34 567
    rf"|(?<=\d)(?:{_PHONE_LAYOUT}))"  # 912 34 567
    r"(?!\d)"
)

_LOCAL_CHAR = r"[\w.!#$%&'*+/=?^`{|}~-]"
# The local part may only start where a run of local-part characters starts, and its quantifier
# is possessive: a long run without "@" then fails once instead of once per position, which
# keeps the scan linear.
_EMAIL_RE = re.compile(
    rf"{_LOCAL_CHAR}(?<!{_LOCAL_CHAR}{_LOCAL_CHAR}){_LOCAL_CHAR}*+@"
    r"(?P<domain>[\w-]++(?:\.[\w-]++)++)"
)

_MONTH_NAMES = (
    "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des"
)
_MONTH_NUMBERS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan"),
            ("februar", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("desember", "des"),
        ),
        start=1,
    )
    for name in names
}
# født, fødd, fødselsdato, f.dato, fdato, f., born, date of birth, dob. The first letter comes
# before the lookbehind so that the regex engine can jump between candidate letters.
_BIRTH_RE = re.compile(
    r"[fbd](?<!\w[fbd])(?:ødt|ødd|ødselsdato|\.\s?dato|dato|\.|orn|ate\s+of\s+birth|ob)"
    r"[\s:]*+(?:den\s++)?"
    r"(?:"
    r"(?P<d1>\d{1,2})[./-](?P<m1>\d{1,2})[./-](?P<y1>\d{4}|\d{2})"
    rf"|(?P<d2>\d{{1,2}})\.?\s++(?P<m2>{_MONTH_NAMES})\.?\s++(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
    r")(?!\d)",
    re.IGNORECASE,
)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _PHONE_RE.finditer(text):
        # Norwegian subscriber numbers never start with 0 or 1; the last 8 digits are the number.
        if _ascii_digits(match.group())[-8] not in "01":
            spans.append(match.span())
    return spans


def _email_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _EMAIL_RE.finditer(text):
        tld = match.group("domain").rsplit(".", 1)[-1]
        if len(tld) >= 2 and tld.isalpha():
            spans.append(match.span())
    return spans


def _birth_date_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _BIRTH_RE.finditer(text):
        if match.group("d1"):
            day, month, year = match.group("d1", "m1", "y1")
        elif match.group("d2"):
            day, month, year = match.group("d2", "m2", "y2")
        else:
            day, month, year = match.group("d3", "m3", "y3")
        month_number = _MONTH_NUMBERS.get(month.casefold()) or int(_ascii_digits(month))
        year_number = int(_ascii_digits(year))
        if year_number < 100:
            year_number += 2000
        try:
            date(year_number, month_number, int(_ascii_digits(day)))
        except ValueError:
            continue
        spans.append(match.span())
    return spans


# --- Public API --------------------------------------------------------------------------------


def scan(text: str) -> list[Finding]:
    """All personal data found in text, ordered by position."""
    ids = _national_id_spans(text)
    findings = [Finding(FindingKind.NATIONAL_ID, start, end) for start, end in ids]
    for kind, spans in (
        (FindingKind.PHONE, _phone_spans(text)),
        (FindingKind.EMAIL, _email_spans(text)),
        (FindingKind.BIRTH_DATE, _birth_date_spans(text)),
    ):
        for start, end in spans:
            # A warning inside an ID number would only repeat the refusal less precisely.
            if not any(start < id_end and id_start < end for id_start, id_end in ids):
                findings.append(Finding(kind, start, end))
    findings.sort(key=lambda f: (f.start, f.end))
    return findings


def contains_national_id(text: str) -> bool:
    pos = 0
    while match := _NATIONAL_ID_RE.search(text, pos):
        if _is_valid_candidate(match.group()):
            return True
        pos = match.start() + 1
    return False


def check_fields(fields: Mapping[str, str | None]) -> list[FieldProblem]:
    """One problem per field and kind found; only national ID numbers are blocking."""
    problems: list[FieldProblem] = []
    for name, value in fields.items():
        if not value:
            continue
        kinds = {finding.kind for finding in scan(value)}
        for kind in FindingKind:
            if kind in kinds:
                problems.append(
                    FieldProblem(
                        field=name,
                        kind=kind,
                        blocking=kind is FindingKind.NATIONAL_ID,
                        message=MESSAGES[kind],
                    )
                )
    return problems


def ensure_no_national_id(fields: Mapping[str, str | None]) -> list[FieldProblem]:
    """Raise PersonalDataError if any field holds a national ID; otherwise return the warnings."""
    problems = check_fields(fields)
    if any(problem.blocking for problem in problems):
        raise PersonalDataError(problems)
    return problems


def mask(text: str) -> str:
    """text with every national ID number replaced by MASK, for anything that must be logged."""
    parts: list[str] = []
    pos = 0
    for start, end in _national_id_spans(text):
        parts.append(text[pos:start])
        parts.append(MASK)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def guard_text(fields: Mapping[str, str | None]) -> list[FieldProblem]:
    """The use cases' guard: refuse a national ID number with a 422 naming each field (the
    number is never echoed, nothing is stored); return the non-blocking warnings."""
    from klynge.errors import FieldError, Invalid

    try:
        return ensure_no_national_id(fields)
    except PersonalDataError as exc:
        raise Invalid(
            "Teksten inneholder personopplysninger som ikke kan lagres.",
            [FieldError(p.field, p.message) for p in exc.problems if p.blocking],
        ) from None
