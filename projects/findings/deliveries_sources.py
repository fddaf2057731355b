"""Loads what publishing delivers from (`delivery_rules.Sources`): the project's taking-part
municipalities and services (the workspace's facts), the originating needs' askers and endorsers
(priorities.api), the municipalities already delivered to, and their written standards."""

from __future__ import annotations

from typing import Any

from klynge.db import json_value
from klynge.directory import member_municipalities, service_municipalities
from klynge.orgs.tables import Municipality
from priorities import api as priorities
from projects.findings.delivery_rules import Sources
from projects.findings.tables import Delivery
from projects.tables import Project
from projects.workspace import api as workspace


async def project_row(project_id: int) -> dict[str, Any]:
    row = await (
        Project.select(Project.id, Project.title, Project.cluster, Project.need_ids, Project.leader)
        .where(Project.id == project_id)
        .first()
    )
    assert row is not None  # the outcome's project cascades to it
    return {**row, "need_ids": [int(n) for n in json_value(row["need_ids"], [])]}


async def languages(municipality_ids: set[int]) -> dict[int, str]:
    rows = await Municipality.select(Municipality.id, Municipality.language).where(
        Municipality.id.is_in(sorted(municipality_ids) or [-1])
    )
    return {r["id"]: r["language"] for r in rows}


async def need_askers(
    need_ids: list[int],
) -> tuple[list[tuple[int, int | None]], list[tuple[int, int | None]]]:
    """(askers, endorsers): each need's own (municipality, service), and those who endorsed or
    co-submitted it."""
    askers: list[tuple[int, int | None]] = []
    endorsers: list[tuple[int, int | None]] = []
    for need_id in need_ids:
        pairs = await priorities.asker_orgs(need_id)
        askers += pairs[:1]
        endorsers += pairs[1:]
    return askers, endorsers


async def load_sources(project_id: int, added: set[int] | None = None) -> Sources:
    facts = await workspace.load_facts(project_id)
    assert facts is not None  # the outcome's project cascades to it
    project = await project_row(project_id)
    askers, endorsers = await need_askers(project["need_ids"])
    services = await service_municipalities(sorted(facts.service_ids))
    munis = set(facts.municipality_ids) | set(services.values()) | set(added or ())
    munis |= {m for m, _ in askers + endorsers}
    return Sources(
        cluster_id=facts.cluster_id,
        participants=frozenset(facts.municipality_ids),
        participant_services=services,
        askers=tuple(askers),
        endorsers=tuple(endorsers),
        added=frozenset(added or ()),
        languages=await languages(munis),
    )


async def delivered_municipalities(outcome_id: int) -> set[int]:
    rows = await Delivery.select(Delivery.municipality).where(
        Delivery.outcome == outcome_id, Delivery.municipality.is_not_null()
    )
    return {r["municipality"] for r in rows}


async def addable_municipalities(outcome_id: int, cluster_id: int) -> list[tuple[int, str]]:
    """The cluster's members without a delivery of the outcome yet: (id, name)."""
    taken = await delivered_municipalities(outcome_id)
    return [m for m in await member_municipalities(cluster_id) if m[0] not in taken]
