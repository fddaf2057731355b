"""The findings part's report pages (placeholder: filled in by the report work)."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
