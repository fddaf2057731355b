"""HTML pages of the platform core (placeholder list; filled in by the web shell)."""

from __future__ import annotations

from typing import Any

VIEW_HANDLERS: list[Any] = []
