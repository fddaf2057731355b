"""The contact person of a participating municipality or service: an account of that
organisation, chosen by the project team or by the organisation's own coordinator or leader."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge import directory
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import FieldError, Forbidden, Invalid
from klynge.i18n import N_
from projects.workspace import participant_store as store
from projects.workspace.loading import load_access
from projects.workspace.participant_schemas import ContactUpdate, ParticipantOut
from projects.workspace.participants_join import acts_for_row
from projects.workspace.participants_rules import Kind

NO_CONTACT = N_("Only a participating municipality or service has a contact person.")


async def org_people(participant: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The people a participation's contact person may be chosen from."""
    if participant["kind"] == Kind.MUNICIPALITY and participant["municipality"]:
        return await directory.org_people(municipality_ids=[participant["municipality"]])
    if participant["kind"] == Kind.SERVICE and participant["service"]:
        return await directory.org_people(service_ids=[participant["service"]])
    return []


def _belongs(person: Mapping[str, Any], participant: Mapping[str, Any]) -> bool:
    """Is `person` (of `directory.org_people`) one of the participation's `org_people`?"""
    if participant["kind"] == Kind.MUNICIPALITY and participant["municipality"]:
        return bool(person["municipality_id"] == participant["municipality"])
    if participant["kind"] == Kind.SERVICE and participant["service"]:
        return bool(person["service_id"] == participant["service"])
    return False


async def contact_options(found: list[Mapping[str, Any]]) -> dict[int, list[tuple[int, str]]]:
    """Participant id -> (account id, name) choices, for the open municipalities and services:
    their people read at once (one query whatever the number of participants)."""
    open_ = [
        p
        for p in found
        if p["kind"] in (Kind.MUNICIPALITY, Kind.SERVICE)
        and p["status"] in ("invited", "requested", "active")
    ]
    munis = sorted({p["municipality"] for p in open_ if p["kind"] == Kind.MUNICIPALITY} - {None})
    services = sorted({p["service"] for p in open_ if p["kind"] == Kind.SERVICE} - {None})
    people = (
        await directory.org_people(municipality_ids=munis, service_ids=services)
        if munis or services
        else []
    )
    options: dict[int, list[tuple[int, str]]] = {}
    for participant in open_:
        named = {p["id"]: p["name"] for p in people if _belongs(p, participant)}
        options[participant["id"]] = sorted(named.items(), key=lambda p: (p[1], p[0]))
    return options


async def set_contact(
    actor: Principal, project_id: int, participant_id: int, data: ContactUpdate
) -> ParticipantOut:
    async with transaction():
        access = await load_access(actor, project_id)
        project = await store.project_row(project_id)
        current = await store.row(project_id, participant_id)
        if not (access.edit or await acts_for_row(actor, current)):
            raise Forbidden(N_("Only the project team can change the project."))
        if current["kind"] not in (Kind.MUNICIPALITY, Kind.SERVICE):
            raise Invalid(NO_CONTACT, [FieldError("account_id", NO_CONTACT)])
        people = {p["id"] for p in await org_people(current)}
        if data.account_id is not None and data.account_id not in people:
            raise Invalid(
                N_("Some fields need attention."),
                [FieldError("account_id", N_("Choose a person from that organisation."))],
            )
        changed = await store.update(actor, project, current, "contact", account=data.account_id)
    return (await store.outs([changed]))[0]
