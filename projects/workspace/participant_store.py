"""Reading and writing participant rows for the participants' use cases: the rows of a project
with their organisations' names, inserts and status moves (audited), and the notifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from klynge import audit, directory, notifications
from klynge.auth.principal import Principal
from klynge.errors import Conflict, NotFound
from klynge.i18n import N_
from projects.tables import Project
from projects.workspace.participant_schemas import ParticipantOut
from projects.workspace.participants_rules import OPEN, Event, Kind, Status, next_status
from projects.workspace.tables import Participant

NO_PARTICIPANT = N_("We could not find the participant.")
NOT_NOW = N_("The participation cannot change this way now (it is %(status)s).")
STATUS_WORDS = {
    "invited": N_("invited"),
    "requested": N_("waiting for a decision"),
    "active": N_("active"),
    "declined": N_("declined"),
    "left": N_("ended"),
}
FIELDS = (
    "id",
    "project",
    "kind",
    "group",
    "municipality",
    "service",
    "account",
    "role",
    "label",
    "status",
    "note",
    "created_at",
    "decided_at",
)


async def project_row(project_id: int) -> dict[str, Any]:
    row = await (
        Project.select(
            Project.id,
            Project.cluster,
            Project.title,
            Project.leader,
            Project.group,
            Project.status,
            Project.summary_popular,
            Project.need_ids,
            Project.municipality_ids,
        )
        .where(Project.id == project_id)
        .first()
    )
    if row is None:
        raise NotFound(N_("No such project."))
    return dict(row)


async def rows(project_id: int) -> list[dict[str, Any]]:
    found = await (
        Participant.select(*(getattr(Participant, f) for f in FIELDS))
        .where(Participant.project == project_id)
        .order_by(Participant.id)
    )
    return [dict(r) for r in found]


async def row(project_id: int, participant_id: int) -> dict[str, Any]:
    found = await (
        Participant.select(*(getattr(Participant, f) for f in FIELDS))
        .where(Participant.id == participant_id, Participant.project == project_id)
        .first()
    )
    if found is None:
        raise NotFound(NO_PARTICIPANT)
    return dict(found)


def open_row(existing: list[dict[str, Any]], column: str, org_id: int) -> dict[str, Any] | None:
    """The participation of an organisation that is still open (invited, requested, active)."""
    for r in existing:
        if r[column] == org_id and r["status"] in OPEN:
            return r
    return None


def last_row(existing: list[dict[str, Any]], column: str, org_id: int) -> dict[str, Any] | None:
    """The organisation's latest participation, open or not (a new request reuses it)."""
    found = [r for r in existing if r[column] == org_id]
    return found[-1] if found else None


async def outs(found: list[Mapping[str, Any]]) -> list[ParticipantOut]:
    def ids(column: str) -> list[int]:
        return sorted({r[column] for r in found if r[column]})

    groups = await directory.group_names(ids("group"))
    munis = await directory.municipality_names(ids("municipality"))
    services = await directory.service_names(ids("service"))
    people = await directory.account_names(ids("account"))
    return [
        ParticipantOut(
            id=r["id"],
            project_id=r["project"],
            kind=Kind(r["kind"]),
            status=Status(r["status"]),
            role=r["role"],
            label=r["label"],
            group_id=r["group"],
            group_name=groups.get(r["group"], ""),
            municipality_id=r["municipality"],
            municipality_name=munis.get(r["municipality"], ""),
            service_id=r["service"],
            service_name=services.get(r["service"], ""),
            account_id=r["account"],
            account_name=people.get(r["account"], ""),
            note=r["note"],
            created_at=r["created_at"],
            decided_at=r["decided_at"],
        )
        for r in found
    ]


async def insert(
    actor: Principal | None, project: Mapping[str, Any], status: Status, **values: Any
) -> dict[str, Any]:
    """A new participation, audited."""
    values = {"role": "", "label": "", "note": "", **values}
    created = await Participant.insert(
        Participant(
            project=project["id"],
            status=status.value,
            created_by=actor.account_id if actor else None,
            **values,
        )
    ).returning(Participant.id)
    new = await row(project["id"], created[0]["id"])
    await audit.record(
        actor,
        f"participant.{status.value}",
        "project_participant",
        new["id"],
        cluster_id=project["cluster"],
        after=new,
    )
    return new


async def move(
    actor: Principal | None,
    project: Mapping[str, Any],
    current: Mapping[str, Any],
    event: Event,
    **changes: Any,
) -> dict[str, Any]:
    """Change a participation's status by `event` (refused with 409 when the rules say no),
    with any other column `changes`; audited with before and after."""
    to = next_status(current["status"], event)
    if to is None:
        raise Conflict(NOT_NOW, params={"status": STATUS_WORDS.get(current["status"], "")})
    values: dict[Any, Any] = {Participant.status: to.value}
    values.update({getattr(Participant, k): v for k, v in changes.items()})
    if event not in (Event.INVITE, Event.REQUEST):
        values[Participant.decided_by] = actor.account_id if actor else None
        values[Participant.decided_at] = dt.datetime.now(dt.UTC)
    await Participant.update(values).where(Participant.id == current["id"])
    after = await row(project["id"], current["id"])
    await audit.record(
        actor,
        f"participant.{event.value}",
        "project_participant",
        current["id"],
        cluster_id=project["cluster"],
        before=dict(current),
        after=after,
    )
    return after


async def update(
    actor: Principal | None,
    project: Mapping[str, Any],
    current: Mapping[str, Any],
    what: str,
    **changes: Any,
) -> dict[str, Any]:
    """Change columns other than the status (e.g. the contact person), audited."""
    await Participant.update({getattr(Participant, k): v for k, v in changes.items()}).where(
        Participant.id == current["id"]
    )
    after = await row(project["id"], current["id"])
    await audit.record(
        actor,
        f"participant.{what}",
        "project_participant",
        current["id"],
        cluster_id=project["cluster"],
        before=dict(current),
        after=after,
    )
    return after


async def notify_managers(
    project: Mapping[str, Any], kind: str, text: str, params: Mapping[str, str], link: str
) -> None:
    """The project leader (when there is one) and the cluster's R&D advisers; `text` is an
    English msgid with its `params`."""
    accounts = set(await directory.cluster_advisers(project["cluster"]))
    if project["leader"]:
        accounts.add(project["leader"])
    for account in sorted(accounts):
        await notifications.notify(
            kind, text, params=params, link=link, cluster_id=project["cluster"], account_id=account
        )


async def notify_org(
    project: Mapping[str, Any],
    participant: Mapping[str, Any],
    kind: str,
    text: str,
    link: str,
    params: Mapping[str, str] | None = None,
) -> None:
    """The organisation (or account) a participation is about; nobody when it names none."""
    municipality, service = participant["municipality"], participant["service"]
    account = None if municipality or service else participant["account"]
    if municipality is None and service is None and account is None:
        return
    await notifications.notify(
        kind,
        text,
        params={"title": project["title"], **(params or {})},
        link=link,
        cluster_id=project["cluster"],
        municipality_id=municipality,
        service_id=service,
        account_id=account,
    )
