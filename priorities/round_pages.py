"""Use cases behind the round pages: each gathers what one page shows, in one call."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from klynge import directory
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.auth.tables import Account, RoleAssignment
from klynge.errors import FieldError, Invalid, NotFound
from klynge.i18n import N_
from klynge.orgs.tables import Service
from klynge.scoping import can_manage_cluster
from priorities import rounds
from priorities import schemas as s
from priorities.need_read import list_needs, load_many, need_outs
from priorities.round_export import export_xlsx

# The stakeholder group a role suggests when an adviser builds a panel.
GROUP_FOR_ROLE = {
    "adviser": "leaders",
    "coordinator": "leaders",
    "service_leader": "leaders",
    "service_employee": "staff",
    "user_representative": "users",
    "researcher": "researchers",
}


@dataclass
class RoundsIndex:
    items: list[s.RoundOut]
    cluster_names: dict[int, str]
    may_create: bool


async def rounds_index(actor: Principal) -> RoundsIndex:
    items = await rounds.list_rounds(actor)
    names = await directory.cluster_names(sorted({r.cluster_id for r in items}))
    return RoundsIndex(items, names, access.holds_any(actor, Role.ADVISER))


async def panel_candidates(cluster_id: int) -> list[dict[str, Any]]:
    """Active accounts with a role in the cluster, its member municipalities or their
    services; with a suggested stakeholder group and municipality."""
    munis = dict(await directory.member_municipalities(cluster_id))
    services = {x["id"]: x for x in await directory.cluster_services(cluster_id)}
    service_muni = {}
    for row in await Service.select(Service.id, Service.municipality).where(
        Service.id.is_in(list(services) or [-1])
    ):
        service_muni[row["id"]] = row["municipality"]
    rows = await RoleAssignment.select(
        RoleAssignment.account,
        RoleAssignment.role,
        RoleAssignment.cluster,
        RoleAssignment.municipality,
        RoleAssignment.service,
    ).where(
        (RoleAssignment.cluster == cluster_id)
        | RoleAssignment.municipality.is_in(list(munis) or [-1])
        | RoleAssignment.service.is_in(list(services) or [-1])
    )
    people: dict[int, dict[str, Any]] = {}
    for row in rows:
        muni = row["municipality"] or service_muni.get(row["service"])
        person = people.setdefault(
            row["account"],
            {"group": GROUP_FOR_ROLE.get(row["role"], "staff"), "municipality": muni},
        )
        if person["municipality"] is None:
            person["municipality"] = muni
    accounts = await Account.select(Account.id, Account.name).where(
        Account.id.is_in(list(people) or [-1]), Account.is_active.eq(True)
    )
    return sorted(
        ({"id": a["id"], "name": a["name"], **people[a["id"]]} for a in accounts),
        key=lambda p: p["name"],
    )


# A role's stakeholder group, the most specific first (an account may hold several roles).
_ROLE_ORDER = ("researcher", "user_representative", "service_employee", "service_leader")
_EMAIL_SEPARATORS = re.compile(r"[\s,;]+")


async def extra_raters(text: str) -> list[dict[str, Any]]:
    """Panel members added by e-mail address (researchers, user representatives, ...): each an
    active account, in the stakeholder group its role suggests. Unknown addresses are refused,
    naming each."""
    emails = list(dict.fromkeys(e.casefold() for e in _EMAIL_SEPARATORS.split(text) if e))
    if not emails:
        return []
    accounts = {
        r["email"]: r["id"]
        for r in await Account.select(Account.id, Account.email).where(
            Account.email.is_in(emails), Account.is_active.eq(True)
        )
    }
    unknown = [e for e in emails if e not in accounts]
    if unknown:
        message = N_("No active user has the e-mail address %(email)s.")
        raise Invalid(
            N_("Some fields need attention."),
            [FieldError("extra_raters", message, params={"email": e}) for e in unknown],
        )
    roles: dict[int, set[str]] = {}
    for row in await RoleAssignment.select(RoleAssignment.account, RoleAssignment.role).where(
        RoleAssignment.account.is_in(sorted(accounts.values()))
    ):
        roles.setdefault(row["account"], set()).add(row["role"])

    def group(account_id: int) -> str:
        held = roles.get(account_id, set())
        role = next((r for r in _ROLE_ORDER if r in held), next(iter(sorted(held)), ""))
        return GROUP_FOR_ROLE.get(role, "users" if not held else "staff")

    return [
        {"account_id": accounts[e], "group": group(accounts[e]), "municipality_id": None}
        for e in emails
    ]


@dataclass
class RoundSetup:
    clusters: dict[int, str]
    cluster_id: int | None
    roundable: list[s.NeedOut] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    municipalities: list[tuple[int, str]] = field(default_factory=list)


async def round_setup(actor: Principal, cluster_id: int | None) -> RoundSetup:
    """What the adviser chooses from when opening a round in one of their clusters."""
    if actor.is_admin:
        clusters = await directory.cluster_names()
    else:
        clusters = await directory.cluster_names(sorted(actor.org_ids(Role.ADVISER)))
    if cluster_id not in clusters:
        cluster_id = next(iter(clusters), None)
    setup = RoundSetup(clusters, cluster_id)
    if cluster_id is not None:
        for st in rounds.ROUNDABLE:
            page = await list_needs(actor, cluster_id=cluster_id, status=st.value, per_page=200)
            setup.roundable += page.items
        setup.candidates = await panel_candidates(cluster_id)
        setup.municipalities = await directory.member_municipalities(cluster_id)
    return setup


@dataclass
class RoundView:
    round: s.RoundOut
    manager: bool
    ranking: s.Ranking | None
    decisions: dict[int, dict[str, Any]]
    group_names: dict[str, str]
    municipality_names: dict[int, str]
    cluster_name: str


async def round_view(actor: Principal, round_id: int, group_labels: dict[str, str]) -> RoundView:
    """The round's page: progress for its adviser, results and decisions once closed."""
    out = await rounds.round_out(actor, round_id)
    manager = can_manage_cluster(actor, out.cluster_id)
    ranking = await rounds.ranking(actor, round_id) if out.status == "closed" else None
    decisions: dict[int, dict[str, Any]] = {}
    if ranking is not None and manager:
        decisions = await rounds.decisions_of(round_id)
    group_names = {**group_labels}
    if ranking is not None and ranking.weighting == "municipality":
        keys = {k for i in ranking.items for k in i.group_scores if k.isdigit()}
        names = await directory.municipality_names([int(k) for k in keys])
        group_names.update({str(k): v for k, v in names.items()})
    municipality_ids = [p.municipality_id for p in out.progress if p.municipality_id]
    return RoundView(
        round=out,
        manager=manager,
        ranking=ranking,
        decisions=decisions,
        group_names=group_names,
        municipality_names=await directory.municipality_names(municipality_ids),
        cluster_name=(await directory.cluster_names([out.cluster_id])).get(out.cluster_id, ""),
    )


@dataclass
class ScoringSheet:
    round: s.RoundOut
    mine: s.ScoresOut
    items: list[dict[str, Any]]


async def scoring_sheet(actor: Principal, round_id: int) -> ScoringSheet | None:
    """The rater's form: every need of the round with the rater's own answers (None: the
    caller is not on the panel)."""
    out = await rounds.round_out(actor, round_id)
    if not out.am_rater:
        return None
    mine = await rounds.my_scores(actor, round_id)
    given = {x.need_id: x for x in mine.scores}
    by_id = {n.id: n for n in await need_outs(await load_many(out.need_ids))}
    items = [{"need": by_id[i], "score": given.get(i)} for i in out.need_ids if i in by_id]
    return ScoringSheet(out, mine, items)


async def export_for_page(actor: Principal, round_id: int) -> tuple[str, bytes]:
    """The workbook for the page's export button: another cluster's round does not exist."""
    row = await rounds.load_visible(actor, round_id)
    if not can_manage_cluster(actor, row["cluster"]):
        raise NotFound()
    return await export_xlsx(actor, round_id)


async def save_as_you_go(actor: Principal, round_id: int, data: s.ScoresIn) -> s.ScoresOut:
    """The scoring page's script saves a fieldset; the finished mark stays as it was unless
    the script says otherwise."""
    if not data.finished:
        mine = await rounds.my_scores(actor, round_id)
        data = s.ScoresIn(scores=data.scores, finished=mine.finished)
    return await rounds.put_scores(actor, round_id, data)
