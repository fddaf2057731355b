"""Calls: HTML pages (placeholder; its owner replaces this module)."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
