"""Demo data for the priorities app: knowledge needs from the demo cluster's municipalities, a
closed prioritisation round with decisions and an open round that is partly scored.

The content lives in demo_data/*.json; this seeder puts it through the real use cases, so the
rules, the need history and the audit log are those of real use. Scores are drawn from a
fixed random seed: the same demo every time. The texts are about groups and practice, never
about a person.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.service import load_principal
from klynge.auth.tables import Account
from klynge.db import transaction
from klynge.demo import CLUSTER_NAME
from klynge.orgs.tables import Cluster, Municipality, Service
from priorities import decisions, needs, rounds
from priorities import schemas as s
from priorities.need_merge import merge
from priorities.tables import Need

DATA = Path(__file__).parent / "demo_data"


def _read(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class DemoNeed:
    key: str
    municipality: str  # kommunenummer
    submitter: str  # e-mail of a demo user
    service: str | None  # the submitting service (key), in the municipality
    services: tuple[str, ...]
    title: str
    question: str
    background: str
    target_group: str
    ages: tuple[int, int]
    prevention: s.PreventionLevel
    use: s.IntendedUse
    fate: str  # closed | open | submitted | draft | withdrawn | merge:<key>
    language: str = "nb"
    # Where the panel tends to land (nytte, alvorlighet, ressurs) on the 1–5 scales.
    profile: tuple[float, float, float] = (3.5, 3.5, 3.0)
    endorsements: tuple[tuple[str, str | None, str], ...] = field(default_factory=tuple)


def _need(raw: dict[str, Any]) -> DemoNeed:
    return DemoNeed(
        **{
            **raw,
            "services": tuple(raw["services"]),
            "ages": tuple(raw["ages"]),
            "prevention": s.PreventionLevel(raw["prevention"]),
            "use": s.IntendedUse(raw["use"]),
            "profile": tuple(raw["profile"]),
            "endorsements": tuple(tuple(e) for e in raw["endorsements"]),
        }
    )


NEEDS: list[DemoNeed] = [_need(x) for x in _read("needs.json")]
_STORY = _read("story.json")
TEXTS: dict[str, Any] = _read("texts.json")
SEED: int = _STORY["seed"]
CLOSED_ROUND: str = _STORY["closed_round"]
OPEN_ROUND: str = _STORY["open_round"]
# Service keys -> the names seeded by klynge.demo.SERVICES.
SERVICES: dict[str, str] = _STORY["services"]
ADVISER: str = _STORY["adviser"]
# The panel: (e-mail, stakeholder group, kommunenummer or None for researchers).
PANEL: list[tuple[str, s.StakeholderGroup, str | None]] = [
    (e, s.StakeholderGroup(g), m) for e, g, m in _STORY["panel"]
]
# How far each rater has come in the open round: share of its needs scored, and finished.
OPEN_PROGRESS: dict[str, tuple[float, bool]] = {
    k: (v[0], v[1]) for k, v in _STORY["open_progress"].items()
}


@dataclass
class _Ctx:
    cluster: int
    muni: dict[str, int]
    services: dict[str, int]
    actors: dict[str, Principal]
    need_ids: dict[str, int] = field(default_factory=dict)


async def _actors(emails: set[str]) -> dict[str, Principal] | None:
    accounts = {
        r["email"]: r["id"]
        for r in await Account.select(Account.id, Account.email).where(
            Account.email.is_in(sorted(emails))
        )
    }
    actors: dict[str, Principal] = {}
    for email in sorted(emails):
        if email not in accounts:
            return None  # an older core demo without the panel accounts: nothing to build on
        principal = await load_principal(accounts[email])
        if principal is None:
            return None
        actors[email] = principal
    return actors


async def _context() -> _Ctx | None:
    cluster = await Cluster.select(Cluster.id).where(Cluster.name == CLUSTER_NAME).first()
    if cluster is None:
        return None
    muni = {
        r["number"]: r["id"]
        for r in await Municipality.select(Municipality.id, Municipality.number).where(
            Municipality.valid_to.is_null()
        )
    }
    services = {r["name"]: r["id"] for r in await Service.select(Service.id, Service.name)}
    emails = {ADVISER, *(n.submitter for n in NEEDS), *(p[0] for p in PANEL)}
    emails |= {e[0] for n in NEEDS for e in n.endorsements}
    actors = await _actors(emails)
    if actors is None:
        return None
    return _Ctx(
        cluster=cluster["id"],
        muni=muni,
        services={key: services[name] for key, name in SERVICES.items() if name in services},
        actors=actors,
    )


async def seed_demo() -> bool:
    """Seed the priorities demo once, on top of the core demo cluster. Returns False when the
    cluster already has knowledge needs (or the core demo is missing)."""
    ctx = await _context()
    if ctx is None or await Need.exists().where(Need.cluster == ctx.cluster):
        return False
    rng = random.Random(SEED)  # noqa: S311 (demo scores, not security)
    async with transaction():
        await _create_needs(ctx)
        closed = await _closed_round(ctx, rng)
        await _decide(ctx, closed)
        await _open_round(ctx, rng)
    return True


async def _create_need(ctx: _Ctx, need: DemoNeed) -> None:
    out = await needs.create_need(
        ctx.actors[need.submitter],
        s.NeedCreate(
            cluster_id=ctx.cluster,
            municipality_id=ctx.muni[need.municipality],
            title=need.title,
            question=need.question,
            background=need.background,
            target_group=need.target_group,
            service_ids=[ctx.services[k] for k in need.services],
            service_id=ctx.services[need.service] if need.service else None,
            prevention_level=need.prevention,
            intended_use=need.use,
            age_from=need.ages[0],
            age_to=need.ages[1],
            language=need.language,
            submit=need.fate != "draft",
        ),
    )
    ctx.need_ids[need.key] = out.id
    for email, service, note in need.endorsements:
        endorser = ctx.actors[email]
        await needs.endorse(
            endorser,
            out.id,
            s.EndorsementCreate(
                municipality_id=min(endorser.municipality_ids),
                service_id=ctx.services[service] if service else None,
                note=note,
            ),
        )


async def _create_needs(ctx: _Ctx) -> None:
    for need in NEEDS:
        await _create_need(ctx, need)
    adviser = ctx.actors[ADVISER]
    for need in NEEDS:
        if need.fate.startswith("merge:"):
            await merge(
                adviser,
                s.MergeRequest(
                    target_id=ctx.need_ids[need.fate.removeprefix("merge:")],
                    source_ids=[ctx.need_ids[need.key]],
                    reason=TEXTS["merge_reason"],
                ),
            )
        elif need.fate == "withdrawn":
            await needs.withdraw_need(
                ctx.actors[need.submitter],
                ctx.need_ids[need.key],
                s.Transition(reason=TEXTS["withdraw_reason"]),
            )


def _raters(ctx: _Ctx) -> list[s.RaterIn]:
    return [
        s.RaterIn(
            account_id=ctx.actors[email].account_id,
            group=group,
            municipality_id=ctx.muni[number] if number else None,
        )
        for email, group, number in PANEL
    ]


def _answer(rng: random.Random, mean: float, bias: float, blank: float) -> int:
    if rng.random() < blank:
        return 0  # "kan ikke vurdere"
    return max(1, min(5, round(mean + bias + rng.gauss(0, 0.75))))


def _score(rng: random.Random, need: DemoNeed, group: s.StakeholderGroup) -> s.ScoreIn:
    nytte, alvorlighet, ressurs = need.profile
    # Youth and user representatives often cannot judge what an answer costs.
    blank_ressurs = 0.3 if group is s.StakeholderGroup.USERS else 0.05
    return s.ScoreIn(
        need_id=0,
        nytte=_answer(rng, nytte, rng.gauss(0, 0.25), 0.03),
        alvorlighet=_answer(rng, alvorlighet, rng.gauss(0, 0.25), 0.03),
        ressurs=_answer(rng, ressurs, rng.gauss(0, 0.25), blank_ressurs),
        comment=rng.choice(TEXTS["comments"]) if rng.random() < 0.12 else "",
    )


async def _score_round(
    ctx: _Ctx,
    rng: random.Random,
    round_id: int,
    round_needs: list[DemoNeed],
    progress: dict[str, tuple[float, bool]] | None = None,
) -> None:
    for email, group, _number in PANEL:
        share, finished = progress[email] if progress else (1.0, True)
        count = round(share * len(round_needs))
        items = []
        for need in round_needs[:count]:
            item = _score(rng, need, group)
            items.append(
                s.ScoreIn(
                    need_id=ctx.need_ids[need.key],
                    nytte=item.nytte,
                    alvorlighet=item.alvorlighet,
                    ressurs=item.ressurs,
                    comment=item.comment,
                )
            )
        if items or finished:
            await rounds.put_scores(
                ctx.actors[email], round_id, s.ScoresIn(scores=items, finished=finished)
            )


async def _closed_round(ctx: _Ctx, rng: random.Random) -> int:
    adviser = ctx.actors[ADVISER]
    round_needs = [n for n in NEEDS if n.fate == "closed"]
    created = await rounds.create_round(
        adviser,
        s.RoundCreate(
            cluster_id=ctx.cluster,
            name=CLOSED_ROUND,
            need_ids=[ctx.need_ids[n.key] for n in round_needs],
            raters=_raters(ctx),
            deadline=dt.datetime.now(dt.UTC) - dt.timedelta(days=7),
            publish_public=True,
        ),
    )
    await _score_round(ctx, rng, created.id, round_needs)
    await rounds.close_round(adviser, created.id)
    return created.id


def _plan(ctx: _Ctx, ranking: s.Ranking) -> list[tuple[int, s.DecisionKind]]:
    """The adviser's decisions, in the order of the computed rank: the first four are
    prioritised, the departing need is prioritised against its rank (with a reason), the
    next two not prioritised, one deferred, two left for the next meeting."""
    by_id = {ctx.need_ids[n.key]: n for n in NEEDS}
    order = sorted(ranking.items, key=lambda i: (i.rank is None, i.rank or 0, i.need_id))
    departure = TEXTS["departure"]
    plan: list[tuple[int, s.DecisionKind]] = []
    others = [i.need_id for i in order if by_id[i.need_id].key != departure]
    for position, need_id in enumerate(others):
        if position < 4:
            plan.append((need_id, s.DecisionKind.PRIORITISED))
        elif position < 6:
            plan.append((need_id, s.DecisionKind.NOT_PRIORITISED))
        elif position == 6:
            plan.append((need_id, s.DecisionKind.DEFERRED))
        elif position < len(others) - 2:
            plan.append((need_id, s.DecisionKind.NOT_PRIORITISED))
        # the last two wait for the next meeting of the steering group
    plan.append((ctx.need_ids[departure], s.DecisionKind.PRIORITISED))
    return plan


def _decision(
    need: DemoNeed, item: s.RankingItem, kind: s.DecisionKind, departs: bool
) -> s.DecisionIn:
    group = f"{need.target_group[0].lower()}{need.target_group[1:]}"
    return s.DecisionIn(
        need_id=item.need_id,
        decision=kind,
        justification=TEXTS["justifications"][kind.value]
        if not departs
        else TEXTS["justification_departing"],
        situation=need.background,
        frame=TEXTS["frame"],
        assessment=_assessment(item),
        knowledge_base=TEXTS["knowledge_base"],
        participation=TEXTS["participation"],
        child_best_interest=TEXTS["child_best_interest"].format(target_group=group),
        local_conditions=TEXTS["local_conditions"],
        equal_access=TEXTS["equal_access"],
        departs_reason=TEXTS["departs_reason"] if departs else "",
    )


async def _decide(ctx: _Ctx, round_id: int) -> None:
    adviser = ctx.actors[ADVISER]
    ranking = await rounds.ranking(adviser, round_id)
    by_id = {ctx.need_ids[n.key]: n for n in NEEDS}
    ranks = {i.need_id: i.rank for i in ranking.items}
    decided: dict[int, str] = {}
    for need_id, kind in _plan(ctx, ranking):
        item = next(i for i in ranking.items if i.need_id == need_id)
        departs = rounds.departs_from_rank(ranks, decided, need_id, kind.value)
        await decisions.record_decision(
            adviser, round_id, _decision(by_id[need_id], item, kind, departs)
        )
        decided[need_id] = kind.value


def _assessment(item: s.RankingItem) -> str:
    def fmt(value: float | None) -> str:
        return "–" if value is None else f"{value:.0f}"

    c = item.criteria
    return TEXTS["assessment"].format(
        rank=item.rank,
        score=fmt(item.score),
        nytte=fmt(c.get("nytte")),
        alvorlighet=fmt(c.get("alvorlighet")),
        ressurs=fmt(c.get("ressurs")),
        aea=fmt(None if item.aea is None else item.aea * 100),
    )


async def _open_round(ctx: _Ctx, rng: random.Random) -> int:
    adviser = ctx.actors[ADVISER]
    round_needs = [n for n in NEEDS if n.fate == "open"]
    created = await rounds.create_round(
        adviser,
        s.RoundCreate(
            cluster_id=ctx.cluster,
            name=OPEN_ROUND,
            need_ids=[ctx.need_ids[n.key] for n in round_needs],
            raters=_raters(ctx),
            deadline=(dt.datetime.now(dt.UTC) + dt.timedelta(days=60)).replace(
                hour=12, minute=0, second=0, microsecond=0
            ),
            publish_public=False,
        ),
    )
    await _score_round(ctx, rng, created.id, round_needs, OPEN_PROGRESS)
    return created.id
