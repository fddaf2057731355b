"""The findings part's outcomes pages (placeholder: filled in by the outcomes work)."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
