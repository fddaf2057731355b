"""Publishing an outcome = delivering it (placeholder: filled in by the deliveries work).

`outcome_deliveries(actor, access)` gives the outcome page its deliveries and answers (the
template projects/findings/_outcome_deliveries.html shows them)."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from projects.findings.access import OutcomeAccess


async def outcome_deliveries(actor: Principal | None, access: OutcomeAccess) -> list[Any]:
    return []
