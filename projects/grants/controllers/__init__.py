"""The grants part's API (/api/calls, /api/applications, ...): one module per part."""

from __future__ import annotations

from typing import Any

from projects.grants.controllers import applications, calls, dashboard, reports, reviews

HANDLERS: list[Any] = [
    *calls.HANDLERS,
    *applications.HANDLERS,
    *reviews.HANDLERS,
    *reports.HANDLERS,
    *dashboard.HANDLERS,
]
