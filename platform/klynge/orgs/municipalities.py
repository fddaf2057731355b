"""Use cases for municipalities: the directory's list, one by one and by file import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from klynge import audit, text
from klynge.auth.principal import Principal
from klynge.auth.tables import Account
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Invalid, NotFound
from klynge.i18n import N_
from klynge.orgs import schemas as s
from klynge.orgs import validators
from klynge.orgs.tables import Municipality


def validated(fn: Any, field: str, value: Any, **kwargs: Any) -> Any:
    """fn(value), its ValidationError as Invalid on `field`."""
    try:
        return fn(value, **kwargs)
    except validators.ValidationError as exc:
        raise Invalid(
            exc.message, [FieldError(field, exc.message, params=exc.params)], params=exc.params
        ) from None


def municipality_out(row: Mapping[str, Any]) -> s.MunicipalityOut:
    return s.MunicipalityOut(
        id=row["id"],
        number=row["number"],
        name=row["name"],
        county=row["county"],
        population=row["population"],
        language=row["language"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
    )


async def list_municipalities(search: str = "") -> list[s.MunicipalityOut]:
    rows = await Municipality.select().order_by(Municipality.number)
    if search.strip():
        rows = [r for r in rows if text.contains(search, r["name"], r["number"], r["county"])]
    return [municipality_out(r) for r in rows]


async def get_municipality(municipality_id: int) -> s.MunicipalityOut:
    row = await Municipality.select().where(Municipality.id == municipality_id).first()
    if row is None:
        raise NotFound(N_("We could not find the municipality."))
    return municipality_out(row)


async def _overlapping_numbers(numbers: list[str]) -> set[tuple[str, dt.date]]:
    if not numbers:
        return set()
    rows = await Municipality.select(Municipality.number, Municipality.valid_from).where(
        Municipality.number.is_in(numbers), Municipality.valid_to.is_null()
    )
    return {(r["number"], r["valid_from"]) for r in rows}


async def create_municipality(actor: Principal, data: s.MunicipalityCreate) -> s.MunicipalityOut:
    number = validated(validators.validate_kommunenummer, "number", data.number, on=data.valid_from)
    language = validated(validators.parse_language_decision, "language", data.language)
    async with transaction():
        if await _overlapping_numbers([number]):
            exists = N_("Municipality number %(number)s already exists.")
            params = {"number": number}
            raise Conflict(exists, [FieldError("number", exists, params=params)], params=params)
        row = (
            await Municipality.insert(
                Municipality(
                    number=number,
                    name=data.name.strip(),
                    county=validators.county_for(number),
                    population=data.population,
                    language=language.value,
                    valid_from=data.valid_from,
                )
            ).returning(*Municipality.all_columns())
        )[0]
        await audit.record(actor, "municipality.create", "municipality", row["id"], after=row)
    return municipality_out(row)


async def import_municipalities(actor_id: int | None, rows: list[Any]) -> list[s.MunicipalityOut]:
    """Insert already parsed and validated rows, all or nothing."""
    numbers = [r.number for r in rows]
    existing = await _overlapping_numbers(numbers)
    errors = [
        FieldError(
            "kommunenummer",
            N_("Municipality number %(number)s already exists."),
            row=r.row,
            params={"number": r.number},
        )
        for r in rows
        if any(n == r.number for n, _ in existing)
    ]
    if errors:
        raise Invalid(N_("The file was not imported: some municipalities already exist."), errors)
    actor = await _actor(actor_id)
    created = []
    for r in rows:
        row = (
            await Municipality.insert(
                Municipality(
                    number=r.number,
                    name=r.name,
                    county=r.county,
                    population=r.population,
                    language=r.language.value,
                    valid_from=r.valid_from,
                )
            ).returning(*Municipality.all_columns())
        )[0]
        await audit.record(actor, "municipality.import", "municipality", row["id"], after=row)
        created.append(municipality_out(row))
    return created


async def _actor(account_id: int | None) -> Principal | None:
    if account_id is None:
        return None
    row = await Account.select(Account.name, Account.email).where(Account.id == account_id).first()
    if row is None:
        return None
    return Principal(account_id=account_id, name=row["name"], email=row["email"], language="nb")
