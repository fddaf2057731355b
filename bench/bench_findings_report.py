"""One findings report (DOCX and PDF) of a project with ~10 outcomes and ~30 deliveries, against
a baseline measured in the same run: pandoc (and Typst for the PDF) converting a one-line
document, so the figure shows what the report itself adds to the converter's start-up.

Run: .venv/bin/python bench/bench_findings_report.py [outcomes] [municipalities]
Uses a temporary SQLite file unless BENCH_DATABASE_URL points at PostgreSQL (an empty
database: the benchmark migrates it). The goal (issue 14): one report in under 2 seconds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

_TMP = Path(tempfile.mkdtemp(prefix="klynge-bench-"))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{_TMP}/b.sqlite"
os.environ["PICCOLO_CONF"] = "klynge.piccolo_conf"

from klynge.auth.principal import Grant, Principal  # noqa: E402
from klynge.auth.roles import OrgKind, Role  # noqa: E402
from klynge.documents import markdown_to_docx, markdown_to_pdf  # noqa: E402
from klynge.migrate import migrate  # noqa: E402
from klynge.orgs.tables import Cluster, Municipality, ResearchGroup  # noqa: E402
from projects.findings import report  # noqa: E402
from projects.findings.tables import Delivery, Outcome  # noqa: E402
from projects.tables import Project  # noqa: E402

NOW = dt.datetime.now(dt.UTC)
TEXT = (
    "Elevar med fråværsteam kom oftare på skulen, og lærarane melde om betre samarbeid med "
    "barnevernet. Tiltaket kravde lite ressursar og kan takast i bruk i alle kommunane. "
)


async def setup(n_outcomes: int, n_municipalities: int) -> tuple[int, Principal]:
    """A project in a cluster with `n_outcomes` published outcomes, each delivered to three of
    `n_municipalities` municipalities in turn (about 3 x outcomes deliveries), half answered."""
    munis = await Municipality.insert(
        *[
            Municipality(number=f"{4600 + i}", name=f"Kommune {i}", valid_from=dt.date(2024, 1, 1))
            for i in range(n_municipalities)
        ]
    ).returning(Municipality.id)
    muni_ids = [m["id"] for m in munis]
    cluster = (
        await Cluster.insert(Cluster(name="Bench", motor_municipality=muni_ids[0])).returning(
            Cluster.id
        )
    )[0]["id"]
    group = (
        await ResearchGroup.insert(
            ResearchGroup(name="Gruppe", institution="UiB", org_number="974760673")
        ).returning(ResearchGroup.id)
    )[0]["id"]
    project = (
        await Project.insert(
            Project(cluster=cluster, group=group, title="Fråværsteam", summary_popular=TEXT * 3)
        ).returning(Project.id)
    )[0]["id"]
    outcomes = await Outcome.insert(
        *[
            Outcome(
                project=project,
                cluster=cluster,
                kind="finding",
                title=f"Resultat {i}",
                summary=TEXT * 2,
                practice=TEXT,
                evidence_type="rct",
                links=[{"title": "Rettleiar", "url": "https://example.org/r"}],
                status="published",
                published_at=NOW,
            )
            for i in range(n_outcomes)
        ]
    ).returning(Outcome.id)
    await Delivery.insert(*_deliveries(outcomes, muni_ids, project, cluster))
    actor = Principal(
        account_id=1,
        name="Adviser",
        email="a@bench",
        language="nb",
        grants=(Grant(Role.PLATFORM_ADMIN, OrgKind.PLATFORM, None),),
    )
    return project, actor


def _deliveries(
    outcomes: list[dict[str, Any]], muni_ids: list[int], project: int, cluster: int
) -> list[Delivery]:
    """Three municipalities in turn per outcome, every other one answered."""
    deliveries = []
    for i, o in enumerate(outcomes):
        for j in range(3):
            muni = muni_ids[(3 * i + j) % len(muni_ids)]
            answered = (i + j) % 2 == 0
            deliveries.append(
                Delivery(
                    key=f"{o['id']}:municipality:{muni}",
                    outcome=o["id"],
                    project=project,
                    cluster=cluster,
                    kind="participant",
                    municipality=muni,
                    answered_at=NOW if answered else None,
                    relevant="yes" if answered else "",
                    will_use="partly" if answered else "",
                    change=TEXT if answered else "",
                )
            )
    return deliveries


async def timed(make: Callable[[], Awaitable[object]], runs: int = 3) -> float:
    """The best of `runs` (after one warm-up run), in seconds."""
    await make()
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        await make()
        best = min(best, time.perf_counter() - start)
    return best


async def main() -> None:
    n_outcomes = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    n_municipalities = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    await migrate()
    project, actor = await setup(n_outcomes, n_municipalities)
    backend = os.environ["DATABASE_URL"].split(":", 1)[0]
    print(f"findings report ({backend}): {n_outcomes} outcomes, {3 * n_outcomes} deliveries")
    for fmt, convert in (("docx", markdown_to_docx), ("pdf", markdown_to_pdf)):
        base = await timed(lambda c=convert: c("En linje.\n", "nb"))  # type: ignore[misc]
        full = await timed(lambda f=fmt: report.build_report(actor, project, f))  # type: ignore[misc]
        size = len((await report.build_report(actor, project, fmt)).content)
        print(
            f"  {fmt}: report {full:.3f} s ({size / 1024:.0f} KiB), baseline one-line "
            f"document {base:.3f} s, ratio {full / base:.2f}; goal < 2 s: "
            f"{'met' if full < 2 else 'NOT met'}"
        )


if __name__ == "__main__":
    asyncio.run(main())
