"""The budget and financing plan of an application, as pure rules: checking one line (year
within the project's period ±1, a known category, a share of a full-time equivalent only on
position lines), and the totals per year and category, the financing and the amount applied
for (this funder's share). Plain data in and out; amounts in øre."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from klynge.i18n import N_
from projects.grants.conditions import CATEGORIES, SOURCES
from projects.grants.money import parse_nok

POSITIONS = frozenset({"new_position", "existing_position"})
CATEGORY_LABELS: dict[str, str] = {
    "new_position": N_("New positions"),
    "existing_position": N_("Existing positions"),
    "rnd": N_("R&D by the research group"),
    "operations": N_("Operations"),
    "travel": N_("Travel"),
    "equipment": N_("Equipment"),
    "indirect": N_("Indirect costs"),
}
SOURCE_LABELS: dict[str, str] = {
    "this_funder": N_("This funder"),
    "own": N_("Own contribution"),
    "other": N_("Other financing"),
}
MAX_LINES = 500

BAD_YEAR = N_("The year must be between %(first)s and %(last)s (the project's period ±1).")
BAD_CATEGORY = N_("Choose one of the budget categories.")
BAD_SOURCE = N_("Choose one of the financing sources.")
BAD_AMOUNT = N_("Write the amount in kroner, for example 150 000 or 1 234,50.")
FTE_NEEDED = N_("Write the share of a full-time position, 1 to 100 %%.")
FTE_ONLY_POSITIONS = N_("Only position lines have a share of a full-time position.")
TOO_LONG = N_("The description is too long (at most 200 characters).")


@dataclass(frozen=True, slots=True)
class BudgetRow:
    year: int
    category: str
    description: str
    fte_percent: int | None
    amount_ore: int


@dataclass(frozen=True, slots=True)
class FinancingRow:
    source: str
    description: str
    amount_ore: int


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one field of one line: `field` is the line's key ("amount")."""

    field: str
    message: str
    params: dict[str, str] = field(default_factory=dict)


def allowed_years(starts_on: dt.date | None, ends_on: dt.date | None, today: dt.date) -> range:
    """The project's period ±1 year; without dates, last year to ten years ahead."""
    first = (starts_on.year if starts_on else today.year) - 1
    last = (ends_on.year if ends_on else (starts_on.year if starts_on else today.year) + 9) + 1
    return range(first, max(first, last) + 1)


def _amount(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_nok(value)
    except (ValueError, TypeError):
        return None


def _fte(value: Any) -> tuple[int | None, bool]:
    """(the share, whether it was readable); empty is (None, True)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    try:
        number = float(str(value).replace(",", ".").replace("%", "").strip())
    except ValueError:
        return None, False
    if number != int(number):
        return None, False
    return int(number), True


def check_line(
    year: Any, category: str, description: str, fte: Any, amount: Any, years: range
) -> tuple[BudgetRow | None, list[Problem]]:
    """One budget line from what was typed (or read from a sheet)."""
    problems: list[Problem] = []
    year_ok = isinstance(year, int) and not isinstance(year, bool) and year in years
    if not year_ok:
        params = {"first": str(years[0]), "last": str(years[-1])}
        problems.append(Problem("year", BAD_YEAR, params))
    if category not in CATEGORIES:
        problems.append(Problem("category", BAD_CATEGORY))
    share, readable = _fte(fte)
    if category in POSITIONS and (share is None or not 1 <= share <= 100):
        problems.append(Problem("fte_percent", FTE_NEEDED))
    elif (
        category not in POSITIONS and category in CATEGORIES and (share is not None or not readable)
    ):
        problems.append(Problem("fte_percent", FTE_ONLY_POSITIONS))
    ore = _amount(amount)
    if ore is None:
        problems.append(Problem("amount", BAD_AMOUNT))
    text = " ".join(str(description or "").split())
    if len(text) > 200:
        problems.append(Problem("description", TOO_LONG))
    if problems:
        return None, problems
    assert ore is not None
    assert isinstance(year, int)
    return BudgetRow(year, category, text, share if category in POSITIONS else None, ore), []


def check_financing(
    source: str, description: str, amount: Any
) -> tuple[FinancingRow | None, list[Problem]]:
    problems: list[Problem] = []
    if source not in SOURCES:
        problems.append(Problem("source", BAD_SOURCE))
    ore = _amount(amount)
    if ore is None:
        problems.append(Problem("amount", BAD_AMOUNT))
    text = " ".join(str(description or "").split())
    if len(text) > 200:
        problems.append(Problem("description", TOO_LONG))
    if problems:
        return None, problems
    assert ore is not None
    return FinancingRow(source, text, ore), []


@dataclass(frozen=True, slots=True)
class Totals:
    total_ore: int
    by_year: dict[int, int]
    by_category: dict[str, int]
    grid: dict[tuple[int, str], int]
    by_source: dict[str, int]
    financing_ore: int
    requested_ore: int  # this funder's share: the amount applied for

    @property
    def gap_ore(self) -> int:
        """Costs not covered by the financing plan (negative: more financing than costs)."""
        return self.total_ore - self.financing_ore

    @property
    def years(self) -> list[int]:
        return sorted(self.by_year)


def totals(budget: Sequence[BudgetRow], financing: Sequence[FinancingRow]) -> Totals:
    by_year: dict[int, int] = {}
    by_category = dict.fromkeys(CATEGORIES, 0)
    grid: dict[tuple[int, str], int] = {}
    for line in budget:
        by_year[line.year] = by_year.get(line.year, 0) + line.amount_ore
        by_category[line.category] = by_category.get(line.category, 0) + line.amount_ore
        key = (line.year, line.category)
        grid[key] = grid.get(key, 0) + line.amount_ore
    by_source = dict.fromkeys(SOURCES, 0)
    for f in financing:
        by_source[f.source] = by_source.get(f.source, 0) + f.amount_ore
    return Totals(
        total_ore=sum(by_year.values()),
        by_year=dict(sorted(by_year.items())),
        by_category=by_category,
        grid=grid,
        by_source=by_source,
        financing_ore=sum(by_source.values()),
        requested_ore=by_source["this_funder"],
    )
