"""The project workspace's HTML pages (left out of the OpenAPI schema): one module per part."""

from __future__ import annotations

from typing import Any

from projects.workspace.views import (
    approvals,
    codesign,
    documents,
    participants,
    pdsa,
    plan,
    projects,
)

HANDLERS: list[Any] = [
    *projects.HANDLERS,
    *participants.HANDLERS,
    *plan.HANDLERS,
    *codesign.HANDLERS,
    *pdsa.HANDLERS,
    *approvals.HANDLERS,
    *documents.HANDLERS,
]
