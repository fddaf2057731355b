"""Privacy guard for free text that may be about children: refuses Norwegian national ID
numbers; warns about phone numbers, e-mail addresses, birth dates and street addresses.

Every check reads the text normalised (klynge.privacy.normalise): separators, look-alike dashes
and invisible characters cannot hide a number."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.privacy import national_id, warnings
from klynge.privacy.normalise import normalise

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
    "guard_text",
    "is_national_id",
    "mask",
    "normalise",
    "scan",
]


class FindingKind(StrEnum):
    NATIONAL_ID = "national_id"
    PHONE = "phone"
    EMAIL = "email"
    BIRTH_DATE = "birth_date"
    ADDRESS = "address"


@dataclass(frozen=True, slots=True)
class Finding:
    """Where something personal was found (in the original text); the value is never kept."""

    kind: FindingKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    kind: FindingKind
    blocking: bool
    message: str  # in the language of the request


# What replaces a national ID number in a text shown back ("[fjernet]" in bokmål): a msgid,
# translated in the language of the page or job that masks.
MASK = N_("[removed]")

MESSAGES: dict[FindingKind, str] = {
    FindingKind.NATIONAL_ID: N_(
        "The field contains what looks like a national identity number or D number. Remove "
        "it. A knowledge need is about groups and practice, never about one person."
    ),
    FindingKind.PHONE: N_(
        "The field seems to contain a phone number. Remove it if it can identify a person."
    ),
    FindingKind.EMAIL: N_(
        "The field seems to contain an e-mail address. Remove it if it can identify a person."
    ),
    FindingKind.BIRTH_DATE: N_(
        "The field seems to contain a date of birth. Remove it if it can identify a person."
    ),
    FindingKind.ADDRESS: N_(
        "The field seems to contain a street address. Remove it if it can identify a person."
    ),
}
REFUSED = N_("The text contains personal data that cannot be stored.")


class PersonalDataError(ValueError):
    """Text contains a national ID number; the message names the fields, never the number."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        fields = list(dict.fromkeys(p.field for p in problems if p.blocking))
        names = ", ".join(f"«{name}»" for name in fields)
        super().__init__(f"National identity number found in {names}.")


def is_national_id(value: str, *, rule_2032: bool = True) -> bool:
    """Whether the whole value (11 digits, however separated) is a plausible national ID."""
    normalised = normalise(value.strip()).text
    spans = national_id.candidate_spans(normalised, rule_2032=rule_2032)
    return spans == [(0, len(normalised))]


def scan(text: str) -> list[Finding]:
    """All personal data found in text, ordered by position (spans of the original text)."""
    normalised = normalise(text)
    ids = national_id.spans_in(normalised)
    findings = [Finding(FindingKind.NATIONAL_ID, start, end) for start, end in ids]
    for kind, finder in (
        (FindingKind.PHONE, warnings.phone_spans),
        (FindingKind.EMAIL, warnings.email_spans),
        (FindingKind.BIRTH_DATE, warnings.birth_date_spans),
        (FindingKind.ADDRESS, warnings.address_spans),
    ):
        for start, end in (normalised.span(s, e) for s, e in finder(normalised.text)):
            # A warning inside an ID number would only repeat the refusal less precisely.
            if not any(start < id_end and id_start < end for id_start, id_end in ids):
                findings.append(Finding(kind, start, end))
    findings.sort(key=lambda f: (f.start, f.end))
    return findings


_DIGIT = re.compile(r"\d")
# Digits with nothing but non-word characters between them: a superset of every chain the
# national ID search looks at (normalising only turns separators into " " or "-", removes
# format characters, which are non-word too, and NFKC-folds digits, done before this runs).
_LOOSE_CHAIN = re.compile(r"\d[\d\W_]*")


def _too_few_digits(text: str) -> bool:
    """No run of digits and separators in `text` holds 11 digits, so no national ID can be in it
    (most text: imports guard every field of 100,000 records). Normalising keeps ASCII digits
    as they are and gets its other digits from NFKC of single characters (superscripts, circled
    and full-width digits), which NFKC of the whole text gives as well."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        if len(_DIGIT.findall(text)) < national_id.LENGTH:
            return True
    elif sum(map(text.count, "0123456789")) < national_id.LENGTH:
        return True
    for chain in _LOOSE_CHAIN.finditer(text):
        if chain.end() - chain.start() >= national_id.LENGTH and (
            len(_DIGIT.findall(chain.group())) >= national_id.LENGTH
        ):
            return False
    return True


def contains_national_id(text: str) -> bool:
    if _too_few_digits(text):
        return False
    return bool(national_id.candidate_spans(normalise(text).text))


def check_fields(fields: Mapping[str, str | None]) -> list[FieldProblem]:
    """One problem per field and kind found; only national ID numbers are blocking."""
    problems: list[FieldProblem] = []
    for name, value in fields.items():
        if not value:
            continue
        kinds = {finding.kind for finding in scan(value)}
        problems.extend(
            FieldProblem(
                field=name,
                kind=kind,
                blocking=kind is FindingKind.NATIONAL_ID,
                message=_(MESSAGES[kind]),
            )
            for kind in FindingKind
            if kind in kinds
        )
    return problems


def ensure_no_national_id(fields: Mapping[str, str | None]) -> list[FieldProblem]:
    """Raise PersonalDataError if any field holds a national ID; otherwise return the warnings."""
    problems = check_fields(fields)
    if any(problem.blocking for problem in problems):
        raise PersonalDataError(problems)
    return problems


def mask(text: str) -> str:
    """text with every national ID number replaced by MASK (in the current language), for
    anything that must be logged or shown back."""
    marker = _(MASK)
    parts: list[str] = []
    pos = 0
    for start, end in national_id.spans_in(normalise(text)):
        parts.append(text[pos:start])
        parts.append(marker)
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
            REFUSED,
            [FieldError(p.field, MESSAGES[p.kind]) for p in exc.problems if p.blocking],
        ) from None
