"""Joining a project: the invited municipality accepts or declines, a member municipality of the
cluster asks to join. Those callers do not see the project yet (access counts only active
participations), so these use cases check their own rule: the caller belongs to a municipality
that is invited or is a member of the project's cluster; anyone else gets 404."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge import directory
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.i18n import N_
from projects.workspace import participant_store as store
from projects.workspace.access import NOT_FOUND, Access, decide
from projects.workspace.loading import load_facts
from projects.workspace.participant_schemas import (
    InvitationResponse,
    JoinRequest,
    ParticipantOut,
    Response,
)
from projects.workspace.participants_rules import Event, Kind, Status, acts_for

NOT_YOURS = N_("Only the municipality's coordinator or a service leader there can answer.")


async def _led_services(actor: Principal) -> dict[int, int]:
    return await directory.service_municipalities(sorted(actor.org_ids(Role.SERVICE_LEADER)))


async def acting_municipalities(actor: Principal) -> set[int]:
    """The municipalities the caller may answer for (coordinator, or a service leader there)."""
    led = await _led_services(actor)
    return set(actor.org_ids(Role.COORDINATOR)) | set(led.values())


async def acts_for_row(actor: Principal, participant: Mapping[str, Any]) -> bool:
    """May the caller answer for this participation (its municipality, service, or itself)?"""
    led = await _led_services(actor)
    coordinated = actor.org_ids(Role.COORDINATOR)
    if participant["municipality"]:
        return acts_for(participant["municipality"], coordinated, led)
    if participant["service"]:
        if participant["service"] in led:
            return True
        munis = await directory.service_municipalities([participant["service"]])
        return acts_for(munis.get(participant["service"], -1), coordinated, {})
    return participant["account"] is not None and participant["account"] == actor.account_id


async def _join_access(actor: Principal, project_id: int) -> tuple[Access, dict[str, Any]]:
    """The caller's access and the project; 404 unless they see the project, or belong to an
    invited municipality or a member municipality of its cluster."""
    facts = await load_facts(project_id)
    if facts is None:
        raise NotFound(NOT_FOUND)
    access = decide(actor, facts)
    project = await store.project_row(project_id)
    members = {m for m, _ in await directory.member_municipalities(facts.cluster_id)}
    invited = {
        r["municipality"]
        for r in await store.rows(project_id)
        if r["status"] == Status.INVITED and r["municipality"]
    }
    if not (access.see or actor.is_admin or actor.municipality_ids & (members | invited)):
        raise NotFound(NOT_FOUND)
    project["members"] = members
    return access, project


async def join_page(actor: Principal, project_id: int) -> dict[str, Any]:
    """What the join page shows: the project's title and summary, the caller's invitations
    and requests, and the municipalities they may ask to join for."""
    access, project = await _join_access(actor, project_id)
    mine = await acting_municipalities(actor)
    found = await store.rows(project_id)
    invitations = [r for r in found if r["status"] == Status.INVITED and r["municipality"] in mine]
    requests = [r for r in found if r["status"] == Status.REQUESTED and r["municipality"] in mine]
    taken = {r["municipality"] for r in found if r["status"] in store.OPEN}
    may_ask = sorted((mine & project["members"]) - taken)
    names = await directory.municipality_names(may_ask)
    people = await directory.org_people(municipality_ids=sorted(mine)) if invitations else []
    return {
        "project": project,
        "sees_project": access.see,
        "invitations": await store.outs(invitations),
        "requests": await store.outs(requests),
        "may_ask": [(m, names.get(m, "")) for m in may_ask],
        "people": people,
    }


async def request_join(actor: Principal, project_id: int, data: JoinRequest) -> ParticipantOut:
    """A member municipality of the cluster asks to join; the project leader and the cluster's
    advisers are told. The caller becomes the contact person."""
    async with transaction():
        _, project = await _join_access(actor, project_id)
        muni = data.municipality_id
        if muni not in await acting_municipalities(actor):
            raise Forbidden(NOT_YOURS)
        if muni not in project["members"]:
            raise Invalid(
                N_("Some fields need attention."),
                [FieldError("municipality_id", N_("Choose a member municipality of the cluster."))],
            )
        existing = await store.rows(project_id)
        if store.open_row(existing, "municipality", muni):
            raise Conflict(N_("The organisation already takes part in the project or is invited."))
        earlier = store.last_row(existing, "municipality", muni)
        note = data.note.strip()
        if earlier is not None:
            new = await store.move(
                actor, project, earlier, Event.REQUEST, note=note, account=actor.account_id
            )
        else:
            new = await store.insert(
                actor,
                project,
                Status.REQUESTED,
                kind=Kind.MUNICIPALITY.value,
                municipality=muni,
                account=actor.account_id,
                note=note,
            )
        name = (await directory.municipality_names([muni])).get(muni, "")
        await store.notify_managers(
            project,
            "project_join_requested",
            N_("%(name)s asks to take part in the project «%(title)s»."),
            {"name": name, "title": project["title"]},
            f"/prosjekter/{project_id}#deltakere",
        )
    return (await store.outs([new]))[0]


async def respond(
    actor: Principal, project_id: int, participant_id: int, data: InvitationResponse
) -> ParticipantOut:
    """The invited municipality accepts (with its contact person) or declines."""
    async with transaction():
        _, project = await _join_access(actor, project_id)
        current = await store.row(project_id, participant_id)
        if not await acts_for_row(actor, current):
            raise Forbidden(NOT_YOURS)
        accept = data.response is Response.ACCEPT
        changes: dict[str, Any] = {}
        if data.note.strip():
            changes["note"] = data.note.strip()
        if accept:
            contact = data.contact_id or actor.account_id
            people = await directory.org_people(municipality_ids=[current["municipality"] or -1])
            if contact != actor.account_id and contact not in {p["id"] for p in people}:
                raise Invalid(
                    N_("Some fields need attention."),
                    [FieldError("contact_id", N_("Choose a person from that organisation."))],
                )
            changes["account"] = contact
        moved = await store.move(
            actor, project, current, Event.ACCEPT if accept else Event.REFUSE, **changes
        )
        name = (await directory.municipality_names([current["municipality"] or -1])).get(
            current["municipality"] or -1, ""
        )
        await store.notify_managers(
            project,
            "project_invitation_answered",
            N_("%(name)s has accepted the invitation to the project «%(title)s».")
            if accept
            else N_("%(name)s has declined the invitation to the project «%(title)s»."),
            {"name": name, "title": project["title"]},
            f"/prosjekter/{project_id}#deltakere",
        )
    return (await store.outs([moved]))[0]
