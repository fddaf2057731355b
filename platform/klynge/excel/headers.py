"""Header rows: recognise columns by name or alias, case-, space- and diacritic-insensitively."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from klynge.excel.errors import column_letter

Cell = object

_NORWEGIAN_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "å": "a"})


def fold(value: object) -> str:
    """Case-, diacritic-, space- and punctuation-insensitive key: "Førebyggingsnivå" →
    "forebyggingsniva". None folds to ""."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).casefold().translate(_NORWEGIAN_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def alias_table(columns: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Folded alias → column key, from key → aliases (the aliases are folded here)."""
    return {fold(alias): key for key, aliases in columns.items() for alias in aliases}


@dataclass(frozen=True)
class HeaderMap:
    """Where each recognised column is (0-based); a repeated column keeps its first place and
    is listed in `duplicates`. Unrecognised columns are ignored, so exports with extra
    columns can be uploaded as they are."""

    positions: dict[str, int]
    duplicates: list[str] = field(default_factory=list)

    def missing(self, required: Iterable[str]) -> list[str]:
        return [key for key in required if key not in self.positions]

    def cell(self, values: Sequence[Cell], key: str) -> Cell:
        """The row's value in the column, None when the column or the cell is absent."""
        position = self.positions.get(key)
        if position is None or position >= len(values):
            return None
        return values[position]

    def letter(self, key: str) -> str:
        return column_letter(self.positions.get(key))


def map_header(header: Sequence[Cell], aliases: Mapping[str, str]) -> HeaderMap:
    """Recognise the header's columns; `aliases` maps folded names to keys (see alias_table)."""
    positions: dict[str, int] = {}
    duplicates: list[str] = []
    for position, cell in enumerate(header):
        if is_empty(cell):
            continue
        key = aliases.get(fold(cell))
        if key is None:
            continue
        if key in positions:
            duplicates.append(key)
            continue
        positions[key] = position
    return HeaderMap(positions, duplicates)
