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
from klynge.i18n import N_, ngettext
from klynge.i18n import gettext as _
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

# The messages are msgids translated when the file is read: the import job runs in the language
# of whoever started it. The template's column names and values stay Norwegian (it is a
# Norwegian template).


def _read(data: bytes, filename: str, max_rows: int) -> excel.Table:
    limits = replace(LIMITS, max_rows=max_rows)
    excel.check_size(data, limits)
    if PurePath(filename.strip()).suffix.lower() != ".xlsx":
        raise FileFormatError(
            _(
                "The file type is not supported. Upload the template for knowledge needs as an "
                "Excel file (.xlsx)."
            )
        )
    wording = excel.Wording(
        too_many=N_(
            "The file has more than %(limit)s knowledge needs. Split it into several files."
        ),
        missing_header=N_(
            "The file has no header row. The first row must hold the column names from the "
            "template."
        ),
    )
    return excel.read_xlsx(data, limits, wording, sheet=SHEET_NEEDS)


def _map_header(header: list[Cell]) -> HeaderMap:
    columns = excel.map_header(header, HEADER_ALIASES)
    if columns.duplicates:
        raise FileFormatError(
            _("The column «%(column)s» appears more than once.")
            % {"column": label(columns.duplicates[0])}
        )
    missing = columns.missing(column.key for column in COLUMNS if column.required)
    if missing:
        names = ", ".join(f"«{label(key)}»" for key in missing)
        message = ngettext(
            "The file lacks the column %(names)s. Use the template for knowledge needs.",
            "The file lacks the columns %(names)s. Use the template for knowledge needs.",
            len(missing),
        )
        raise FileFormatError(message % {"names": names, "num": len(missing)})
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
# (key, longest, the message when the cell must be filled in but is empty)
_TEXT_FIELDS = (
    ("title", MAX_TITLE_LENGTH, N_("The title is missing.")),
    ("question", MAX_QUESTION_LENGTH, N_("The question is missing.")),
    ("background", MAX_BACKGROUND_LENGTH, None),
    ("target_group", MAX_TARGET_GROUP_LENGTH, None),
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
        for key, limit, missing in _TEXT_FIELDS:
            raw = self.cell(key)
            value = values[key] = _one_line(raw) if key in _ONE_LINE else _text(raw)
            if not value and missing:
                self.fail(key, _(missing))
            elif len(value) > limit:
                self.fail(
                    key,
                    _("«%(column)s» is longer than %(limit)s characters (%(length)s).")
                    % {"column": label(key), "limit": limit, "length": len(value)},
                )
        return values

    def ages(self) -> dict[str, int]:
        ages: dict[str, int] = {}
        for key in ("age_from", "age_to"):
            raw = self.cell(key)
            if excel.is_empty(raw):
                self.fail(
                    key,
                    _("«%(column)s» is missing. Write a whole number from %(min)s to %(max)s.")
                    % {"column": label(key), "min": MIN_AGE, "max": MAX_AGE},
                )
                continue
            try:
                ages[key] = _age(raw)
            except ValueError:
                self.fail(
                    key,
                    _("«%(column)s» must be a whole number from %(min)s to %(max)s.")
                    % {"column": label(key), "min": MIN_AGE, "max": MAX_AGE},
                )
        if len(ages) == 2 and ages["age_from"] > ages["age_to"]:
            self.fail(
                "age_to",
                _("«%(from_column)s» (%(from)s) cannot be higher than «%(to_column)s» (%(to)s).")
                % {
                    "from_column": label("age_from"),
                    "from": ages["age_from"],
                    "to_column": label("age_to"),
                    "to": ages["age_to"],
                },
            )
        return ages

    def services(self, known: Mapping[str, int]) -> list[int]:
        service_ids: list[int] = []
        names = [part.strip() for part in _SERVICE_SEPARATOR.split(_text(self.cell("services")))]
        names = [name for name in names if name]
        for name in names:
            service_id = known.get(_service_key(name))
            if service_id is None:
                self.fail(
                    "services",
                    _("Unknown service: «%(name)s». Use the names in the list.")
                    % {"name": _shown(name)},
                )
            elif service_id not in service_ids:
                service_ids.append(service_id)
        if not names:
            self.fail(
                "services",
                _("Give at least one service. Separate several services with semicolons (;)."),
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
                _("Unknown language «%(value)s». Write nb (bokmål) or nn (nynorsk).")
                % {"value": _shown(raw_text)},
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
        _("The prevention level is missing. Choose one of: %(values)s.") % {"values": levels},
        lambda value: (
            _("Unknown prevention level «%(value)s». Choose one of: %(values)s.")
            % {"value": value, "values": levels}
        ),
    )
    uses = ", ".join(INTENDED_USE_LABELS.values())
    use: IntendedUse | None = reader.choice(
        "intended_use",
        INTENDED_USE_ALIASES,
        _("The intended use of the answer is missing. Choose one of: %(values)s.")
        % {"values": uses},
        lambda value: (
            _("Unknown value «%(value)s». Choose one of: %(values)s.")
            % {"value": value, "values": uses}
        ),
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
