"""The audit log page: admins see every event, advisers the events of their clusters."""

from __future__ import annotations

import json
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from klynge.audit_controllers import read_audit
from klynge.audit_labels import action_label, object_label, translate_values
from klynge.auth.guards import requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.views.common import render

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _pretty(value: Any) -> str:
    """The recorded values, their codes (statuses, reasons) in the reader's language."""
    if value is None:
        return ""
    return json.dumps(translate_values(value), ensure_ascii=False, indent=2, default=str)


@get("/logg", guards=[requires_role(Role.ADVISER)], include_in_schema=False, name="audit")
async def audit_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    cluster_id = _int(request.query_params.get("cluster_id"))
    before_id = _int(request.query_params.get("before_id"))
    events = await read_audit(actor, cluster_id, PAGE_SIZE, before_id)
    return render(
        "core/audit.html",
        events=[
            (
                e,
                action_label(e.action),
                object_label(e.object_type),
                _pretty(e.before),
                _pretty(e.after),
            )
            for e in events
        ],
        cluster_id=cluster_id,
        older=events[-1].id if len(events) == PAGE_SIZE else None,
        advised=sorted(actor.org_ids(Role.ADVISER)),
    )


HANDLERS = [audit_page]
