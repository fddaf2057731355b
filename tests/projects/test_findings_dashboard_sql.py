"""The return-rate figures aggregated in SQL equal the pure rule (`dashboard_rules.breakdown`)
over the same rows, on varied data (times to the microsecond, reads after answers, deliveries
without a municipality, drafts, overdue boundaries) and for every kind of caller and filter;
and `overdue_before` is `is_overdue` for times kept in UTC."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from projects.findings import dashboard_rules as rules
from projects.findings.dashboard_sql import Seen, aggregate
from projects.findings.schedule import Schedule, is_overdue, overdue_before
from tests.conftest import World
from tests.projects.findings_fixtures import fworld, needs_world  # noqa: F401

NOW = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC)
PLAN = Schedule()


@given(
    st.datetimes(
        min_value=dt.datetime(2026, 4, 1),
        max_value=dt.datetime(2026, 6, 2),
        timezones=st.just(dt.UTC),
    ),
    st.integers(min_value=1, max_value=40),
)
def test_overdue_before_is_is_overdue(delivered: dt.datetime, first: int) -> None:
    schedule = Schedule(reminders=(first,), escalation=first)
    expected = is_overdue(delivered, False, NOW, schedule)
    assert (delivered < overdue_before(NOW, schedule)) is expected


async def _extra_projects(w: World, rng: random.Random) -> list[int]:
    from klynge.orgs.tables import Cluster
    from projects.tables import Project

    await Cluster.update({Cluster.is_public: False}).where(Cluster.id == w.ids["cluster_b"])
    ids = [w.ids["p_f"], w.ids["p_north"]]
    for i in range(4):
        cluster = w.ids[rng.choice(["cluster_a", "cluster_b"])]
        funders = [w.ids["funder"]] if i % 2 else []
        row = await Project.insert(
            Project(cluster=cluster, group=w.ids["group_f"], title=f"P{i}", funder_ids=funders)
        ).returning(Project.id)
        ids.append(row[0]["id"])
    return ids


def _time(rng: random.Random) -> dt.datetime:
    # Around the first reminder's day (14 days) to hit the overdue boundary, to the microsecond.
    days = rng.choice([rng.uniform(0, 60), 13 + rng.random() * 2, 14.0, 13.6])
    return NOW - dt.timedelta(days=days, microseconds=rng.randrange(1_000_000))


async def _seed(w: World, rng: random.Random) -> None:
    from projects.findings.tables import Delivery, Outcome
    from projects.tables import Project

    projects = await Project.select(Project.id, Project.cluster)
    outcomes = []
    for i in range(14):
        p = rng.choice(projects)
        status = rng.choice(["published", "published", "published", "draft", "withdrawn"])
        row = await Outcome.insert(
            Outcome(
                project=p["id"], cluster=p["cluster"], kind="finding", title=f"O{i}", status=status
            )
        ).returning(Outcome.id)
        outcomes.append((row[0]["id"], p))
    munis = [w.ids[k] for k in ("bergen", "askoy", "oygarden", "trondheim", "alver")] + [None]
    rows = []
    for i in range(160):
        outcome, p = rng.choice(outcomes)
        created = _time(rng)
        read = created + dt.timedelta(hours=rng.uniform(-3, 400)) if rng.random() < 0.6 else None
        answered = None
        if rng.random() < 0.5:
            answered = rng.choice([read, created + dt.timedelta(hours=rng.uniform(0, 500))])
        rows.append(
            Delivery(
                key=f"k{i}",
                outcome=outcome,
                project=p["id"],
                cluster=p["cluster"],
                kind="added",
                municipality=rng.choice(munis),
                created_at=created,
                read_at=read,
                answered_at=answered,
                will_use=rng.choice(["yes", "partly", "no", "undecided", ""]),
            )
        )
    await Delivery.insert(*rows)


def _aware(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


async def _pure(s: Seen) -> rules.Breakdown:
    """The figures as the dashboard computed them before issue 17: every row into Python."""
    from klynge.orgs.tables import Cluster
    from projects.findings.tables import Delivery, Outcome
    from projects.tables import Project

    public = {c["id"] for c in await Cluster.select(Cluster.id).where(Cluster.is_public == True)}  # noqa: E712
    scope = rules.Scope(s.everything, s.clusters, s.funders, s.municipalities)
    full = set()
    for p in await Project.select(Project.id, Project.cluster, Project.funder_ids):
        funders = p["funder_ids"]
        funders = json.loads(funders) if isinstance(funders, str) else funders
        sees = (
            p["cluster"] in public if s.public else rules.sees_project(scope, p["cluster"], funders)
        )
        if s.cluster_id is not None and p["cluster"] != s.cluster_id:
            sees = False
        if s.project_id is not None and p["id"] != s.project_id:
            sees = False
        if sees:
            full.add(p["id"])
    published = {
        o["id"]: o
        for o in await Outcome.select(Outcome.id, Outcome.cluster, Outcome.project).where(
            Outcome.status == "published"
        )
    }
    deliveries = []
    for d in await Delivery.select():
        seen = d["project"] in full or d["municipality"] in s.municipalities
        for column in ("cluster", "project", "municipality"):
            wanted = getattr(s, f"{column}_id")
            seen = seen and (wanted is None or d[column] == wanted)
        if d["outcome"] in published and seen:
            deliveries.append(
                rules.DeliveryRow(
                    d["id"],
                    d["outcome"],
                    d["cluster"],
                    d["project"],
                    d["municipality"],
                    _aware(d["created_at"]) or NOW,
                    _aware(d["read_at"]),
                    _aware(d["answered_at"]),
                    d["will_use"],
                )
            )
    keys = {(d.outcome_id, d.cluster_id, d.project_id) for d in deliveries}
    if s.municipality_id is None:
        keys |= {
            (o["id"], o["cluster"], o["project"])
            for o in published.values()
            if o["project"] in full
        }
    return rules.breakdown([rules.OutcomeRow(*k) for k in sorted(keys)], deliveries, NOW, PLAN)


async def test_sql_figures_equal_the_pure_rule(fworld: World) -> None:  # noqa: F811
    w = fworld
    rng = random.Random(17)
    projects = await _extra_projects(w, rng)
    await _seed(w, rng)
    a, b = w.ids["cluster_a"], w.ids["cluster_b"]
    callers = [
        Seen(everything=True),
        Seen(public=True),
        Seen(clusters=frozenset({a})),
        Seen(clusters=frozenset({a, b})),
        Seen(funders=frozenset({w.ids["funder"]})),
        Seen(municipalities=frozenset({w.ids["askoy"], w.ids["trondheim"]})),
        Seen(clusters=frozenset({b}), municipalities=frozenset({w.ids["bergen"]})),
        Seen(everything=True, cluster_id=b),
        Seen(everything=True, project_id=projects[2]),
        Seen(clusters=frozenset({a}), municipality_id=w.ids["oygarden"]),
        Seen(municipalities=frozenset({w.ids["askoy"]}), municipality_id=w.ids["askoy"]),
        Seen(funders=frozenset({w.ids["funder"]}), cluster_id=a, project_id=projects[0]),
    ]
    for s in callers:
        expected = await _pure(s)
        got = (await aggregate(s, NOW, PLAN)).breakdown
        assert got == expected, s
    everything = (await aggregate(Seen(everything=True), NOW, PLAN)).breakdown
    assert everything.total.deliveries > 50  # the data are varied enough to mean something
    assert everything.total.overdue > 0
    assert everything.total.median_days is not None
    assert len(everything.municipalities) == 5
