"""HTML pages of the platform core (the web shell): thin handlers over the use cases.

Every route is left out of the OpenAPI schema and carries a guard or `opt=PUBLIC`.
"""

from __future__ import annotations

from typing import Any

from klynge.views import admin_orgs, admin_users, audit_log, jobs, orgs, public, tasks

VIEW_HANDLERS: list[Any] = [
    *public.HANDLERS,
    *orgs.HANDLERS,
    *admin_users.HANDLERS,
    *admin_orgs.HANDLERS,
    *audit_log.HANDLERS,
    *jobs.HANDLERS,
    *tasks.HANDLERS,
]
