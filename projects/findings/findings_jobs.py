"""Jobs of the findings part: remind about unanswered deliveries and escalate to the adviser
(placeholder: filled in by the deliveries work)."""

from __future__ import annotations

from typing import Any

from klynge.jobs.runner import JobContext, job

REMIND_DELIVERIES = "remind_findings_deliveries"


@job(REMIND_DELIVERIES)
async def remind_findings_deliveries(ctx: JobContext) -> dict[str, Any]:
    return {}
