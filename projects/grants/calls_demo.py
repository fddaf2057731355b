"""Demo calls: the demo funder publishes a call open today with full state financing and one
with co-financing that closed earlier in the year; through the calls' own use cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from projects.grants import calls
from projects.grants import calls_schemas as s
from projects.grants.tables import Call

OPEN_CALL: dict[str, Any] = {
    "title": "Kunnskapsbaserte tiltak med full statlig finansiering",
    "description": (
        "Utlysningen finansierer FoU-prosjekter der kommuner i en klynge prøver ut og evaluerer "
        "kunnskapsbaserte tiltak for utsatte barn og unge, uten kommunal egenandel."
    ),
    "opens_on": dt.date(2026, 11, 1),
    "closes_on": dt.date(2027, 2, 15),
    "budget": "20 000 000",
    "max_per_application": "3 000 000",
    "eligible_kinds": ["cluster"],
    "service_areas": ["barnevern", "skole", "helsestasjon"],
    "criteria": ["Relevans for tjenestene", "Kvalitet i FoU-arbeidet", "Gjennomførbarhet"],
    "report_schedule": {"progress_months": 6, "final": True},
    "conditions": [
        {"kind": "full_financing"},
        {"kind": "min_rnd_share", "params": {"percent": 20}},
        {"kind": "no_existing_positions"},
        {"kind": "rnd_partner"},
        {"kind": "approvals", "params": {"kinds": ["data_protection"]}},
        {"kind": "min_municipalities", "params": {"count": 2}, "hard": False},
        {"kind": "user_representatives", "params": {"count": 1}},
        {"kind": "max_amount"},
        {"kind": "report_schedule"},
    ],
    "is_public": True,
}
CLOSED_CALL: dict[str, Any] = {
    "title": "Samhandling om barn og unge med egenandel",
    "description": "Prosjekter om samhandling mellom tjenestene, med 30 % kommunal egenandel.",
    "opens_on": dt.date(2026, 2, 1),
    "closes_on": dt.date(2026, 5, 31),
    "budget": "8 000 000",
    "max_per_application": "1 500 000",
    "eligible_kinds": ["cluster", "municipality"],
    "service_areas": ["barnevern", "bup"],
    "criteria": ["Relevans", "Kvalitet"],
    "report_schedule": {"progress_months": 6, "final": True},
    "conditions": [
        {"kind": "co_financing", "params": {"own_percent": 30}},
        {"kind": "min_rnd_share", "params": {"percent": 15}},
        {"kind": "no_existing_positions"},
        {"kind": "report_schedule"},
    ],
    "is_public": True,
}


async def _seed(officer: Principal, funder_id: int, data: dict[str, Any], close: bool) -> int:
    found = await (
        Call.select(Call.id)
        .where((Call.funder == funder_id) & (Call.title == data["title"]))
        .first()
    )
    if found is not None:
        return int(found["id"])
    body = msgspec.convert({**data, "funder_id": funder_id}, s.CallCreate)
    call = await calls.create_call(officer, body)
    await calls.publish_call(officer, call.id)
    if close:
        await calls.close_call(officer, call.id)
    return call.id


async def seed_demo_calls(funder_officer: Principal) -> list[int]:
    """The two demo calls of the officer's funder (idempotent: found by title)."""
    funder_id = min(funder_officer.org_ids(Role.FUNDER_OFFICER))
    return [
        await _seed(funder_officer, funder_id, OPEN_CALL, close=False),
        await _seed(funder_officer, funder_id, CLOSED_CALL, close=True),
    ]
