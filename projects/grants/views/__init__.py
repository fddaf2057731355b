"""The grants part's HTML pages (left out of the OpenAPI schema): one module per part."""

from __future__ import annotations

from typing import Any

from projects.grants.views import applications, calls, dashboard, reports, reviews

HANDLERS: list[Any] = [
    *calls.HANDLERS,
    *applications.HANDLERS,
    *reviews.HANDLERS,
    *reports.HANDLERS,
    *dashboard.HANDLERS,
]
