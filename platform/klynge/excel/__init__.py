"""The one spreadsheet toolkit: safe .xlsx/.csv reading with header mapping and cell-addressed
errors, and the writing helpers every template and export uses."""

from klynge.excel.archive import Limits, check_size, check_zip
from klynge.excel.errors import CellError, CellErrors, FileFormatError, column_letter
from klynge.excel.headers import HeaderMap, alias_table, fold, is_empty, map_header
from klynge.excel.reading import (
    Cell,
    RawRow,
    Table,
    Wording,
    decode_csv,
    read_csv,
    read_xlsx,
    sniff_delimiter,
    split_header,
)
from klynge.excel.writing import (
    BOLD,
    DATE,
    DECIMAL,
    INTEGER,
    WRAP_TOP,
    Column,
    fit_width,
    header_row,
    inline_list,
    list_sheet,
    set_text,
    to_bytes,
    validate,
)

__all__ = [
    "BOLD",
    "DATE",
    "DECIMAL",
    "INTEGER",
    "WRAP_TOP",
    "Cell",
    "CellError",
    "CellErrors",
    "Column",
    "FileFormatError",
    "HeaderMap",
    "Limits",
    "RawRow",
    "Table",
    "Wording",
    "alias_table",
    "check_size",
    "check_zip",
    "column_letter",
    "decode_csv",
    "fit_width",
    "fold",
    "header_row",
    "inline_list",
    "is_empty",
    "list_sheet",
    "map_header",
    "read_csv",
    "read_xlsx",
    "set_text",
    "sniff_delimiter",
    "split_header",
    "to_bytes",
    "validate",
]
