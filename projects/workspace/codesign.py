"""Co-design sessions of a project (who took part by role, agenda, decisions) with their
follow-up actions; the project page's co-design section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from klynge import audit
from klynge.apps import Section
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.errors import NotFound
from klynge.i18n import N_
from projects.workspace import codesign_actions as actions
from projects.workspace import codesign_schemas as s
from projects.workspace.access import Access, require_edit, require_see
from projects.workspace.loading import load_access
from projects.workspace.tables import CodesignSession

NO_SESSION = N_("No such co-design session.")

MODE_LABELS = {
    "in_person": N_("In person"),
    "video": N_("Video meeting"),
    "hybrid": N_("Hybrid"),
}
ROLE_LABELS = {
    "leaders": N_("Leaders"),
    "employees": N_("Employees"),
    "researchers": N_("Researchers"),
    "youth": N_("Youth"),
    "parents": N_("Parents"),
    "user_organisations": N_("User organisations"),
    "others": N_("Others"),
}


def _attendance(value: Any) -> s.Attendance:
    raw = json_value(value, {})
    known = {k: int(v) for k, v in dict(raw).items() if k in s.ROLES}
    return msgspec.convert(known, s.Attendance)


def user_representatives(attendance: s.Attendance) -> int:
    return sum(getattr(attendance, role) for role in s.USER_REPRESENTATIVE_ROLES)


def _session_out(row: Mapping[str, Any], found: list[s.ActionOut]) -> s.SessionOut:
    attendance = _attendance(row["attendance"])
    return s.SessionOut(
        id=row["id"],
        project_id=row["project"],
        held_on=row["held_on"],
        mode=s.Mode(row["mode"]),
        place=row["place"],
        attendance=attendance,
        user_representatives=user_representatives(attendance),
        agenda=row["agenda"],
        decisions=row["decisions"],
        actions=[a for a in found if a.session_id == row["id"]],
        created_at=row["created_at"],
    )


async def project_sessions(
    project_id: int, found: list[s.ActionOut] | None = None
) -> list[s.SessionOut]:
    """Newest first, each with its actions (two queries whatever the number; one when the
    project's actions are given)."""
    rows = (
        await CodesignSession.select()
        .where(CodesignSession.project == project_id)
        .order_by(CodesignSession.held_on, ascending=False)
        .order_by(CodesignSession.id, ascending=False)
    )
    if found is None:
        found = await actions.project_actions(project_id)
    return [_session_out(r, found) for r in rows]


async def list_sessions(actor: Principal | None, project_id: int) -> list[s.SessionOut]:
    access = await load_access(actor, project_id)
    require_see(access)
    return await project_sessions(project_id)


async def get_session(actor: Principal | None, project_id: int, session_id: int) -> s.SessionOut:
    access = await load_access(actor, project_id)
    require_see(access)
    return await _one(project_id, session_id)


async def _one(project_id: int, session_id: int) -> s.SessionOut:
    row = await (
        CodesignSession.select()
        .where((CodesignSession.id == session_id) & (CodesignSession.project == project_id))
        .first()
    )
    if row is None:
        raise NotFound(NO_SESSION)
    return _session_out(row, await actions.project_actions(project_id))


def _values(data: s.SessionCreate | s.SessionUpdate) -> dict[str, Any]:
    """The given fields as column values (the user-representative count kept in step)."""
    values: dict[str, Any] = {}
    for name in ("held_on", "mode", "place", "agenda", "decisions"):
        value = getattr(data, name)
        if value is not None:
            values[name] = value.value if isinstance(value, s.Mode) else value
    if data.attendance is not None:
        values["attendance"] = msgspec.to_builtins(data.attendance)
        values["user_representatives"] = user_representatives(data.attendance)
    return values


async def create_session(actor: Principal, project_id: int, data: s.SessionCreate) -> s.SessionOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    values = _values(data)
    async with transaction():
        inserted = await CodesignSession.insert(
            CodesignSession(project=project_id, created_by=actor.account_id, **values)
        ).returning(CodesignSession.id)
        session_id = int(inserted[0]["id"])
        await audit.record(
            actor,
            "create",
            "codesign_session",
            session_id,
            cluster_id=access.cluster_id,
            after=values,
        )
    return await _one(project_id, session_id)


async def update_session(
    actor: Principal, project_id: int, session_id: int, data: s.SessionUpdate
) -> s.SessionOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    before = await _one(project_id, session_id)
    values = _values(data)
    if not values:
        return before
    async with transaction():
        await CodesignSession.update(values).where(CodesignSession.id == session_id)
        old = msgspec.to_builtins(before)
        await audit.record(
            actor,
            "update",
            "codesign_session",
            session_id,
            cluster_id=access.cluster_id,
            before={k: old[k] for k in values if k in old},
            after=values,
        )
    return await _one(project_id, session_id)


async def section(actor: Principal | None, access: Access) -> Section:
    """The project page's co-design section: sessions newest first with their actions, and the
    actions that belong to no session."""
    found = await actions.project_actions(access.project_id)
    sessions = await project_sessions(access.project_id, found)
    return Section(
        "projects/workspace/_codesign.html",
        {
            "codesign_sessions": sessions,
            "codesign_loose_actions": [a for a in found if a.session_id is None],
            "codesign_may_edit": access.edit,
            "codesign_project_id": access.project_id,
            "codesign_mode_labels": MODE_LABELS,
            "codesign_role_labels": ROLE_LABELS,
            "codesign_roles": s.ROLES,
        },
    )
