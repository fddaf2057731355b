"""Closing a round end to end: 500 needs x 40 raters (20,000 scores) through the service.

Run: .venv/bin/python bench/bench_close_round.py [needs] [raters]
Uses a temporary SQLite file unless BENCH_DATABASE_URL points at PostgreSQL (an empty
database: the benchmark migrates it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

_TMP = Path(tempfile.mkdtemp(prefix="klynge-bench-"))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{_TMP}/b.sqlite"
os.environ["PICCOLO_CONF"] = "klynge.piccolo_conf"

from klynge.auth.principal import Grant, Principal  # noqa: E402
from klynge.auth.roles import OrgKind, Role  # noqa: E402
from klynge.auth.tables import Account  # noqa: E402
from klynge.migrate import migrate  # noqa: E402
from klynge.orgs.tables import Cluster, ClusterMembership, Municipality  # noqa: E402
from priorities import rounds  # noqa: E402
from priorities.tables import Need, PriorityRound, RoundNeed, RoundRater, Score  # noqa: E402

GROUPS = ("leaders", "staff", "users", "researchers")


async def _cluster() -> tuple[int, int, int]:
    """A municipality, its cluster and an adviser account."""
    muni = (
        await Municipality.insert(
            Municipality(
                number="4601",
                name="Bergen",
                county="Vestland",
                valid_from=dt.date(2024, 1, 1),
            )
        ).returning(Municipality.id)
    )[0]["id"]
    cluster = (
        await Cluster.insert(Cluster(name="Bench", motor_municipality=muni)).returning(Cluster.id)
    )[0]["id"]
    await ClusterMembership.insert(
        ClusterMembership(cluster=cluster, municipality=muni, status="member")
    )
    adviser = (
        await Account.insert(Account(name="Adviser", email="a@bench", password_hash="x")).returning(
            Account.id
        )
    )[0]["id"]
    return muni, cluster, adviser


async def _round(
    cluster: int, muni: int, n_needs: int, n_raters: int
) -> tuple[int, list[int], list[Any]]:
    """A round over n_needs needs with a panel of n_raters (four stakeholder groups)."""
    needs = await Need.insert(
        *[
            Need(
                cluster=cluster,
                municipality=muni,
                title=f"Behov {i}",
                question="Spørsmål",
                prevention_level="universal",
                intended_use="other",
                status="under_assessment",
            )
            for i in range(n_needs)
        ]
    ).returning(Need.id)
    need_ids = [r["id"] for r in needs]
    rnd = (
        await PriorityRound.insert(
            PriorityRound(
                cluster=cluster,
                name="Bench",
                weights={},
                weighting="group",
            )
        ).returning(PriorityRound.id)
    )[0]["id"]
    await RoundNeed.insert(*[RoundNeed(round=rnd, need=i) for i in need_ids])
    accounts = await Account.insert(
        *[Account(name=f"R{i}", email=f"r{i}@bench", password_hash="x") for i in range(n_raters)]
    ).returning(Account.id)
    raters = await RoundRater.insert(
        *[
            RoundRater(
                round=rnd, account=a["id"], stakeholder_group=GROUPS[i % 4], municipality=muni
            )
            for i, a in enumerate(accounts)
        ]
    ).returning(RoundRater.id)
    return rnd, need_ids, raters


async def setup(n_needs: int, n_raters: int) -> tuple[int, Principal]:
    rng = random.Random(7)
    muni, cluster, adviser = await _cluster()
    rnd, need_ids, raters = await _round(cluster, muni, n_needs, n_raters)

    def answer() -> int | None:
        return None if rng.random() < 0.1 else rng.randint(0, 5)

    for rater in raters:
        await Score.insert(
            *[
                Score(
                    round=rnd,
                    rater=rater["id"],
                    need=i,
                    nytte=answer(),
                    alvorlighet=answer(),
                    ressurs=answer(),
                )
                for i in need_ids
            ]
        )
    actor = Principal(
        account_id=adviser,
        name="Adviser",
        email="a@bench",
        language="nb",
        grants=(Grant(Role.ADVISER, OrgKind.CLUSTER, cluster),),
        cluster_ids=frozenset({cluster}),
    )
    return rnd, actor


async def main() -> None:
    n_needs = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    n_raters = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    await migrate()
    from klynge.db import engine, is_postgres

    if is_postgres():
        await engine().start_connection_pool(max_size=10)  # type: ignore[attr-defined]
    rnd, actor = await setup(n_needs, n_raters)
    start = time.perf_counter()
    ranking = await rounds.close_round(actor, rnd)
    elapsed = time.perf_counter() - start
    # tracemalloc slows Python several times over: trace a recompute (same load and scoring,
    # no store) separately instead of the timed close.
    tracemalloc.start()
    await rounds.recompute(rnd)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    backend = os.environ["DATABASE_URL"].split(":", 1)[0]
    print(
        f"close round ({backend}): {n_needs} needs x {n_raters} raters "
        f"({n_needs * n_raters} scores) in {elapsed:.2f} s (load, score with 200 weight "
        f"draws, store, ranking of {len(ranking.items)} needs); "
        f"peak Python memory of load + score {peak / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    asyncio.run(main())
