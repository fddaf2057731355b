"""A small world for the findings tests: a completed project in cluster A that answers a need
asked by Askøy's barnevern and endorsed by Øygarden, with Bergen and Askøy (and two of their
services) taking part, a funder with an officer, and a project of cluster B.

Publishing one of p_f's outcomes must deliver to: Bergen and Askøy (taking part), Øygarden
(endorsed the need), the asking service (Askøy barnevern) and cluster A: five deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import World
from tests.priorities.conftest import needs_world

__all__ = ["fworld", "needs_world", "person"]


async def person(app: Any, w: World, key: str, role: str | None = None, **org: int) -> int:
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account, RoleAssignment

    row = await Account.insert(
        Account(
            name=key.replace("_", " ").title(),
            email=f"{key}@test.klynge.no",
            password_hash=hash_password(w.password),
        )
    ).returning(Account.id)
    w.accounts[key] = row[0]["id"]
    if role:
        await RoleAssignment.insert(RoleAssignment(account=row[0]["id"], role=role, **org))
    w.headers[key] = {"Authorization": f"Bearer {app.state.codec.issue(row[0]['id'])}"}
    return int(row[0]["id"])


async def _municipality_and_service(w: World) -> None:
    from klynge.orgs.tables import ClusterMembership, Municipality, Service

    row = await Municipality.insert(
        Municipality(
            number="4626",
            name="Øygarden",
            county="Vestland",
            language="nynorsk",
            population=39000,
            valid_from=dt.date(2024, 1, 1),
        )
    ).returning(Municipality.id)
    w.ids["oygarden"] = row[0]["id"]
    await ClusterMembership.insert(
        ClusterMembership(
            cluster=w.ids["cluster_a"], municipality=w.ids["oygarden"], status="member"
        )
    )
    row = await Service.insert(
        Service(municipality=w.ids["oygarden"], service_type="skole", name="Skulane i Øygarden")
    ).returning(Service.id)
    w.ids["oygarden_skole"] = row[0]["id"]


async def _need(w: World) -> None:
    from priorities.tables import Need, NeedEndorsement, NeedService

    row = await Need.insert(
        Need(
            cluster=w.ids["cluster_a"],
            municipality=w.ids["askoy"],
            service=w.ids["askoy_barnevern"],
            submitted_by=w.accounts["leader_askoy"],
            title="Samarbeid mellom skole og barnevern om elever med høyt fravær",
            question="Hvordan kan skole og barnevern samarbeide bedre om elever med høyt fravær?",
            background="Vi ser økende fravær på ungdomsskolen.",
            prevention_level="selected",
            intended_use="service_development",
            status="matched",
            submitted_at=dt.datetime(2025, 1, 10, tzinfo=dt.UTC),
        )
    ).returning(Need.id)
    w.ids["need"] = row[0]["id"]
    await NeedService.insert(NeedService(need=w.ids["need"], service=w.ids["askoy_barnevern"]))
    await NeedEndorsement.insert(
        NeedEndorsement(
            need=w.ids["need"],
            municipality=w.ids["oygarden"],
            service=w.ids["oygarden_skole"],
            account=w.accounts["coordinator_oygarden"],
        )
    )


async def _projects(w: World) -> None:
    from klynge.orgs.tables import ResearchGroup
    from projects.tables import Project
    from projects.workspace.tables import Participant

    for key, name in (("group_f", "Skole og barnevern"), ("group_north", "Nord")):
        row = await ResearchGroup.insert(
            ResearchGroup(name=name, institution="UiB", org_number="974760673", sector="uoh")
        ).returning(ResearchGroup.id)
        w.ids[key] = row[0]["id"]
    row = await Project.insert(
        Project(
            cluster=w.ids["cluster_a"],
            group=w.ids["group_f"],
            title="Fråværsteam i skulen",
            status="completed",
            leader=w.accounts["researcher_f"],
            need_ids=[w.ids["need"]],
            municipality_ids=[w.ids["askoy"]],
            funder_ids=[w.ids["funder"]],
            summary_popular="Vi prøvde ut fråværsteam.",
            summary_language="nn",
        )
    ).returning(Project.id)
    w.ids["p_f"] = row[0]["id"]
    row = await Project.insert(
        Project(cluster=w.ids["cluster_b"], group=w.ids["group_north"], title="Nordlys")
    ).returning(Project.id)
    w.ids["p_north"] = row[0]["id"]
    await Participant.insert(
        Participant(
            project=w.ids["p_f"],
            kind="research_group",
            group=w.ids["group_f"],
            account=w.accounts["researcher_f"],
            role="leader",
        ),
        Participant(project=w.ids["p_f"], kind="municipality", municipality=w.ids["bergen"]),
        Participant(project=w.ids["p_f"], kind="municipality", municipality=w.ids["askoy"]),
        Participant(project=w.ids["p_f"], kind="service", service=w.ids["askoy_barnevern"]),
        Participant(project=w.ids["p_f"], kind="service", service=w.ids["bergen_skole"]),
        Participant(
            project=w.ids["p_north"],
            kind="research_group",
            group=w.ids["group_north"],
            account=w.accounts["researcher_north"],
            role="leader",
        ),
    )


@pytest.fixture
async def fworld(app: Any, needs_world: World) -> World:
    """needs_world + Øygarden (cluster A member, nynorsk) with its school service, the need,
    researchers, a funder, p_f (cluster A, completed) and p_north (cluster B).

    People: adviser_a/adviser_b, coordinator_askoy/bergen/oygarden/trondheim, leader_askoy
    (Askøy barnevern: the asking service), leader_bergen_skole, leader_oygarden_skole,
    researcher_f (p_f's leader), researcher_north, officer_f (the funder), nobody."""
    from klynge.orgs.tables import Funder

    w = needs_world
    await _municipality_and_service(w)
    row = await Funder.insert(Funder(name="Forskningsrådet", org_number="919908006")).returning(
        Funder.id
    )
    w.ids["funder"] = row[0]["id"]
    await person(app, w, "officer_f", "funder_officer", funder=w.ids["funder"])
    await person(app, w, "coordinator_oygarden", "coordinator", municipality=w.ids["oygarden"])
    await person(app, w, "leader_bergen_skole", "service_leader", service=w.ids["bergen_skole"])
    await person(app, w, "leader_oygarden_skole", "service_leader", service=w.ids["oygarden_skole"])
    await person(app, w, "researcher_f", None)
    await person(app, w, "researcher_north", None)
    await _need(w)
    await _projects(w)
    from klynge.auth.tables import RoleAssignment

    await RoleAssignment.insert(
        RoleAssignment(
            account=w.accounts["researcher_f"], role="researcher", research_group=w.ids["group_f"]
        ),
        RoleAssignment(
            account=w.accounts["researcher_north"],
            role="researcher",
            research_group=w.ids["group_north"],
        ),
    )
    return w
