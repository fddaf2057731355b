"""Pure validators for Norwegian organisation data: kommunenummer, orgnr, ORCID and målform.

Error messages are English msgids (N_()) with params, translated where they are shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.iso7064 import mod_11_2
from stdnum.no import orgnr

from klynge.i18n import N_
from klynge.i18n import gettext as _

__all__ = [
    "COUNTIES",
    "COUNTY_REFORM_2020",
    "COUNTY_REFORM_2024",
    "HISTORIC_COUNTIES",
    "LANGUAGE_LABELS",
    "TRONDELAG_MERGER",
    "HistoricCounty",
    "LanguageDecision",
    "ValidationError",
    "county_for",
    "kommunenummer_from_cell",
    "parse_language_decision",
    "validate_kommunenummer",
    "validate_orcid",
    "validate_orgnr",
]


class ValidationError(ValueError):
    """`message` is an English msgid; `params` fill its %(name)s placeholders."""

    def __init__(self, field: str, message: str, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.params: dict[str, Any] = dict(params or {})

    @property
    def text(self) -> str:
        """The message in the current language, placeholders filled."""
        text = _(self.message)
        try:
            return text % self.params if self.params else text
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
            return self.message % self.params


COUNTY_REFORM_2024 = date(2024, 1, 1)
COUNTY_REFORM_2020 = date(2020, 1, 1)
TRONDELAG_MERGER = date(2018, 1, 1)

COUNTIES: dict[str, str] = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "31": "Østfold",
    "32": "Akershus",
    "33": "Buskerud",
    "34": "Innlandet",
    "39": "Vestfold",
    "40": "Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "55": "Troms",
    "56": "Finnmark",
}


@dataclass(frozen=True, slots=True)
class HistoricCounty:
    """A county code no longer in use, valid from valid_from (None: always) until valid_until."""

    name: str
    valid_from: date | None
    valid_until: date  # exclusive

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and on < self.valid_until


def _pre_2020(name: str) -> HistoricCounty:
    return HistoricCounty(name, None, COUNTY_REFORM_2020)


# Codes that are also current (03, 11, 15, 18, 50) are left out: current codes are always valid.
HISTORIC_COUNTIES: dict[str, HistoricCounty] = {
    "30": HistoricCounty("Viken", COUNTY_REFORM_2020, COUNTY_REFORM_2024),
    "38": HistoricCounty("Vestfold og Telemark", COUNTY_REFORM_2020, COUNTY_REFORM_2024),
    "54": HistoricCounty("Troms og Finnmark", COUNTY_REFORM_2020, COUNTY_REFORM_2024),
    "01": _pre_2020("Østfold"),
    "02": _pre_2020("Akershus"),
    "04": _pre_2020("Hedmark"),
    "05": _pre_2020("Oppland"),
    "06": _pre_2020("Buskerud"),
    "07": _pre_2020("Vestfold"),
    "08": _pre_2020("Telemark"),
    "09": _pre_2020("Aust-Agder"),
    "10": _pre_2020("Vest-Agder"),
    "12": _pre_2020("Hordaland"),
    "14": _pre_2020("Sogn og Fjordane"),
    # Sør- and Nord-Trøndelag became Trøndelag (50) two years before the 2020 reform.
    "16": HistoricCounty("Sør-Trøndelag", None, TRONDELAG_MERGER),
    "17": HistoricCounty("Nord-Trøndelag", None, TRONDELAG_MERGER),
    "19": _pre_2020("Troms"),
    "20": _pre_2020("Finnmark"),
}

_FIELD_KOMMUNENUMMER = "kommunenummer"
_FOUR_DIGITS = re.compile(r"[0-9]{4}")


def validate_kommunenummer(value: str, *, on: date | None = None) -> str:
    """The kommunenummer as 4 digits, if it names a municipality that can exist on `on`.

    Current county codes are always accepted; codes from earlier county structures only when
    `on` (default: today) falls inside the period they were in use.
    """
    number = value.strip()
    if not _FOUR_DIGITS.fullmatch(number):
        raise ValidationError(
            _FIELD_KOMMUNENUMMER,
            N_("The municipality number must be exactly four digits, for example 0301."),
        )
    prefix = number[:2]
    if prefix not in COUNTIES:
        historic = HISTORIC_COUNTIES.get(prefix)
        if historic is None:
            raise ValidationError(
                _FIELD_KOMMUNENUMMER,
                N_("The municipality number starts with %(prefix)s, which is not a county number."),
                {"prefix": prefix},
            )
        if not historic.valid_on(on or date.today()):
            raise ValidationError(
                _FIELD_KOMMUNENUMMER,
                N_(
                    "County number %(prefix)s (%(county)s) was not in use on the given date. "
                    "Use today's municipality number or a valid-from date from when the "
                    "number applied."
                ),
                {"prefix": prefix, "county": historic.name},
            )
    if number.endswith("00"):
        raise ValidationError(
            _FIELD_KOMMUNENUMMER,
            N_("%(number)s is a county number, not a municipality number."),
            {"number": number},
        )
    return number


def county_for(kommunenummer: str) -> str:
    """The name of the county a kommunenummer belongs to (historic name for historic codes)."""
    number = kommunenummer.strip()
    if not _FOUR_DIGITS.fullmatch(number):
        raise ValidationError(
            _FIELD_KOMMUNENUMMER,
            N_("The municipality number must be exactly four digits, for example 0301."),
        )
    prefix = number[:2]
    if prefix in COUNTIES:
        return COUNTIES[prefix]
    if prefix in HISTORIC_COUNTIES:
        return HISTORIC_COUNTIES[prefix].name
    raise ValidationError(
        _FIELD_KOMMUNENUMMER,
        N_("The municipality number starts with %(prefix)s, which is not a county number."),
        {"prefix": prefix},
    )


def kommunenummer_from_cell(value: object) -> str:
    """A spreadsheet cell as 4-digit kommunenummer text, not yet validated.

    Spreadsheet programs store 0301 as the number 301, and CSV files saved from them lose the
    leading zero too, so integral numbers and 3-digit text get it back.
    """
    if isinstance(value, bool) or value is None:
        raise ValidationError(_FIELD_KOMMUNENUMMER, N_("The municipality number is missing."))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(
                _FIELD_KOMMUNENUMMER,
                N_("The municipality number must be a whole number with four digits."),
            )
        value = int(value)
    if isinstance(value, int):
        if not 0 <= value <= 9999:
            raise ValidationError(
                _FIELD_KOMMUNENUMMER, N_("The municipality number must be exactly four digits.")
            )
        return f"{value:04d}"
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValidationError(_FIELD_KOMMUNENUMMER, N_("The municipality number is missing."))
        if len(text) == 3 and text.isascii() and text.isdigit():
            return "0" + text
        return text
    raise ValidationError(
        _FIELD_KOMMUNENUMMER, N_("The municipality number must be exactly four digits.")
    )


_FIELD_ORGNR = "organisasjonsnummer"


def validate_orgnr(value: str) -> str:
    """The 9-digit organisasjonsnummer; accepts spaces and the VAT form "NO 974 760 673 MVA"."""
    text = "".join(value.split()).upper().replace(".", "").replace("-", "")
    # The VAT form (NO 974 760 673 MVA) is how many invoices and letterheads show the number.
    if text.endswith("MVA"):
        text = text[:-3]
    if text.startswith("NO"):
        text = text[2:]
    if not text:
        raise ValidationError(_FIELD_ORGNR, N_("The organisation number is missing."))
    if len(text) != 9 or not (text.isascii() and text.isdigit()):
        raise ValidationError(
            _FIELD_ORGNR, N_("The organisation number must be exactly nine digits.")
        )
    # Brønnøysundregistrene hand out numbers starting with 8 or 9; 000000000 passes mod 11.
    if text[0] not in "89":
        raise ValidationError(
            _FIELD_ORGNR, N_("An organisation number starts with 8 or 9. Check that it is correct.")
        )
    try:
        return orgnr.validate(text)
    except InvalidChecksum:
        raise ValidationError(
            _FIELD_ORGNR,
            N_(
                "The organisation number has a wrong check digit. "
                "Check that it is written correctly."
            ),
        ) from None
    except StdnumValidationError:
        raise ValidationError(
            _FIELD_ORGNR, N_("The organisation number must be exactly nine digits.")
        ) from None


_FIELD_ORCID = "orcid"
_ORCID_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_ORCID_BODY = re.compile(r"[0-9]{15}[0-9X]")


def validate_orcid(value: str) -> str:
    """The ORCID iD as 0000-0002-1825-0097; accepts the bare form or an orcid.org URL."""
    text = _ORCID_PREFIX.sub("", value.strip()).rstrip("/")
    compact = text.replace("-", "").replace(" ", "").upper()
    if not compact:
        raise ValidationError(_FIELD_ORCID, N_("The ORCID is missing."))
    if not _ORCID_BODY.fullmatch(compact):
        raise ValidationError(
            _FIELD_ORCID,
            N_("An ORCID has 16 characters in four groups, for example 0000-0002-1825-0097."),
        )
    if not mod_11_2.is_valid(compact):
        raise ValidationError(
            _FIELD_ORCID,
            N_("The ORCID has a wrong check digit. Check that it is written correctly."),
        )
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


class LanguageDecision(StrEnum):
    """A municipality's official målform (språkvedtak)."""

    BOKMAL = "bokmal"
    NYNORSK = "nynorsk"
    NEUTRAL = "neutral"


LANGUAGE_LABELS: dict[LanguageDecision, str] = {
    LanguageDecision.BOKMAL: "Bokmål",
    LanguageDecision.NYNORSK: "Nynorsk",
    LanguageDecision.NEUTRAL: "Nøytral",
}

# Keys are folded by _fold_language: lower case, no spaces or punctuation, ø/æ/å spelt out.
_LANGUAGE_ALIASES: dict[str, LanguageDecision] = {
    "bokmal": LanguageDecision.BOKMAL,
    "bokmaal": LanguageDecision.BOKMAL,
    "nb": LanguageDecision.BOKMAL,
    "nob": LanguageDecision.BOKMAL,
    "nynorsk": LanguageDecision.NYNORSK,
    "nn": LanguageDecision.NYNORSK,
    "nno": LanguageDecision.NYNORSK,
    "noytral": LanguageDecision.NEUTRAL,
    "noeytral": LanguageDecision.NEUTRAL,
    "noitral": LanguageDecision.NEUTRAL,
    "neutral": LanguageDecision.NEUTRAL,
    "spraknoytral": LanguageDecision.NEUTRAL,
    "malformnoytral": LanguageDecision.NEUTRAL,
}

_NORWEGIAN_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "å": "a"})


def _fold_language(value: str) -> str:
    text = value.casefold().translate(_NORWEGIAN_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def parse_language_decision(value: str) -> LanguageDecision:
    """bokmål/bokmal/nb, nynorsk/nn or nøytral/noytral/neutral, in any case and spacing."""
    decision = _LANGUAGE_ALIASES.get(_fold_language(value))
    if decision is None:
        raise ValidationError(
            "målform", N_("The language decision must be bokmål, nynorsk or neutral.")
        )
    return decision
