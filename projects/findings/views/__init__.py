"""The findings part's HTML pages (left out of the OpenAPI schema): one module per part."""

from __future__ import annotations

from typing import Any

from projects.findings.views import dashboard, deliveries, outcomes, report

HANDLERS: list[Any] = [
    *outcomes.HANDLERS,
    *deliveries.HANDLERS,
    *report.HANDLERS,
    *dashboard.HANDLERS,
]
