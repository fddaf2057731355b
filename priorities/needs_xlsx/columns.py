"""The needs template's columns and the values each accepts: one list that the template and
the parser both read, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from klynge import excel
from klynge.excel import CellError as RowError


class PreventionLevel(StrEnum):
    UNIVERSAL = "universal"  # universell
    SELECTED = "selected"  # selektert
    INDICATED = "indicated"  # indikert


class IntendedUse(StrEnum):
    SERVICE_DEVELOPMENT = "service_development"
    DECISION = "decision"
    EVALUATE_MEASURE = "evaluate_measure"
    OTHER = "other"


PREVENTION_LABELS: dict[PreventionLevel, str] = {
    PreventionLevel.UNIVERSAL: "Universell",
    PreventionLevel.SELECTED: "Selektert",
    PreventionLevel.INDICATED: "Indikert",
}

INTENDED_USE_LABELS: dict[IntendedUse, str] = {
    IntendedUse.SERVICE_DEVELOPMENT: "Tjenesteutvikling",
    IntendedUse.DECISION: "Beslutning",
    IntendedUse.EVALUATE_MEASURE: "Evaluering av et tiltak",
    IntendedUse.OTHER: "Annet",
}

LANGUAGES = ("nb", "nn")
MIN_AGE, MAX_AGE = 0, 24  # the mandate's target group: children and youth 0-24 years
MAX_TITLE_LENGTH = 200
MAX_QUESTION_LENGTH = 4000
MAX_BACKGROUND_LENGTH = 10_000
MAX_TARGET_GROUP_LENGTH = 500
DEFAULT_MAX_ROWS = 2000
LIMITS = excel.Limits(max_columns=50, max_rows=DEFAULT_MAX_ROWS)

SHEET_NEEDS = "Kunnskapsbehov"
SHEET_GUIDE = "Veiledning"
SHEET_LISTS = "Lister"


@dataclass(frozen=True)
class NeedRow:
    """One valid row; `warnings` holds non-blocking privacy findings (phone, e-mail, birth date)."""

    row: int
    title: str
    question: str
    background: str
    age_from: int
    age_to: int
    target_group: str
    service_ids: tuple[int, ...]
    prevention_level: PreventionLevel
    intended_use: IntendedUse
    language: str
    warnings: tuple[RowError, ...] = ()


# --- Columns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # header in the template, and RowError.column
    aliases: tuple[str, ...]  # folded with excel.fold
    required: bool
    width: int


COLUMNS: tuple[Column, ...] = (
    Column("title", "Tittel", ("tittel", "title", "overskrift"), True, 40),
    Column("question", "Spørsmål", ("sporsmal", "question", "kunnskapssporsmal"), True, 60),
    Column("background", "Bakgrunn", ("bakgrunn", "background"), False, 50),
    Column("age_from", "Alder fra", ("alderfra", "agefrom", "fraalder"), True, 11),
    Column("age_to", "Alder til", ("aldertil", "ageto", "tilalder"), True, 11),
    Column("target_group", "Målgruppe", ("malgruppe", "targetgroup"), False, 30),
    Column(
        "services",
        "Tjenester",
        ("tjenester", "tjeneste", "tenester", "teneste", "services", "service"),
        True,
        40,
    ),
    Column(
        "prevention_level",
        "Forebyggingsnivå",
        ("forebyggingsniva", "forebygging", "preventionlevel", "prevention"),
        True,
        18,
    ),
    Column(
        "intended_use",
        "Bruk av svaret",
        ("brukavsvaret", "bruk", "intendeduse", "use"),
        True,
        24,
    ),
    Column("language", "Språk", ("sprak", "spraknbnn", "language", "malform"), False, 9),
)
BY_KEY = {column.key: column for column in COLUMNS}


def label(key: str) -> str:
    return BY_KEY[key].label


HEADER_ALIASES = excel.alias_table({column.key: column.aliases for column in COLUMNS})

# Keys, bokmål and nynorsk labels and English, all folded. Nynorsk "Universell/Selektert/Indikert"
# is spelled as bokmål.
PREVENTION_ALIASES: dict[str, PreventionLevel] = {
    alias: level
    for level, aliases in {
        PreventionLevel.UNIVERSAL: ("universal", "universell", "universelt"),
        PreventionLevel.SELECTED: ("selected", "selektert", "selektiv"),
        PreventionLevel.INDICATED: ("indicated", "indikert"),
    }.items()
    for alias in aliases
}
INTENDED_USE_ALIASES: dict[str, IntendedUse] = {
    alias: use
    for use, aliases in {
        IntendedUse.SERVICE_DEVELOPMENT: (
            "servicedevelopment",
            "tjenesteutvikling",
            "tenesteutvikling",
        ),
        IntendedUse.DECISION: ("decision", "beslutning", "avgjerd", "avgjersle"),
        IntendedUse.EVALUATE_MEASURE: (
            "evaluatemeasure",
            "evaluateameasure",
            "evalueringavettiltak",
            "evalueringaveittiltak",
            "evaluering",
        ),
        IntendedUse.OTHER: ("other", "annet", "anna"),
    }.items()
    for alias in aliases
}
LANGUAGE_ALIASES: dict[str, str] = {
    "nb": "nb",
    "nob": "nb",
    "bokmal": "nb",
    "nn": "nn",
    "nno": "nn",
    "nynorsk": "nn",
}
