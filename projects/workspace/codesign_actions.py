"""Follow-up actions of a project (from a co-design session or free-standing): who may own one,
creating, changing and marking them done, and each account's open actions across projects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from klynge import audit, notifications
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.auth.tables import Account, RoleAssignment
from klynge.db import transaction
from klynge.errors import FieldError, Invalid, NotFound
from klynge.i18n import N_
from projects.tables import Project
from projects.workspace import codesign_schemas as s
from projects.workspace.access import Access, require_edit, require_see
from projects.workspace.loading import load_access
from projects.workspace.plan_rules import is_overdue
from projects.workspace.tables import CodesignSession, ProjectAction

NO_ACTION = N_("No such action.")
NOT_AN_OWNER = N_("Choose someone who takes part in the project.")
NO_SESSION = N_("No such co-design session in this project.")


async def owner_choices(access: Access) -> list[s.OwnerChoice]:
    """Who may own an action: the named participants, the project leader and the cluster's
    R&D advisers (by name, for a select list)."""
    ids: set[int] = set(access.facts.participant_accounts)
    if access.facts.leader_id is not None:
        ids.add(access.facts.leader_id)
    advisers = await RoleAssignment.select(RoleAssignment.account).where(
        (RoleAssignment.role == Role.ADVISER.value) & (RoleAssignment.cluster == access.cluster_id)
    )
    ids.update(int(r["account"]) for r in advisers)
    if not ids:
        return []
    rows = await Account.select(Account.id, Account.name).where(Account.id.is_in(sorted(ids)))
    return sorted(
        (s.OwnerChoice(account_id=r["id"], name=r["name"]) for r in rows),
        key=lambda c: (c.name.lower(), c.account_id),
    )


async def _check_owner(access: Access, owner_id: int | None) -> None:
    if owner_id is None:
        return
    if owner_id not in {c.account_id for c in await owner_choices(access)}:
        raise Invalid(NOT_AN_OWNER, [FieldError("owner_id", NOT_AN_OWNER)])


async def _check_session(access: Access, session_id: int | None) -> None:
    if session_id is None:
        return
    found = await CodesignSession.exists().where(
        (CodesignSession.id == session_id) & (CodesignSession.project == access.project_id)
    )
    if not found:
        raise Invalid(NO_SESSION, [FieldError("session_id", NO_SESSION)])


def action_out(row: Mapping[str, Any], today: dt.date | None = None) -> s.ActionOut:
    """An action from a row selected by `_columns()`."""
    done_at = row["done_at"]
    due = row["due"]
    return s.ActionOut(
        id=row["id"],
        project_id=row["project"],
        project_title=row["project.title"] or "",
        session_id=row["session"],
        title=row["title"],
        owner_id=row["owner"],
        owner_name=row["owner.name"] or "",
        due=due,
        done=done_at is not None,
        done_at=done_at,
        overdue=done_at is None and is_overdue(due, "", today or dt.date.today()),
    )


def _columns() -> list[Any]:
    a = ProjectAction
    return [
        a.id,
        a.project,
        a.project.title,
        a.session,
        a.title,
        a.owner,
        a.owner.name,
        a.due,
        a.done_at,
    ]


def _order(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Open first, by due date (none last), then done ones."""
    return sorted(
        rows,
        key=lambda r: (
            r["done_at"] is not None,
            r["due"] is None,
            r["due"] or dt.date.max,
            r["id"],
        ),
    )


async def project_actions(project_id: int) -> list[s.ActionOut]:
    rows = await ProjectAction.select(*_columns()).where(ProjectAction.project == project_id)
    return [action_out(r) for r in _order(rows)]


async def list_actions(actor: Principal | None, project_id: int) -> list[s.ActionOut]:
    access = await load_access(actor, project_id)
    require_see(access)
    return await project_actions(project_id)


async def _notify_owner(
    actor: Principal, access: Access, action_id: int, title: str, owner: int
) -> None:
    if owner == actor.account_id:
        return
    await notifications.notify(
        "project_action_assigned",
        N_("You have been given a follow-up task: «%(title)s»."),
        params={"title": title},
        link=f"/prosjekter/{access.project_id}#handling-{action_id}",
        cluster_id=access.cluster_id,
        account_id=owner,
    )


async def create_action(actor: Principal, project_id: int, data: s.ActionCreate) -> s.ActionOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    await _check_owner(access, data.owner_id)
    await _check_session(access, data.session_id)
    async with transaction():
        inserted = await ProjectAction.insert(
            ProjectAction(
                project=project_id,
                session=data.session_id,
                title=data.title.strip(),
                owner=data.owner_id,
                due=data.due,
                created_by=actor.account_id,
            )
        ).returning(ProjectAction.id)
        action_id = int(inserted[0]["id"])
        after = {"title": data.title, "owner": data.owner_id, "due": data.due}
        await audit.record(
            actor, "create", "project_action", action_id, cluster_id=access.cluster_id, after=after
        )
        if data.owner_id is not None:
            await _notify_owner(actor, access, action_id, data.title, data.owner_id)
    return await _one(project_id, action_id)


async def _one(project_id: int, action_id: int) -> s.ActionOut:
    row = await (
        ProjectAction.select(*_columns())
        .where((ProjectAction.id == action_id) & (ProjectAction.project == project_id))
        .first()
    )
    if row is None:
        raise NotFound(NO_ACTION)
    return action_out(row)


async def update_action(
    actor: Principal, project_id: int, action_id: int, data: s.ActionUpdate
) -> s.ActionOut:
    access = await load_access(actor, project_id)
    require_edit(access)
    before = await _one(project_id, action_id)
    await _check_owner(access, data.owner_id)
    changes: dict[Any, Any] = {}
    if data.title is not None:
        changes[ProjectAction.title] = data.title.strip()
    if data.owner_id is not None:
        changes[ProjectAction.owner] = data.owner_id
    if data.due is not None:
        changes[ProjectAction.due] = data.due
    if data.done is not None and data.done != before.done:
        changes[ProjectAction.done_at] = dt.datetime.now(dt.UTC) if data.done else None
    if not changes:
        return before
    async with transaction():
        await ProjectAction.update(changes).where(ProjectAction.id == action_id)
        after = {c._meta.name: v for c, v in changes.items()}
        await audit.record(
            actor,
            "update",
            "project_action",
            action_id,
            cluster_id=access.cluster_id,
            before={
                "title": before.title,
                "owner": before.owner_id,
                "due": before.due,
                "done": before.done,
            },
            after=after,
        )
        new_owner = data.owner_id
        if new_owner is not None and new_owner != before.owner_id:
            await _notify_owner(actor, access, action_id, data.title or before.title, new_owner)
    return await _one(project_id, action_id)


async def mark_done(actor: Principal, project_id: int, action_id: int) -> s.ActionOut:
    return await update_action(actor, project_id, action_id, s.ActionUpdate(done=True))


async def open_actions_for(account_id: int) -> list[s.ActionOut]:
    """The account's open actions across every project, soonest due first (for task lists)."""
    rows = await ProjectAction.select(*_columns()).where(
        (ProjectAction.owner == account_id) & ProjectAction.done_at.is_null()
    )
    return [action_out(r) for r in _order(rows)]


async def open_action_count(account_id: int) -> int:
    """len(open_actions_for(account_id)), counted in SQL."""
    return int(
        await ProjectAction.count().where(
            (ProjectAction.owner == account_id) & ProjectAction.done_at.is_null()
        )
    )


async def my_actions(actor: Principal) -> list[s.ActionOut]:
    """The caller's open actions (the "My actions" page and GET /api/me/actions)."""
    return await open_actions_for(actor.account_id)


def _audit_view(action: s.ActionOut) -> dict[str, Any]:
    return {"title": action.title, "owner": action.owner_id, "due": action.due, "done": action.done}


async def list_owner_choices(actor: Principal | None, project_id: int) -> list[s.OwnerChoice]:
    access = await load_access(actor, project_id)
    require_edit(access)
    return await owner_choices(access)


@dataclass(frozen=True, slots=True)
class ProjectHead:
    """What a workspace form page shows of its project."""

    id: int
    title: str
    owners: list[s.OwnerChoice]


async def project_head(actor: Principal | None, project_id: int) -> ProjectHead:
    """For the team's form pages (sessions, actions, plan items): the project's title and who
    may own an action; 403 to those who only see the project."""
    access = await load_access(actor, project_id)
    require_see(access)
    require_edit(access)
    row = await Project.select(Project.title).where(Project.id == project_id).first()
    title = "" if row is None else str(row["title"])
    return ProjectHead(project_id, title, await owner_choices(access))
