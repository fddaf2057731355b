"""Pure rules of a project's overview: the lifecycle statuses' display labels, and the checks of
registrations elsewhere (ClinicalTrials, Cristin, NVA) and keywords. No Litestar, no Piccolo."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from klynge.errors import FieldError
from klynge.i18n import N_
from projects.workspace.lifecycle import STATUS_LABELS, Status

__all__ = ["STATUSES", "STATUS_LABELS"]

STATUSES = tuple(str(s) for s in Status)
REGISTRATIONS = ("cristin", "nva", "clinicaltrials")
REGISTRATION_LABELS: dict[str, str] = {
    "cristin": N_("Cristin project id"),
    "nva": N_("NVA project id"),
    "clinicaltrials": N_("ClinicalTrials.gov id"),
}
SUMMARY_LANGUAGES = ("nb", "nn")
KEYWORDS_MAX = 20
KEYWORD_LENGTH = 60

_NCT = re.compile(r"^NCT\d{8}$")
_DIGITS = re.compile(r"^\d{1,12}$")
_NVA = re.compile(r"^[A-Za-z0-9._:/-]{1,100}$")


def registration_link(kind: str, value: str) -> str | None:
    """Where a registration can be read, or None when it has no public address."""
    if kind == "clinicaltrials":
        return f"https://clinicaltrials.gov/study/{value}"
    if kind == "cristin":
        return f"https://app.cristin.no/projects/show.jsf?id={value}"
    if kind == "nva":
        return f"https://nva.sikt.no/projects/{value}"
    return None


def registration_errors(registrations: Mapping[str, str]) -> list[FieldError]:
    """What is wrong with the registrations (field `registrations.<kind>`); empty values are
    fine (nothing registered)."""
    errors: list[FieldError] = []
    for kind, raw in registrations.items():
        value = raw.strip()
        field = f"registrations.{kind}"
        if kind not in REGISTRATIONS:
            errors.append(FieldError(field, N_("Unknown registration.")))
        elif not value:
            continue
        elif kind == "clinicaltrials" and not _NCT.match(value.upper()):
            errors.append(FieldError(field, N_("A ClinicalTrials id is NCT followed by 8 digits.")))
        elif kind == "cristin" and not _DIGITS.match(value):
            errors.append(FieldError(field, N_("A Cristin project id is digits only.")))
        elif kind == "nva" and not _NVA.match(value):
            errors.append(FieldError(field, N_("Write the NVA id without spaces.")))
    return errors


def clean_registrations(registrations: Mapping[str, str]) -> dict[str, str]:
    """The registrations to store: trimmed, ClinicalTrials upper-cased, empty ones left out."""
    out: dict[str, str] = {}
    for kind in REGISTRATIONS:
        value = registrations.get(kind, "").strip()
        if value:
            out[kind] = value.upper() if kind == "clinicaltrials" else value
    return out


def clean_keywords(keywords: Iterable[str]) -> list[str]:
    """Keywords trimmed, without duplicates (case-insensitive), in the order given."""
    seen: set[str] = set()
    out: list[str] = []
    for word in keywords:
        text = " ".join(word.split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
