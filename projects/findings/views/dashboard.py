"""The findings part's dashboard pages (placeholder: filled in by the dashboard work)."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
