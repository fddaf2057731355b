"""Excel template for knowledge needs, and the parser that imports a filled-in copy."""

from klynge.excel import CellError as RowError
from klynge.excel import FileFormatError
from priorities.needs_xlsx.columns import (
    INTENDED_USE_LABELS,
    MAX_AGE,
    MAX_BACKGROUND_LENGTH,
    MAX_QUESTION_LENGTH,
    MAX_TARGET_GROUP_LENGTH,
    MAX_TITLE_LENGTH,
    PREVENTION_LABELS,
    SHEET_GUIDE,
    SHEET_LISTS,
    SHEET_NEEDS,
    IntendedUse,
    NeedRow,
    PreventionLevel,
)
from priorities.needs_xlsx.parsing import parse_needs_file
from priorities.needs_xlsx.template import build_template

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
