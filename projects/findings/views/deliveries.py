"""The findings part's deliveries pages (placeholder: filled in by the deliveries work)."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
