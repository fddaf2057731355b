"""Use cases for the rest of the directory: municipal services, research groups, funders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge import audit
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Forbidden, NotFound
from klynge.i18n import N_
from klynge.orgs import schemas as s
from klynge.orgs import validators
from klynge.orgs.municipalities import validated
from klynge.orgs.tables import Funder, Municipality, ResearchGroup, Service
from klynge.privacy import guard_text


def service_out(row: Mapping[str, Any]) -> s.ServiceOut:
    return s.ServiceOut(
        id=row["id"],
        municipality_id=row["municipality"],
        service_type=s.ServiceType(row["service_type"]),
        name=row["name"],
        description=row["description"],
    )


async def create_service(
    actor: Principal, municipality_id: int, data: s.ServiceCreate
) -> s.ServiceOut:
    if not access.coordinates(actor, municipality_id):
        raise Forbidden()
    guard_text({"description": data.description})
    async with transaction():
        if not await Municipality.exists().where(Municipality.id == municipality_id):
            raise NotFound(N_("We could not find the municipality."))
        row = (
            await Service.insert(
                Service(
                    municipality=municipality_id,
                    service_type=data.service_type.value,
                    name=data.name.strip(),
                    description=data.description,
                )
            ).returning(*Service.all_columns())
        )[0]
        await audit.record(actor, "service.create", "service", row["id"], after=row)
    return service_out(row)


async def list_services(municipality_id: int) -> list[s.ServiceOut]:
    rows = (
        await Service.select().where(Service.municipality == municipality_id).order_by(Service.name)
    )
    return [service_out(r) for r in rows]


def group_out(row: Mapping[str, Any]) -> s.ResearchGroupOut:
    return s.ResearchGroupOut(
        id=row["id"],
        name=row["name"],
        institution=row["institution"],
        unit=row["unit"],
        org_number=row["org_number"],
        sector=s.Sector(row["sector"]),
        description=row["description"],
    )


async def create_research_group(
    actor: Principal, data: s.ResearchGroupCreate
) -> s.ResearchGroupOut:
    orgnr = validated(validators.validate_orgnr, "org_number", data.org_number)
    guard_text({"description": data.description})
    async with transaction():
        row = (
            await ResearchGroup.insert(
                ResearchGroup(
                    name=data.name.strip(),
                    institution=data.institution.strip(),
                    unit=data.unit.strip(),
                    org_number=orgnr,
                    sector=data.sector.value,
                    description=data.description,
                )
            ).returning(*ResearchGroup.all_columns())
        )[0]
        await audit.record(actor, "research_group.create", "research_group", row["id"], after=row)
    return group_out(row)


async def list_research_groups() -> list[s.ResearchGroupOut]:
    return [group_out(r) for r in await ResearchGroup.select().order_by(ResearchGroup.name)]


def funder_out(row: Mapping[str, Any]) -> s.FunderOut:
    return s.FunderOut(
        id=row["id"], name=row["name"], org_number=row["org_number"], description=row["description"]
    )


async def create_funder(actor: Principal, data: s.FunderCreate) -> s.FunderOut:
    orgnr = validated(validators.validate_orgnr, "org_number", data.org_number)
    guard_text({"description": data.description})
    async with transaction():
        row = (
            await Funder.insert(
                Funder(
                    name=data.name.strip(),
                    org_number=orgnr,
                    description=data.description,
                )
            ).returning(*Funder.all_columns())
        )[0]
        await audit.record(actor, "funder.create", "funder", row["id"], after=row)
    return funder_out(row)


async def list_funders() -> list[s.FunderOut]:
    return [funder_out(r) for r in await Funder.select().order_by(Funder.name)]
