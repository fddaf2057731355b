"""HTML pages of the projects app: research groups and their publications, a need's matched
groups with explanations, a round's assignment, the researchers' inbox, proposals with their
review, and notifications.

Thin handlers over the projects use cases; every route is left out of the OpenAPI schema and
carries a guard.
"""

from __future__ import annotations

from typing import Any

from projects.views import (
    assignments,
    groups,
    inbox,
    matches,
    notifications,
    proposals,
    publications,
)

VIEW_HANDLERS: list[Any] = [
    *groups.HANDLERS,
    *publications.HANDLERS,
    *matches.HANDLERS,
    *assignments.HANDLERS,
    *inbox.HANDLERS,
    *proposals.HANDLERS,
    *notifications.HANDLERS,
]
