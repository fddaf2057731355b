"""Import + deduplication of generated RIS records through the real import use case.

Run: .venv/bin/python bench/bench_import.py [records]   (default 100,000)
Uses a temporary SQLite file unless BENCH_DATABASE_URL points at PostgreSQL (an empty
database: the benchmark migrates it). Two imports run: the file itself (about 8 % of its
records repeat a DOI, a title+author+year or a slightly changed title of an earlier record),
then a second file of 10 % of the records again, deduplicated against the 100,000 stored.
Prints records/s, wall time per phase and the process's peak RSS.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="klynge-bench-"))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{_TMP}/b.sqlite"
os.environ["PICCOLO_CONF"] = "klynge.piccolo_conf"

from klynge.db import transaction  # noqa: E402
from klynge.migrate import migrate  # noqa: E402
from klynge.orgs.tables import Cluster, Municipality  # noqa: E402
from literature import imports  # noqa: E402
from literature import schemas as s  # noqa: E402

WORDS = [
    "children",
    "youth",
    "parent",
    "training",
    "school",
    "absence",
    "child",
    "welfare",
    "foster",
    "care",
    "placement",
    "stability",
    "mental",
    "health",
    "anxiety",
    "depression",
    "bullying",
    "prevention",
    "early",
    "intervention",
    "kindergarten",
    "language",
    "development",
    "home",
    "visiting",
    "nurse",
    "family",
    "therapy",
    "conduct",
    "problems",
    "adolescents",
    "randomised",
    "trial",
    "cohort",
    "register",
    "study",
    "qualitative",
    "interview",
    "implementation",
    "barnevern",
    "skolefravær",
    "foreldrestøtte",
    "tidlig",
    "innsats",
    "fosterhjem",
    "ungdom",
    "psykisk",
    "helse",
    "samarbeid",
    "tjenester",
    "helsestasjon",
    "barnehage",
    "språk",
    "mobbing",
    "vold",
    "overgrep",
    "ettervern",
]
FAMILIES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Ødegård",
    "Sørlie",
    "Ogden",
    "Åberg",
    "Müller",
    "Nguyễn",
    "Smith",
    "Jones",
    "Brown",
    "García",
    "Kowalski",
    "Sæther",
]
JOURNALS = (
    "Child Abuse & Neglect",
    "Campbell Systematic Reviews",
    "Cochrane Database of Systematic Reviews",
    "Tidsskrift for Norsk psykologforening",
    "Nordic Social Work Research",
    "Children and Youth Services Review",
)


def _record(rng: random.Random, i: int) -> dict[str, object]:
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize()
    return {
        "title": f"{title} ({i})",
        "authors": [
            (rng.choice(FAMILIES), rng.choice("ABCDEFGHIJKLMNOPRSTU"))
            for _ in range(rng.randint(1, 6))
        ],
        "year": rng.randint(1995, 2026),
        "doi": f"10.5555/bench.{i}" if rng.random() < 0.7 else "",
        "abstract": " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 120))),
        "journal": rng.choice(JOURNALS),
    }


def _ris(rec: dict[str, object]) -> str:
    lines = ["TY  - JOUR", f"TI  - {rec['title']}"]
    lines += [f"AU  - {family}, {given}." for family, given in rec["authors"]]  # type: ignore[attr-defined]
    lines += [f"PY  - {rec['year']}", f"JO  - {rec['journal']}", f"AB  - {rec['abstract']}"]
    if rec["doi"]:
        lines.append(f"DO  - {rec['doi']}")
    lines.append("ER  - ")
    return "\n".join(lines)


def generate(n: int, seed: int = 1) -> tuple[bytes, int]:
    """n RIS records; about 8 % repeat an earlier one (DOI, title+author+year, or fuzzy)."""
    rng = random.Random(seed)
    originals: list[dict[str, object]] = []
    out: list[str] = []
    repeats = 0
    for i in range(n):
        if originals and rng.random() < 0.08:
            base = dict(rng.choice(originals))
            kind = rng.random()
            if kind < 0.4 and base["doi"]:
                base["title"] = str(base["title"]).upper()
            elif kind < 0.8:
                base["doi"] = ""
                base["year"] = int(base["year"]) + rng.choice((0, 1))  # type: ignore[call-overload]
            else:
                title = str(base["title"])
                cut = rng.randrange(1, len(title) - 1)
                base["title"] = title[:cut] + title[cut + 1 :]
                base["doi"] = ""
            repeats += 1
            out.append(_ris(base))
        else:
            rec = _record(rng, i)
            originals.append(rec)
            out.append(_ris(rec))
    return ("\n\n".join(out) + "\n").encode(), repeats


async def setup() -> int:
    await migrate()
    muni = (
        await Municipality.insert(
            Municipality(
                number="4601", name="Bergen", county="Vestland", valid_from=dt.date(2024, 1, 1)
            )
        ).returning(Municipality.id)
    )[0]["id"]
    return (
        await Cluster.insert(
            Cluster(name=f"Bench {time.time()}", motor_municipality=muni)
        ).returning(Cluster.id)
    )[0]["id"]


async def one_import(cluster: int, data: bytes, name: str) -> tuple[s.ImportReport, float]:
    async with transaction():
        import_id = await imports.create_import(
            None,
            cluster_id=cluster,
            fmt=s.ImportFormat.RIS,
            source="Bench",
            filename=name,
            size=len(data),
            max_bytes=len(data) + 1,
        )
    start = time.perf_counter()
    report = await imports.run_import(import_id, data)
    return report, time.perf_counter() - start


async def main(n: int) -> None:
    cluster = await setup()
    data, repeats = generate(n)
    again, _ = generate(n // 10, seed=1)  # the first 10 % of the same records, re-found
    print(f"engine: {os.environ['DATABASE_URL'].split(':')[0]}")
    print(f"file: {n:,} RIS records, {len(data) / 1e6:.1f} MB, {repeats:,} repeats of earlier ones")
    # Memory: the process's peak RSS (tracemalloc would slow the import down twofold).
    report, seconds = await one_import(cluster, data, "bench.ris")
    print(
        f"import 1: {seconds:.1f} s, {n / seconds:,.0f} records/s; imported {report.imported:,}, "
        f"duplicates {report.duplicates:,} {report.duplicates_by_tier}, "
        f"possible {report.possible_duplicates:,}, problems {len(report.problems)}"
    )
    report2, seconds2 = await one_import(cluster, again, "again.ris")
    print(
        f"import 2 ({n // 10:,} records against {report.imported:,} stored): {seconds2:.1f} s, "
        f"{(n // 10) / seconds2:,.0f} records/s; imported {report2.imported:,}, "
        f"duplicates {report2.duplicates:,}, possible {report2.possible_duplicates:,}"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
