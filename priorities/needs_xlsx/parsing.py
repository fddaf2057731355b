"""Read a filled-in needs template: every problem in the file is reported at once (row and
column), so a cluster can fix it in one go."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import PurePath
from typing import TypeVar

from klynge import excel
from klynge.excel import CellError as RowError
from klynge.excel import FileFormatError, HeaderMap
from klynge.privacy import check_fields, mask
from priorities.needs_xlsx.columns import (
    COLUMNS,
    DEFAULT_MAX_ROWS,
    HEADER_ALIASES,
    INTENDED_USE_ALIASES,
    INTENDED_USE_LABELS,
    LANGUAGE_ALIASES,
    LIMITS,
    MAX_AGE,
    MAX_BACKGROUND_LENGTH,
    MAX_QUESTION_LENGTH,
    MAX_TARGET_GROUP_LENGTH,
    MAX_TITLE_LENGTH,
    MIN_AGE,
    PREVENTION_ALIASES,
    PREVENTION_LABELS,
    SHEET_NEEDS,
    IntendedUse,
    NeedRow,
    PreventionLevel,
    label,
)

Cell = excel.Cell
T = TypeVar("T")

_WORDING = excel.Wording(
    too_many="kunnskapsbehov",
    missing_header="Første rad skal inneholde kolonnenavnene fra malen.",
)


def _read(data: bytes, filename: str, max_rows: int) -> excel.Table:
    limits = replace(LIMITS, max_rows=max_rows)
    excel.check_size(data, limits)
    if PurePath(filename.strip()).suffix.lower() != ".xlsx":
        raise FileFormatError(
            "Filtypen støttes ikke. Last opp malen for kunnskapsbehov som Excel-fil (.xlsx)."
        )
    return excel.read_xlsx(data, limits, _WORDING, sheet=SHEET_NEEDS)


def _map_header(header: list[Cell]) -> HeaderMap:
    columns = excel.map_header(header, HEADER_ALIASES)
    if columns.duplicates:
        raise FileFormatError(f"Kolonnen «{label(columns.duplicates[0])}» finnes mer enn én gang.")
    missing = columns.missing(column.key for column in COLUMNS if column.required)
    if missing:
        names = ", ".join(f"«{label(key)}»" for key in missing)
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
# (key, longest, noun in messages, "... mangler." when the cell must be filled in)
_TEXT_FIELDS = (
    ("title", MAX_TITLE_LENGTH, "Tittelen", "Tittel mangler."),
    ("question", MAX_QUESTION_LENGTH, "Spørsmålet", "Spørsmål mangler."),
    ("background", MAX_BACKGROUND_LENGTH, "Bakgrunnen", None),
    ("target_group", MAX_TARGET_GROUP_LENGTH, "Målgruppen", None),
)
_ONE_LINE = frozenset({"title", "target_group"})


class _RowReader:
    """Reads one data row into fields, collecting each problem against its cell."""

    def __init__(self, row: int, values: list[Cell], columns: HeaderMap, sheet: str) -> None:
        self.row, self.values, self.columns, self.sheet = row, values, columns, sheet
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []

    def cell(self, key: str) -> Cell:
        return self.columns.cell(self.values, key)

    def fail(self, key: str, reason: str) -> None:
        self.errors.append(self.error(label(key), reason, key))

    def error(self, column: str, reason: str, key: str = "") -> RowError:
        letter = self.columns.letter(key) if key else ""
        return RowError(self.row, column, reason, letter, self.sheet)

    def texts(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for key, limit, noun, missing in _TEXT_FIELDS:
            raw = self.cell(key)
            value = values[key] = _one_line(raw) if key in _ONE_LINE else _text(raw)
            if not value and missing:
                self.fail(key, missing)
            elif len(value) > limit:
                self.fail(key, f"{noun} er lengre enn {limit} tegn ({len(value)}).")
        return values

    def ages(self) -> dict[str, int]:
        ages: dict[str, int] = {}
        for key in ("age_from", "age_to"):
            raw = self.cell(key)
            if excel.is_empty(raw):
                self.fail(
                    key, f"{label(key)} mangler. Skriv et helt tall fra {MIN_AGE} til {MAX_AGE}."
                )
                continue
            try:
                ages[key] = _age(raw)
            except ValueError:
                self.fail(key, f"{label(key)} må være et helt tall fra {MIN_AGE} til {MAX_AGE}.")
        if len(ages) == 2 and ages["age_from"] > ages["age_to"]:
            self.fail(
                "age_to",
                f"«Alder fra» ({ages['age_from']}) kan ikke være høyere enn "
                f"«Alder til» ({ages['age_to']}).",
            )
        return ages

    def services(self, known: Mapping[str, int]) -> list[int]:
        service_ids: list[int] = []
        names = [part.strip() for part in _SERVICE_SEPARATOR.split(_text(self.cell("services")))]
        names = [name for name in names if name]
        for name in names:
            service_id = known.get(_service_key(name))
            if service_id is None:
                self.fail("services", f"Ukjent tjeneste: «{_shown(name)}». Bruk navnene i listen.")
            elif service_id not in service_ids:
                service_ids.append(service_id)
        if not names:
            self.fail(
                "services", "Oppgi minst én tjeneste. Flere tjenester skilles med semikolon (;)."
            )
        return service_ids

    def choice(
        self, key: str, aliases: Mapping[str, T], missing: str, unknown: Callable[[str], str]
    ) -> T | None:
        """A value from a fixed list; `unknown` words the error for what was typed."""
        raw_text = _one_line(self.cell(key))
        if not raw_text:
            self.fail(key, missing)
            return None
        value = aliases.get(excel.fold(raw_text))
        if value is None:
            self.fail(key, unknown(_shown(raw_text)))
        return value

    def language(self) -> str | None:
        raw_text = _one_line(self.cell("language"))
        if not raw_text:
            return "nb"
        language = LANGUAGE_ALIASES.get(excel.fold(raw_text))
        if language is None:
            self.fail(
                "language",
                f"Ukjent språk «{_shown(raw_text)}». Skriv nb (bokmål) eller nn (nynorsk).",
            )
        return language

    def privacy(self, texts: Mapping[str, str]) -> None:
        free_text = {label(key): value for key, value in texts.items()}
        for problem in check_fields(free_text):
            # The guard's messages never contain the value it found.
            found = self.error(problem.field, problem.message)
            (self.errors if problem.blocking else self.warnings).append(found)


def _parse_row(reader: _RowReader, known: Mapping[str, int]) -> NeedRow | None:
    texts = reader.texts()
    ages = reader.ages()
    service_ids = reader.services(known)
    levels = ", ".join(PREVENTION_LABELS.values())
    prevention: PreventionLevel | None = reader.choice(
        "prevention_level",
        PREVENTION_ALIASES,
        f"Forebyggingsnivå mangler. Velg én av: {levels}.",
        lambda value: f"Ukjent forebyggingsnivå «{value}». Velg én av: {levels}.",
    )
    uses = ", ".join(INTENDED_USE_LABELS.values())
    use: IntendedUse | None = reader.choice(
        "intended_use",
        INTENDED_USE_ALIASES,
        f"Bruk av svaret mangler. Velg én av: {uses}.",
        lambda value: f"Ukjent verdi «{value}». Velg én av: {uses}.",
    )
    language = reader.language()
    reader.privacy(texts)
    if reader.errors or prevention is None or use is None or language is None:
        return None
    return NeedRow(
        row=reader.row,
        title=texts["title"],
        question=texts["question"],
        background=texts["background"],
        age_from=ages["age_from"],
        age_to=ages["age_to"],
        target_group=texts["target_group"],
        service_ids=tuple(service_ids),
        prevention_level=prevention,
        intended_use=use,
        language=language,
        warnings=tuple(reader.warnings),
    )


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
    table = _read(data, filename, max_rows)
    columns = _map_header(table.header)
    known = {_service_key(name): service_id for name, service_id in services.items()}
    result: list[NeedRow] = []
    errors: list[RowError] = []
    for row, values in table.rows:
        reader = _RowReader(row, values, columns, table.sheet)
        need = _parse_row(reader, known)
        errors.extend(reader.errors)
        if need is not None:
            result.append(need)
    return result, errors
