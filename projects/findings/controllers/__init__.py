"""The findings part's API (/api/projects/{id}/outcomes, /api/outcomes, /api/deliveries, the
findings report and the return-rate dashboard): one module per part."""

from __future__ import annotations

from typing import Any

from projects.findings.controllers import dashboard, deliveries, outcomes, report

HANDLERS: list[Any] = [
    *outcomes.HANDLERS,
    *deliveries.HANDLERS,
    *report.HANDLERS,
    *dashboard.HANDLERS,
]
