"""The core's part of the national-scale load: every municipality of 2024, 40 clusters (the demo
cluster is one of them, untouched), services of every kind, research groups, funders and the
accounts that hold the roles. Rows go in through the bulk writer; what the apps need comes back
as a ScaleContext."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klynge.auth.passwords import hash_password
from klynge.auth.tables import Account, RoleAssignment
from klynge.demo import CLUSTER_NAME, DEMO_PASSWORD
from klynge.orgs.schemas import ServiceType
from klynge.orgs.tables import (
    Cluster,
    ClusterMembership,
    Funder,
    MembershipEvent,
    Municipality,
    ResearchGroup,
    Service,
)
from klynge.orgs.validators import county_for
from klynge.scale.context import ClusterFacts, FunderFacts, GroupFacts, ScaleContext, ServiceFacts
from klynge.scale.people import (
    FUNDERS,
    GROUP_PREFIX,
    INSTITUTIONS,
    SERVICE_NAME,
    org_number,
    person,
    short_name,
)
from klynge.scale.vocabulary import MEASURES, THEMES

DATA = Path(__file__).parent / "data" / "kommuner_2024.tsv"
CLUSTERS = 40
VALID_FROM = dt.date(2024, 1, 1)
MAIL_DOMAIN = "skala.klynge.no"
# Counties where most municipalities write nynorsk; elsewhere a few do.
NYNORSK_SHARE = {"46": 0.8, "15": 0.65, "34": 0.3, "40": 0.3, "42": 0.25, "33": 0.2}
LOCAL_KINDS = ("barnevern", "skole", "barnehage", "helsestasjon", "ppt", "nav", "fastlege", "annet")
MOTOR_KINDS = ("bup", "tsb", "justis")  # specialist services: one per cluster, at the motor
assert set(LOCAL_KINDS + MOTOR_KINDS) == {str(k) for k in ServiceType}


@dataclass
class _Accounts:
    """Accounts and role assignments waiting to be written."""

    ctx: ScaleContext
    ids: range
    password_hash: str
    rows: list[tuple[Any, ...]]
    roles: list[tuple[Any, ...]]

    def new(self, label: str, role: str, org_column: str | None, org_id: int | None) -> int:
        account = self.ids[len(self.rows)]
        name = person(self.ctx.rng(f"person:{account}"))
        email = f"{label}-{account}@{MAIL_DOMAIN}"
        self.rows.append((account, name, email, self.password_hash))
        org: dict[str, int | None] = {
            c: None for c in ("cluster", "municipality", "service", "research_group", "funder")
        }
        if org_column:
            org[org_column] = org_id
        self.roles.append((account, role, *org.values()))
        return account


def read_municipalities() -> list[tuple[str, str]]:
    """(kommunenummer, official name) of the 357 municipalities of 2024."""
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t", 1)) for line in lines if line and not line.startswith("#")]  # type: ignore[misc]


async def _municipalities(ctx: ScaleContext) -> dict[str, int]:
    """Number -> id; the demo's municipalities (and any other already there) are reused."""
    existing = {
        r["number"]: r for r in await Municipality.select().where(Municipality.valid_to.is_null())
    }
    new = [(n, name) for n, name in read_municipalities() if n not in existing]
    ids = await ctx.writer.ids(Municipality, len(new))
    rng = ctx.rng("language")
    rows = []
    for (number, name), mid in zip(new, ids, strict=True):
        rows.append((mid, number, name, county_for(number), "neutral", VALID_FROM))
        nynorsk = rng.random() < NYNORSK_SHARE.get(number[:2], 0.05)
        ctx.municipality_language[mid] = "nn" if nynorsk else "nb"
    await ctx.writer.copy(
        Municipality, ("id", "number", "name", "county", "language", "valid_from"), rows
    )
    for row in existing.values():
        ctx.municipality_language[row["id"]] = "nn" if row["language"] == "nynorsk" else "nb"
    numbers = {r["number"]: r["id"] for r in existing.values()}
    numbers.update({n: mid for (n, _), mid in zip(new, ids, strict=True)})
    for number, name in read_municipalities():
        ctx.municipality_names[numbers[number]] = short_name(name)
    for row in existing.values():
        ctx.municipality_names.setdefault(row["id"], short_name(row["name"]))
    return numbers


async def _demo_cluster() -> tuple[int, list[int], set[int], int]:
    """The demo cluster: id, its member municipalities (motor first), every municipality it
    knows (a pending request too) and its adviser."""
    cluster = await Cluster.select().where(Cluster.name == CLUSTER_NAME).first()
    if cluster is None:
        raise RuntimeError("the demo cluster is missing: run `klynge demo` first")
    memberships = await ClusterMembership.select(
        ClusterMembership.municipality, ClusterMembership.status
    ).where(ClusterMembership.cluster == cluster["id"])
    motor = cluster["motor_municipality"]
    others = [m["municipality"] for m in memberships if m["status"] == "member"]
    members = [motor, *sorted(m for m in others if m != motor)]
    adviser = (
        await RoleAssignment.select(RoleAssignment.account)
        .where(RoleAssignment.cluster == cluster["id"], RoleAssignment.role == "adviser")
        .first()
    )
    known = {m["municipality"] for m in memberships}
    return int(cluster["id"]), members, known, int(adviser["account"]) if adviser else 0


def _groups_of(numbers: list[tuple[str, int]], count: int) -> list[list[int]]:
    """Municipalities (in kommunenummer order, so neighbours by county) cut into `count`
    clusters of nearly equal size."""
    size, extra = divmod(len(numbers), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append([mid for _, mid in numbers[start:end]])
        start = end
    return out


async def _clusters(ctx: ScaleContext, numbers: dict[str, int], people: _Accounts) -> None:
    demo_id, demo_members, demo_known, demo_adviser = await _demo_cluster()
    free = sorted((n, mid) for n, mid in numbers.items() if mid not in demo_known)
    plans = _groups_of(free, CLUSTERS - 1)
    ids = await ctx.writer.ids(Cluster, len(plans))
    clusters = [
        ClusterFacts(
            demo_id,
            CLUSTER_NAME,
            demo_members[0],
            tuple(demo_members),
            demo_adviser,
            weight=3.0,
            demo=True,
        )
    ]
    rows: list[tuple[Any, ...]] = []
    memberships: list[tuple[int, int]] = []
    for cid, members in zip(ids, plans, strict=True):
        name = f"FoU-klynge {ctx.municipality_names[members[0]]} og omland"
        description = (
            f"Kommunene rundt {ctx.municipality_names[members[0]]} deler kunnskapsbehov om "
            "utsatte barn og unge på tvers av tjenester."
        )
        rows.append((cid, name, members[0], description, True))
        adviser = people.new("fou", "adviser", "cluster", cid)
        clusters.append(ClusterFacts(cid, name, members[0], tuple(members), adviser, weight=1.0))
        memberships.extend((cid, m) for m in members)
    await ctx.writer.copy(
        Cluster, ("id", "name", "motor_municipality", "description", "is_public"), rows
    )
    membership_ids = await ctx.writer.ids(ClusterMembership, len(memberships))
    await ctx.writer.copy(
        ClusterMembership,
        ("id", "cluster", "municipality", "status", "decided_at", "decision_reason"),
        [
            (i, c, m, "member", ctx.now, "Nasjonal demodata")
            for i, (c, m) in zip(membership_ids, memberships, strict=True)
        ],
    )
    events = await ctx.writer.ids(MembershipEvent, len(memberships))
    await ctx.writer.copy(
        MembershipEvent,
        ("id", "membership", "from_status", "to_status", "reason"),
        [
            (e, i, "", "member", "Nasjonal demodata")
            for e, i in zip(events, membership_ids, strict=True)
        ],
    )
    ctx.clusters = clusters


async def _services(ctx: ScaleContext, people: _Accounts) -> None:
    """Every local kind in every member municipality, the specialist kinds at each motor;
    kinds a municipality already has (the demo's) keep their service and get none more."""
    existing = await Service.select(
        Service.id, Service.municipality, Service.service_type, Service.name
    )
    have = {(r["municipality"], r["service_type"]) for r in existing}
    await _existing_services(ctx, existing, people)
    wanted: list[tuple[int, str]] = []
    for cluster in ctx.clusters:
        for municipality in cluster.municipalities:
            kinds = LOCAL_KINDS + (MOTOR_KINDS if municipality == cluster.motor else ())
            wanted.extend((municipality, k) for k in kinds if (municipality, k) not in have)
    ids = await ctx.writer.ids(Service, len(wanted))
    rows = []
    for sid, (municipality, kind) in zip(ids, wanted, strict=True):
        nb, nn = SERVICE_NAME[kind]
        template = nn if ctx.municipality_language[municipality] == "nn" else nb
        name = template.format(m=ctx.municipality_names[municipality])
        rows.append((sid, municipality, kind, name))
        leader = people.new("leder", "service_leader", "service", sid)
        employee = people.new("ansatt", "service_employee", "service", sid)
        ctx.services.append(ServiceFacts(sid, municipality, kind, name, leader, employee))
    await ctx.writer.copy(Service, ("id", "municipality", "service_type", "name"), rows)
    for cluster in ctx.clusters:
        for municipality in cluster.municipalities:
            ctx.coordinators[municipality] = people.new(
                "koordinator", "coordinator", "municipality", municipality
            )
            ctx.user_representatives[municipality] = people.new(
                "ungdomsrad", "user_representative", "municipality", municipality
            )


async def _existing_services(
    ctx: ScaleContext, existing: list[dict[str, Any]], people: _Accounts
) -> None:
    """The demo's services take part with the demo's own leaders and staff where it has them."""
    members = {m for c in ctx.clusters for m in c.municipalities}
    held: dict[tuple[int, str], int] = {}
    for r in await RoleAssignment.select(
        RoleAssignment.account, RoleAssignment.service, RoleAssignment.role
    ).where(RoleAssignment.service.is_not_null()):
        held.setdefault((r["service"], r["role"]), r["account"])
    for r in existing:
        if r["municipality"] not in members:
            continue
        sid = r["id"]
        leader = held.get((sid, "service_leader")) or people.new(
            "leder", "service_leader", "service", sid
        )
        employee = held.get((sid, "service_employee")) or people.new(
            "ansatt", "service_employee", "service", sid
        )
        ctx.services.append(
            ServiceFacts(sid, r["municipality"], r["service_type"], r["name"], leader, employee)
        )


async def _groups_and_funders(ctx: ScaleContext, people: _Accounts) -> None:
    count = ctx.count(2000, minimum=4)
    ids = await ctx.writer.ids(ResearchGroup, count)
    rng = ctx.rng("groups")
    rows = []
    for n, gid in enumerate(ids):
        institution, region = INSTITUTIONS[n % len(INSTITUTIONS)]
        theme = rng.choice(THEMES)
        measure = rng.choice(MEASURES)
        name = f"{rng.choice(GROUP_PREFIX)} {theme.problem.nb} og {measure.nb}"
        description = (
            f"Praksisnær forskning på {theme.problem.nb} og {measure.nb}, "
            "i samarbeid med kommunale tjenester."
        )
        sector = "uoh" if n % len(INSTITUTIONS) < 14 else "competence_centre"
        rows.append(
            (gid, name, institution, f"Gruppe {n + 1}", org_number(gid), sector, description)
        )
        researchers = tuple(
            people.new("forsker", "researcher", "research_group", gid) for _ in range(2)
        )
        ctx.groups.append(GroupFacts(gid, name, institution, theme.key, researchers, region))
    await ctx.writer.copy(
        ResearchGroup,
        ("id", "name", "institution", "unit", "org_number", "sector", "description"),
        rows,
    )
    funder_ids = await ctx.writer.ids(Funder, len(FUNDERS))
    await ctx.writer.copy(
        Funder,
        ("id", "name", "org_number", "description"),
        [
            (
                f,
                name,
                org_number(100_000 + f),
                "Finansierer forsking og utvikling for barn og unge.",
            )
            for f, name in zip(funder_ids, FUNDERS, strict=True)
        ],
    )
    for f, name in zip(funder_ids, FUNDERS, strict=True):
        officer = people.new("finansiering", "funder_officer", "funder", f)
        ctx.funders.append(FunderFacts(f, name, officer))


async def build(ctx: ScaleContext) -> None:
    """Write the directory and fill `ctx` with it (one transaction)."""
    numbers = await _municipalities(ctx)
    # Enough ids for every account this part can make (unused ids are simply skipped).
    people = _Accounts(
        ctx, await ctx.writer.ids(Account, 60_000), hash_password(DEMO_PASSWORD), [], []
    )
    await _clusters(ctx, numbers, people)
    await _services(ctx, people)
    await _groups_and_funders(ctx, people)
    await ctx.writer.copy(Account, ("id", "name", "email", "password_hash"), people.rows)
    role_ids = await ctx.writer.ids(RoleAssignment, len(people.roles))
    await ctx.writer.copy(
        RoleAssignment,
        ("id", "account", "role", "cluster", "municipality", "service", "research_group", "funder"),
        [(i, *r) for i, r in zip(role_ids, people.roles, strict=True)],
    )
    ctx.progress(
        f"directory: {len(numbers)} municipalities, {len(ctx.clusters)} clusters, "
        f"{len(ctx.services)} services, {len(ctx.groups)} research groups, "
        f"{len(people.rows)} accounts"
    )
