"""Excel template for knowledge needs, and the parser that imports a filled-in copy.

Every problem in the file is reported at once (row and column), so a cluster can fix it in one go.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

# The zip check is the core's on purpose: one implementation of the zip-bomb defence to keep right.
from klynge.orgs.municipality_file import (
    MAX_FILE_BYTES,
    FileFormatError,
    RowError,
    check_zip,
    split_header,
)
from klynge.privacy import check_fields, mask

__all__ = [
    "INTENDED_USE_LABELS",
    "MAX_AGE",
    "MAX_BACKGROUND_LENGTH",
    "MAX_QUESTION_LENGTH",
    "MAX_TARGET_GROUP_LENGTH",
    "MAX_TITLE_LENGTH",
    "PREVENTION_LABELS",
    "SHEET_GUIDE",
    "SHEET_LISTS",
    "SHEET_NEEDS",
    "FileFormatError",
    "IntendedUse",
    "NeedRow",
    "PreventionLevel",
    "RowError",
    "build_template",
    "parse_needs_file",
]


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
MAX_COLUMNS = 50
DEFAULT_MAX_ROWS = 2000

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
class _Column:
    key: str
    label: str  # header in the template, and RowError.column
    aliases: tuple[str, ...]  # folded with _fold
    required: bool
    width: int


_COLUMNS: tuple[_Column, ...] = (
    _Column("title", "Tittel", ("tittel", "title", "overskrift"), True, 40),
    _Column("question", "Spørsmål", ("sporsmal", "question", "kunnskapssporsmal"), True, 60),
    _Column("background", "Bakgrunn", ("bakgrunn", "background"), False, 50),
    _Column("age_from", "Alder fra", ("alderfra", "agefrom", "fraalder"), True, 11),
    _Column("age_to", "Alder til", ("aldertil", "ageto", "tilalder"), True, 11),
    _Column("target_group", "Målgruppe", ("malgruppe", "targetgroup"), False, 30),
    _Column(
        "services",
        "Tjenester",
        ("tjenester", "tjeneste", "tenester", "teneste", "services", "service"),
        True,
        40,
    ),
    _Column(
        "prevention_level",
        "Forebyggingsnivå",
        ("forebyggingsniva", "forebygging", "preventionlevel", "prevention"),
        True,
        18,
    ),
    _Column(
        "intended_use",
        "Bruk av svaret",
        ("brukavsvaret", "bruk", "intendeduse", "use"),
        True,
        24,
    ),
    _Column("language", "Språk", ("sprak", "spraknbnn", "language", "malform"), False, 9),
)
_BY_KEY = {column.key: column for column in _COLUMNS}


def _label(key: str) -> str:
    return _BY_KEY[key].label


_NORWEGIAN_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "å": "a"})


def _fold(value: object) -> str:
    """Case-, diacritic-, space- and punctuation-insensitive key: "Førebyggingsnivå" → ..."""
    text = unicodedata.normalize("NFKC", str(value)).casefold().translate(_NORWEGIAN_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


_HEADER_ALIASES: dict[str, str] = {
    alias: column.key for column in _COLUMNS for alias in column.aliases
}

# Keys, bokmål and nynorsk labels and English, all folded. Nynorsk "Universell/Selektert/Indikert"
# is spelled as bokmål.
_PREVENTION_ALIASES: dict[str, PreventionLevel] = {
    alias: level
    for level, aliases in {
        PreventionLevel.UNIVERSAL: ("universal", "universell", "universelt"),
        PreventionLevel.SELECTED: ("selected", "selektert", "selektiv"),
        PreventionLevel.INDICATED: ("indicated", "indikert"),
    }.items()
    for alias in aliases
}
_INTENDED_USE_ALIASES: dict[str, IntendedUse] = {
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
_LANGUAGE_ALIASES: dict[str, str] = {
    "nb": "nb",
    "nob": "nb",
    "bokmal": "nb",
    "nn": "nn",
    "nno": "nn",
    "nynorsk": "nn",
}


# --- Template ----------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_WRAPPED = frozenset({"title", "question", "background", "target_group", "services"})


def _set_text(cell: SheetCell, value: str) -> None:
    """Write value as literal text: a name beginning with "=" must never become a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"


def _quote_list(values: Sequence[str]) -> str:
    return '"' + ",".join(values) + '"'


def _guide_lines(service_names: Sequence[str]) -> list[tuple[str, bool]]:
    """(text, is_heading) for the Veiledning sheet, in plain bokmål."""
    prevention = ", ".join(PREVENTION_LABELS.values())
    uses = ", ".join(INTENDED_USE_LABELS.values())
    lines: list[tuple[str, bool]] = [
        ("Slik fyller du ut malen for kunnskapsbehov", True),
        (
            f"Skriv ett kunnskapsbehov på hver rad i arket «{SHEET_NEEDS}», fra rad 2. "
            "Ikke endre overskriftene i rad 1. Tomme rader hoppes over.",
            False,
        ),
        ("", False),
        ("Kolonnene", True),
        (
            f"Tittel (må fylles ut): en kort tittel som sier hva behovet handler om. "
            f"Høyst {MAX_TITLE_LENGTH} tegn.",
            False,
        ),
        (
            "Spørsmål (må fylles ut): det dere trenger svar på, skrevet som et spørsmål. "
            f"Høyst {MAX_QUESTION_LENGTH} tegn.",
            False,
        ),
        (
            "Bakgrunn: hvorfor behovet er viktig, og hva dere vet fra før. "
            f"Høyst {MAX_BACKGROUND_LENGTH:,} tegn.".replace(",", " "),
            False,
        ),
        (
            f"Alder fra og Alder til (må fylles ut): hvilken alder behovet gjelder, i hele år fra "
            f"{MIN_AGE} til {MAX_AGE}. «Alder fra» kan ikke være høyere enn «Alder til». "
            "Gjelder behovet én alder, skriver du samme tall i begge.",
            False,
        ),
        (
            "Målgruppe: hvilken gruppe barn og unge behovet gjelder, for eksempel "
            "«elever med høyt fravær». Beskriv en gruppe, aldri enkeltpersoner.",
            False,
        ),
        (
            "Tjenester (må fylles ut): minst én tjeneste. Velg fra listen i cellen, eller skriv "
            "flere navn skilt med semikolon (;), for eksempel «Skole; Barnevern». Gjelder behovet "
            "to eller flere tjenester, er det et sammensatt behov – et behov på tvers av "
            "tjenestene.",
            False,
        ),
        (
            f"Forebyggingsnivå (må fylles ut): {prevention}. Universell betyr alle barn og unge. "
            "Selektert betyr grupper med økt risiko. Indikert betyr barn og unge som allerede "
            "viser tegn på vansker.",
            False,
        ),
        (
            f"Bruk av svaret (må fylles ut): {uses}. Hva skal svaret brukes til?",
            False,
        ),
        (
            "Språk: nb (bokmål) eller nn (nynorsk) – språket behovet er skrevet på. "
            "Tom celle betyr bokmål.",
            False,
        ),
        ("", False),
        ("Regler", True),
        (
            "Ingen personopplysninger. Et kunnskapsbehov handler om grupper og praksis, aldri om "
            "ett barn eller én familie. Skriv aldri navn, fødselsnummer eller D-nummer på barn, "
            "unge eller foreldre. En fil med fødselsnummer eller D-nummer blir avvist.",
            False,
        ),
        (
            "Unngå også telefonnummer, e-postadresser og fødselsdatoer. I små kommuner kan noen "
            "få detaljer være nok til å kjenne igjen en person.",
            False,
        ),
        (
            f"Alderen må være mellom {MIN_AGE} og {MAX_AGE} år, og hvert behov må gjelde minst "
            "én tjeneste.",
            False,
        ),
        (
            "Hele filen blir kontrollert før noe lagres. Finner vi feil, får du en liste med rad "
            "og kolonne for hver feil, og ingenting lagres før alle feil er rettet.",
            False,
        ),
        (
            f"Én fil kan ha høyst {DEFAULT_MAX_ROWS:,} kunnskapsbehov.".replace(",", " "),
            False,
        ),
        (
            "Du kan skrive verdiene på nynorsk også, for eksempel «Tenesteutvikling» og «Avgjerd».",
            False,
        ),
    ]
    if service_names:
        lines += [("", False), ("Tjenester du kan velge", True)]
        lines += [(f"• {name}", False) for name in service_names]
    return lines


def build_template(services: Sequence[tuple[int, str]]) -> bytes:
    """An .xlsx template with dropdowns for the cluster's services (id, name) and the enums."""
    service_names = list(dict.fromkeys(" ".join(name.split()) for _, name in services))
    service_names = [name for name in service_names if name]
    last_row = DEFAULT_MAX_ROWS + 1

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_NEEDS
    for position, column in enumerate(_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position, value=column.label)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="top")
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = column.width
        if column.key in _WRAPPED:
            sheet.column_dimensions[letter].alignment = _WRAP_TOP
    sheet.freeze_panes = "A2"

    def validate(key: str, kind: str, formula1: str, error: str, **options: str) -> None:
        letter = get_column_letter(list(_BY_KEY).index(key) + 1)
        validation = DataValidation(
            type=kind,
            formula1=formula1,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_label(key),
            error=error,
            showInputMessage="prompt" in options,
            promptTitle=_label(key) if "prompt" in options else None,
            **options,
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)

    levels = list(PREVENTION_LABELS.values())
    uses = list(INTENDED_USE_LABELS.values())
    validate(
        "prevention_level",
        "list",
        _quote_list(levels),
        f"Velg {', '.join(levels[:-1])} eller {levels[-1]}.",
        prompt="Velg fra listen.",
    )
    validate(
        "intended_use",
        "list",
        _quote_list(uses),
        "Velg en verdi fra listen.",
        prompt="Hva skal svaret brukes til?",
    )
    validate(
        "language",
        "list",
        _quote_list(LANGUAGES),
        "Skriv nb (bokmål) eller nn (nynorsk).",
        prompt="nb eller nn. Tom celle betyr bokmål.",
    )
    for key in ("age_from", "age_to"):
        validate(
            key,
            "whole",
            str(MIN_AGE),
            f"Skriv et helt tall fra {MIN_AGE} til {MAX_AGE}.",
            operator="between",
            formula2=str(MAX_AGE),
            prompt=f"Alder i hele år, {MIN_AGE}–{MAX_AGE}.",
        )
    for key, limit in (("title", MAX_TITLE_LENGTH), ("question", MAX_QUESTION_LENGTH)):
        validate(key, "textLength", str(limit), f"Høyst {limit} tegn.", operator="lessThanOrEqual")

    lists = workbook.create_sheet(SHEET_LISTS)
    lists.cell(row=1, column=1, value="Tjenester").font = _HEADER_FONT
    for row, name in enumerate(service_names, start=2):
        _set_text(lists.cell(row=row, column=1), name)
    lists.column_dimensions["A"].width = min(60, max([12, *(len(n) + 2 for n in service_names)]))
    lists.sheet_state = "hidden"
    if service_names:
        # A range instead of an inline list: inline lists are limited to 255 characters.
        # A list validation accepts one item only; style "information" lets people type
        # several names separated by ";" after a reminder instead of refusing them.
        validate(
            "services",
            "list",
            f"{SHEET_LISTS}!$A$2:$A${len(service_names) + 1}",
            "Flere tjenester skilles med semikolon (;). Bruk navnene fra listen.",
            errorStyle="information",
            prompt="Velg fra listen, eller skriv flere navn skilt med semikolon (;).",
        )

    guide = workbook.create_sheet(SHEET_GUIDE, index=1)
    guide.column_dimensions["A"].width = 110
    for row, (text, heading) in enumerate(_guide_lines(service_names), start=1):
        cell = guide.cell(row=row, column=1)
        _set_text(cell, text)
        cell.alignment = _WRAP_TOP
        if heading:
            cell.font = Font(bold=True, size=14 if row == 1 else 12)

    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading -----------------------------------------------------------------------------------

Cell = object
RawRow = tuple[int, list[Cell]]


def _is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _sheet_rows(data: bytes) -> Generator[RawRow, None, None]:
    check_zip(data)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # openpyxl raises many unrelated exception types on malformed input
        raise FileFormatError(
            "Filen kunne ikke leses som Excel-arbeidsbok (.xlsx). Lagre den på nytt og prøv igjen."
        ) from None
    try:
        if not workbook.worksheets:
            raise FileFormatError("Excel-filen har ingen regneark.")
        wanted = _fold(SHEET_NEEDS)
        sheet = next(
            (ws for ws in workbook.worksheets if _fold(ws.title) == wanted),
            workbook.worksheets[0],
        )
        for index, values in enumerate(
            sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            yield index, list(values)
    except FileFormatError:
        raise
    except Exception:  # as above; a broken sheet only fails while its rows are read
        raise FileFormatError(
            "Regnearket i Excel-filen er skadet og kan ikke leses. "
            "Lagre filen på nytt og prøv igjen."
        ) from None
    finally:
        workbook.close()


def _read(data: bytes, filename: str, max_rows: int) -> tuple[list[Cell], list[RawRow]]:
    if not data:
        raise FileFormatError("Filen er tom.")
    if len(data) > MAX_FILE_BYTES:
        raise FileFormatError("Filen er for stor. Største tillatte størrelse er 20 MB.")
    if PurePath(filename.strip()).suffix.lower() != ".xlsx":
        raise FileFormatError(
            "Filtypen støttes ikke. Last opp malen for kunnskapsbehov som Excel-fil (.xlsx)."
        )
    return split_header(
        _sheet_rows(data),
        max_rows,
        too_many="kunnskapsbehov",
        missing_header="Første rad skal inneholde kolonnenavnene fra malen.",
    )


def _map_header(header: list[Cell]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for position, cell in enumerate(header):
        if _is_empty(cell):
            continue
        key = _HEADER_ALIASES.get(_fold(cell))
        if key is None:
            continue  # extra columns (notes, ids) are allowed and ignored
        if key in columns:
            raise FileFormatError(f"Kolonnen «{_label(key)}» finnes mer enn én gang.")
        columns[key] = position
    missing = [column.label for column in _COLUMNS if column.required and column.key not in columns]
    if missing:
        names = ", ".join(f"«{name}»" for name in missing)
        noun = "kolonnen" if len(missing) == 1 else "kolonnene"
        raise FileFormatError(f"Filen mangler {noun} {names}. Bruk malen for kunnskapsbehov.")
    return columns


# --- Interpreting cells ------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\r\n", "\n").replace("\r", "\n").strip()


def _one_line(cell: Cell) -> str:
    return " ".join(_text(cell).split())


def _shown(value: str) -> str:
    """A user's value as it may be echoed in a message: ID numbers masked, length capped."""
    value = " ".join(mask(value).split())
    return value if len(value) <= 60 else value[:59] + "…"


def _age(cell: Cell) -> int:
    if isinstance(cell, bool):
        raise ValueError
    if isinstance(cell, int):
        value = cell
    elif isinstance(cell, float):
        if not cell.is_integer():
            raise ValueError
        value = int(cell)
    else:
        text = _text(cell)
        if not (text.isascii() and text.isdigit()):
            raise ValueError
        value = int(text)
    if not MIN_AGE <= value <= MAX_AGE:
        raise ValueError
    return value


def _service_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


_SERVICE_SEPARATOR = re.compile(r"[;\n]")


def _parse_row(
    row: int, values: list[Cell], columns: Mapping[str, int], known: Mapping[str, int]
) -> tuple[NeedRow | None, list[RowError]]:
    errors: list[RowError] = []

    def cell(key: str) -> Cell:
        position = columns.get(key)
        if position is None or position >= len(values):
            return None
        return values[position]

    def fail(key: str, reason: str) -> None:
        errors.append(RowError(row, _label(key), reason))

    title = _one_line(cell("title"))
    question = _text(cell("question"))
    background = _text(cell("background"))
    target_group = _one_line(cell("target_group"))
    if not title:
        fail("title", "Tittel mangler.")
    elif len(title) > MAX_TITLE_LENGTH:
        fail("title", f"Tittelen er lengre enn {MAX_TITLE_LENGTH} tegn ({len(title)}).")
    if not question:
        fail("question", "Spørsmål mangler.")
    elif len(question) > MAX_QUESTION_LENGTH:
        fail("question", f"Spørsmålet er lengre enn {MAX_QUESTION_LENGTH} tegn ({len(question)}).")
    if len(background) > MAX_BACKGROUND_LENGTH:
        fail(
            "background",
            f"Bakgrunnen er lengre enn {MAX_BACKGROUND_LENGTH} tegn ({len(background)}).",
        )
    if len(target_group) > MAX_TARGET_GROUP_LENGTH:
        fail(
            "target_group",
            f"Målgruppen er lengre enn {MAX_TARGET_GROUP_LENGTH} tegn ({len(target_group)}).",
        )

    ages: dict[str, int] = {}
    for key in ("age_from", "age_to"):
        raw = cell(key)
        if _is_empty(raw):
            fail(key, f"{_label(key)} mangler. Skriv et helt tall fra {MIN_AGE} til {MAX_AGE}.")
            continue
        try:
            ages[key] = _age(raw)
        except ValueError:
            fail(key, f"{_label(key)} må være et helt tall fra {MIN_AGE} til {MAX_AGE}.")
    if len(ages) == 2 and ages["age_from"] > ages["age_to"]:
        fail(
            "age_to",
            f"«Alder fra» ({ages['age_from']}) kan ikke være høyere enn "
            f"«Alder til» ({ages['age_to']}).",
        )

    service_ids: list[int] = []
    names = [part.strip() for part in _SERVICE_SEPARATOR.split(_text(cell("services")))]
    names = [name for name in names if name]
    for name in names:
        service_id = known.get(_service_key(name))
        if service_id is None:
            fail("services", f"Ukjent tjeneste: «{_shown(name)}». Bruk navnene i listen.")
        elif service_id not in service_ids:
            service_ids.append(service_id)
    if not names:
        fail("services", "Oppgi minst én tjeneste. Flere tjenester skilles med semikolon (;).")

    levels = ", ".join(PREVENTION_LABELS.values())
    prevention: PreventionLevel | None = None
    raw_text = _one_line(cell("prevention_level"))
    if not raw_text:
        fail("prevention_level", f"Forebyggingsnivå mangler. Velg én av: {levels}.")
    elif (prevention := _PREVENTION_ALIASES.get(_fold(raw_text))) is None:
        fail(
            "prevention_level",
            f"Ukjent forebyggingsnivå «{_shown(raw_text)}». Velg én av: {levels}.",
        )

    uses = ", ".join(INTENDED_USE_LABELS.values())
    use: IntendedUse | None = None
    raw_text = _one_line(cell("intended_use"))
    if not raw_text:
        fail("intended_use", f"Bruk av svaret mangler. Velg én av: {uses}.")
    elif (use := _INTENDED_USE_ALIASES.get(_fold(raw_text))) is None:
        fail("intended_use", f"Ukjent verdi «{_shown(raw_text)}». Velg én av: {uses}.")

    language: str | None = "nb"
    raw_text = _one_line(cell("language"))
    if raw_text and (language := _LANGUAGE_ALIASES.get(_fold(raw_text))) is None:
        fail(
            "language",
            f"Ukjent språk «{_shown(raw_text)}». Skriv nb (bokmål) eller nn (nynorsk).",
        )

    warnings: list[RowError] = []
    free_text = {
        _label("title"): title,
        _label("question"): question,
        _label("background"): background,
        _label("target_group"): target_group,
    }
    for problem in check_fields(free_text):
        # The guard's messages never contain the value it found.
        (errors if problem.blocking else warnings).append(
            RowError(row, problem.field, problem.message)
        )

    if errors or prevention is None or use is None or language is None:
        return None, errors
    need = NeedRow(
        row=row,
        title=title,
        question=question,
        background=background,
        age_from=ages["age_from"],
        age_to=ages["age_to"],
        target_group=target_group,
        service_ids=tuple(service_ids),
        prevention_level=prevention,
        intended_use=use,
        language=language,
        warnings=tuple(warnings),
    )
    return need, []


def parse_needs_file(
    data: bytes,
    filename: str,
    services: Mapping[str, int],
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> tuple[list[NeedRow], list[RowError]]:
    """Knowledge needs from a filled-in template, and every problem found in it.

    `services` maps service names to ids; names match case-insensitively with spaces
    normalised. Raises FileFormatError when the file as a whole cannot be read (not .xlsx,
    damaged, a zip bomb, more than max_rows rows, required columns missing). Rows with errors are
    left out of the result, so the caller must refuse the whole import when the error list is not
    empty: a half-imported file is harder to put right than a rejected one. Non-blocking privacy
    findings (phone, e-mail, birth date) come back per row in NeedRow.warnings.
    """
    header, body = _read(data, filename, max_rows)
    columns = _map_header(header)
    known = {_service_key(name): service_id for name, service_id in services.items()}
    result: list[NeedRow] = []
    errors: list[RowError] = []
    for row, values in body:
        need, row_errors = _parse_row(row, values, columns, known)
        errors.extend(row_errors)
        if need is not None:
            result.append(need)
    return result, errors
