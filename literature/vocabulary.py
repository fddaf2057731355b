"""The literature app's fixed vocabularies (formats, verdicts, reason codes, GRADE
certainty, screening stages …), shared by its schemas and rules."""

from __future__ import annotations

from enum import StrEnum


class ImportFormat(StrEnum):
    RIS = "ris"
    BIBTEX = "bibtex"
    MEDLINE = "medline"
    CSLJSON = "csljson"
    XLSX = "xlsx"
    CSV = "csv"


class Verdict(StrEnum):
    ANSWERED = "answered"  # besvart
    PARTLY = "partly"  # delvis besvart
    UNANSWERED = "unanswered"  # ubesvart: knowledge gap


class ReasonCode(StrEnum):
    """Why uncertainty persists (domain.md §3)."""

    A = "A"  # no systematic review
    B = "B"  # review found no RCTs
    C = "C"  # RCTs but no meta-analysis
    D = "D"  # meta-analysis but uncertainty remains
    E = "E"  # inconclusive Cochrane/Campbell review


class Certainty(StrEnum):
    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"


class Stage(StrEnum):
    TITLE = "title"  # title and abstract
    FULLTEXT = "fulltext"


class ScreeningChoice(StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"
    UNCERTAIN = "uncertain"


class EvidenceScale(StrEnum):
    UNGSINN = "ungsinn"  # current scale 0-5 (since 2015)
    UNGSINN_OLD = "ungsinn_old"  # 1-4 (before 2015)
    GRADE = "grade"
    EIF = "eif"  # Foundations / Early Intervention Foundation


# --- Imports -----------------------------------------------------------------------------------
