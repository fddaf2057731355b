"""Demo data: one realistic cluster around Bergen (Vestland) with real municipality numbers,
services of several types, two research groups, one funder and one user per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from klynge import audit
from klynge.auth.passwords import hash_password
from klynge.auth.tables import Account, RoleAssignment
from klynge.db import transaction
from klynge.orgs.memberships import MOTOR_REASON
from klynge.orgs.tables import (
    Cluster,
    ClusterMembership,
    Funder,
    MembershipEvent,
    Municipality,
    ResearchGroup,
    Service,
)
from klynge.orgs.validators import county_for, validate_kommunenummer, validate_orgnr

DEMO_PASSWORD = "demo-passord"  # noqa: S105 (documented demo login, refused outside demo data)
CLUSTER_NAME = "FoU-klynge Bergen og omland"

# Kommunenummer from SSB KLASS 131 (valid from 2024-01-01); population approx. SSB 2024.
MUNICIPALITIES = [
    ("4601", "Bergen", 291_940, "neutral"),
    ("4627", "Askøy", 30_560, "neutral"),
    ("4626", "Øygarden", 39_480, "nynorsk"),
    ("4624", "Bjørnafjorden", 26_050, "nynorsk"),
    ("4631", "Alver", 30_090, "nynorsk"),
    ("4630", "Osterøy", 8_150, "nynorsk"),
]
MEMBERS = ["4627", "4626", "4624", "4631"]  # Bergen is the motor; Osterøy has asked to join
PENDING = "4630"

SERVICES = [
    ("4601", "barnevern", "Barnevernstjenesten i Bergen"),
    ("4601", "helsestasjon", "Helsestasjon og skolehelsetjeneste, Bergen"),
    ("4601", "ppt", "PPT Bergen"),
    ("4627", "skole", "Askøy-skolen"),
    ("4627", "barnevern", "Askøy barneverntjeneste"),
    ("4626", "barnehage", "Barnehagane i Øygarden"),
    ("4624", "helsestasjon", "Helsestasjonen i Bjørnafjorden"),
    ("4631", "nav", "NAV Alver"),
]

RESEARCH_GROUPS = [
    (
        "RKBU Vest – Regionalt kunnskapssenter for barn og unge",
        "NORCE Norwegian Research Centre AS",
        "Helse og samfunn",
        "919408049",
        "competence_centre",
        "Forskning og kompetanseutvikling om psykisk helse og barnevern for barn og unge.",
    ),
    (
        "Forskergruppe for barnevern og utsatte unge",
        "Høgskulen på Vestlandet",
        "Fakultet for helse- og sosialvitskap",
        "917641404",
        "uoh",
        "Praksisnær forskning på barnevern, samhandling og tiltak for utsette barn og unge.",
    ),
]
FUNDER = (
    "Norges forskningsråd",
    "970141669",
    "Finansierer forskning, blant annet offentlig sektor-ph.d. og innovasjonsprosjekt.",
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    org: str  # what the role is held in, for printing
    # The organisation the role is held in, when not the role's default below: a service name
    # (leader/employee), a kommunenummer (user representative) or a research group name.
    org_ref: str = ""


USERS = [
    DemoUser("admin@demo.klynge.no", "Ada Admin", "platform_admin", "Klynge"),
    DemoUser("fou@demo.klynge.no", "Frida FoU-rådgiver", "adviser", CLUSTER_NAME),
    DemoUser("koordinator@demo.klynge.no", "Kari Koordinator", "coordinator", "Osterøy kommune"),
    DemoUser(
        "leder@demo.klynge.no", "Lars Leder", "service_leader", "Barnevernstjenesten i Bergen"
    ),
    DemoUser("ansatt@demo.klynge.no", "Anne Ansatt", "service_employee", "Askøy-skolen"),
    DemoUser(
        "bruker@demo.klynge.no",
        "Bo Brukerrepresentant",
        "user_representative",
        "Ungdomsrådet i Bergen",
    ),
    DemoUser(
        "forsker@demo.klynge.no",
        "Fredrik Forsker",
        "researcher",
        "Forskergruppe for barnevern og utsatte unge",
    ),
    DemoUser(
        "finansiering@demo.klynge.no", "Fia Finansiering", "funder_officer", "Norges forskningsråd"
    ),
    # The rest of the prioritisation panel (priorities.demo): leaders, staff, youth and
    # researchers from several municipalities, so that every group has more than one voice.
    DemoUser(
        "rektor@demo.klynge.no",
        "Rita Rektor",
        "service_leader",
        "Askøy-skolen",
        org_ref="Askøy-skolen",
    ),
    DemoUser(
        "navleiar@demo.klynge.no",
        "Nils NAV-leiar",
        "service_leader",
        "NAV Alver",
        org_ref="NAV Alver",
    ),
    DemoUser(
        "helsesjukepleiar@demo.klynge.no",
        "Hilde Helsesjukepleiar",
        "service_employee",
        "Helsestasjonen i Bjørnafjorden",
        org_ref="Helsestasjonen i Bjørnafjorden",
    ),
    DemoUser(
        "barnehage@demo.klynge.no",
        "Berit Barnehagelærar",
        "service_employee",
        "Barnehagane i Øygarden",
        org_ref="Barnehagane i Øygarden",
    ),
    DemoUser(
        "ungdom@demo.klynge.no",
        "Ulrik Ungdomsråd",
        "user_representative",
        "Ungdomsrådet i Øygarden",
        org_ref="4626",
    ),
    DemoUser(
        "rkbu@demo.klynge.no",
        "Randi RKBU-forskar",
        "researcher",
        RESEARCH_GROUPS[0][0],
        org_ref=RESEARCH_GROUPS[0][0],
    ),
]


async def seed() -> bool:
    """Seed the demo cluster, then every app's demo data (declared in klynge.apps). Each step
    is idempotent; returns False when nothing had to be created."""
    from klynge.apps import demo_seeders

    created = await seed_core()
    for seed_app in demo_seeders():
        created = await seed_app() or created
    return created


def _org_for(
    user: DemoUser, orgs: dict[str, dict[str, int]], ids: dict[str, int]
) -> dict[str, int]:
    if not user.org_ref:
        return orgs[user.role]
    kind = {
        "service_leader": "service",
        "service_employee": "service",
        "user_representative": "municipality",
        "researcher": "research_group",
    }[user.role]
    return {kind: ids[user.org_ref]}


async def _seed_municipalities(start: dt.date) -> dict[str, int]:
    """Number → id; municipalities already in the directory are reused."""
    muni: dict[str, int] = {}
    for number, name, population, language in MUNICIPALITIES:
        number = validate_kommunenummer(number, on=start)
        existing = (
            await Municipality.select(Municipality.id)
            .where(Municipality.number == number, Municipality.valid_to.is_null())
            .first()
        )
        if existing:
            muni[number] = existing["id"]
            continue
        row = await Municipality.insert(
            Municipality(
                number=number,
                name=name,
                county=county_for(number),
                population=population,
                language=language,
                valid_from=start,
            )
        ).returning(Municipality.id)
        muni[number] = row[0]["id"]
    return muni


async def _seed_cluster(muni: dict[str, int]) -> int:
    """The demo cluster with Bergen as motor, its members and one pending request."""
    cluster = (
        await Cluster.insert(
            Cluster(
                name=CLUSTER_NAME,
                motor_municipality=muni["4601"],
                is_public=True,
                description=(
                    "Demo: Bergen kommune er motorkommune med FoU-rådgiver. "
                    "Nabokommunene deler kunnskapsbehov om utsatte barn og unge "
                    "på tvers av tjenester."
                ),
            )
        ).returning(Cluster.id)
    )[0]["id"]
    for number, status in (
        [("4601", "member")] + [(n, "member") for n in MEMBERS] + [(PENDING, "requested")]
    ):
        membership = (
            await ClusterMembership.insert(
                ClusterMembership(
                    cluster=cluster,
                    municipality=muni[number],
                    status=status,
                    request_note="Vi ønsker å delta i klyngen." if status == "requested" else "",
                    decided_at=dt.datetime.now(dt.UTC) if status == "member" else None,
                    decision_reason=MOTOR_REASON if number == "4601" else "",
                )
            ).returning(ClusterMembership.id)
        )[0]["id"]
        await MembershipEvent.insert(
            MembershipEvent(
                membership=membership, from_status="", to_status=status, reason="Demodata"
            )
        )
    return int(cluster)


async def _seed_directory(muni: dict[str, int]) -> tuple[dict[str, int], dict[str, int], int]:
    """Services and research groups (name → id), and the funder's id."""
    services: dict[str, int] = {}
    for number, kind, name in SERVICES:
        row = await Service.insert(
            Service(municipality=muni[number], service_type=kind, name=name)
        ).returning(Service.id)
        services[name] = row[0]["id"]
    groups: dict[str, int] = {}
    for name, institution, unit, orgnr, sector, description in RESEARCH_GROUPS:
        row = await ResearchGroup.insert(
            ResearchGroup(
                name=name,
                institution=institution,
                unit=unit,
                org_number=validate_orgnr(orgnr),
                sector=sector,
                description=description,
            )
        ).returning(ResearchGroup.id)
        groups[name] = row[0]["id"]
    funder = (
        await Funder.insert(
            Funder(name=FUNDER[0], org_number=validate_orgnr(FUNDER[1]), description=FUNDER[2])
        ).returning(Funder.id)
    )[0]["id"]
    return services, groups, int(funder)


async def _seed_users(orgs: dict[str, dict[str, int]], ids: dict[str, int]) -> None:
    password_hash = hash_password(DEMO_PASSWORD)
    for user in USERS:
        existing = await Account.select(Account.id).where(Account.email == user.email).first()
        if existing:
            account_id = existing["id"]
        else:
            account_id = (
                await Account.insert(
                    Account(name=user.name, email=user.email, password_hash=password_hash)
                ).returning(Account.id)
            )[0]["id"]
        # Any: Piccolo's Table.__init__ takes columns as **kwargs beside typed parameters.
        values: dict[str, Any] = {
            "account": account_id,
            "role": user.role,
            **_org_for(user, orgs, ids),
        }
        await RoleAssignment.insert(RoleAssignment(**values))


async def seed_core() -> bool:
    """Seed the demo cluster once. Returns False when it was already there."""
    if await Cluster.exists().where(Cluster.name == CLUSTER_NAME):
        return False
    async with transaction():
        muni = await _seed_municipalities(dt.date(2024, 1, 1))
        cluster = await _seed_cluster(muni)
        services, groups, funder = await _seed_directory(muni)
        orgs = {
            "platform_admin": {},
            "adviser": {"cluster": cluster},
            "coordinator": {"municipality": muni[PENDING]},
            "service_leader": {"service": services["Barnevernstjenesten i Bergen"]},
            "service_employee": {"service": services["Askøy-skolen"]},
            "user_representative": {"municipality": muni["4601"]},
            "researcher": {"research_group": groups[RESEARCH_GROUPS[1][0]]},
            "funder_officer": {"funder": funder},
        }
        await _seed_users(orgs, {**muni, **services, **groups})
        await audit.record(
            None, "demo.seed", "cluster", cluster, cluster_id=cluster, after={"name": CLUSTER_NAME}
        )
    return True


def logins_table() -> str:
    width = max(len(u.email) for u in USERS)
    lines = [f"Demo logins (password: {DEMO_PASSWORD})"]
    for user in USERS:
        lines.append(f"  {user.email:<{width}}  {user.role:<20} {user.org}")
    return "\n".join(lines)
