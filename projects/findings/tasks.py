"""The findings part's contribution to each user's task list: deliveries to read and answer
(placeholder: filled in by the deliveries work)."""

from __future__ import annotations

from klynge.auth.principal import Principal
from klynge.tasks import Task


async def delivery_tasks(actor: Principal) -> list[Task]:
    return []
