"""Pages of a list, paged in SQL: which rows a page number asks for, and what the pager shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 50  # rows per list page in the browser


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    pages: int
    total: int


def page_number(raw: str | None) -> int:
    """The requested page (1 when missing or not a positive number)."""
    return int(raw) if raw and raw.isdigit() and int(raw) > 0 else 1


def pages_for(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))
