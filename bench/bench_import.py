"""Import + deduplication of generated RIS records through the real import use case, against
the import as it was before (bench/_import_baseline.py), on SQLite and PostgreSQL.

Run: .venv/bin/python bench/bench_import.py [records]   (default 100,000)
SQLite runs in a temporary file; PostgreSQL too when DATABASE_URL (or BENCH_ADMIN_URL) points at
a server: each run creates its own database there (BENCH_PG_DATABASE, default
klynge_bench_import) and drops it. Each engine and each variant (baseline, new) runs in a
process of its own, on a fresh database, so each has its own peak memory (RSS). Two imports per
run: the file itself (about 8 % of its records repeat a DOI, a title+author+year or a slightly
changed title of an earlier record), then a second file of 10 % of the records again,
deduplicated against those stored. Prints records/s, wall time per phase, peak RSS, the ratios
new/baseline of the same run, and whether both variants took the same decisions (a digest of
every record's duplicate tier, reason, keeper and evidence type, and every possible pair).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _engines

VARIANT_VAR = "BENCH_IMPORT_VARIANT"
ENGINE = _engines.configure("import") if _engines.ENGINE_VAR in os.environ else ""

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
    from klynge.migrate import migrate
    from klynge.orgs.tables import Cluster, Municipality

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


async def one_import(cluster: int, data: bytes, name: str, variant: str) -> tuple[Any, float]:
    from klynge.db import transaction
    from literature import imports
    from literature import schemas as s

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
    if variant == "baseline":
        import _import_baseline

        run = _import_baseline.run_import
    else:
        run = imports.run_import
    start = time.perf_counter()
    report = await run(import_id, data)
    return report, time.perf_counter() - start


async def decisions(cluster: int) -> str:
    """A digest of what the imports decided, in file positions (ids differ between runs)."""
    from literature.tables import Reference

    sources = await Reference.raw(
        "SELECT s.literature_import AS i, s.position AS p, s.duplicate_tier AS t,"
        " s.duplicate_reason AS why, r.evidence_type AS e, r.evidence_reason AS er,"
        " (SELECT min(f.literature_import * 1000000 + f.position)"
        "  FROM literature_reference_source f WHERE f.reference = s.reference"
        "  AND f.duplicate_tier IS NULL) AS keeper"
        " FROM literature_reference_source s JOIN literature_reference r ON r.id = s.reference"
        " WHERE r.cluster = {} ORDER BY s.literature_import, s.position",
        cluster,
    )
    pairs = await Reference.raw(
        "SELECT (SELECT min(f.literature_import * 1000000 + f.position)"
        "  FROM literature_reference_source f WHERE f.reference = d.keeper) AS k,"
        " (SELECT min(f.literature_import * 1000000 + f.position)"
        "  FROM literature_reference_source f WHERE f.reference = d.duplicate) AS d,"
        " d.score AS score, d.reason AS why FROM literature_duplicate d"
        " WHERE d.cluster = {} ORDER BY 1, 2",
        cluster,
    )
    # Import ids differ by variant only in their base; positions and order are what matter.
    first = min((row["i"] for row in sources), default=0)
    digest = hashlib.sha256()
    for row in sources:
        keeper = row["keeper"] - first * 1_000_000 if row["keeper"] is not None else None
        values = (row["i"] - first, row["p"], row["t"], row["why"], row["e"], row["er"], keeper)
        digest.update(repr(values).encode())
    for row in pairs:
        values = (row["k"] - first * 1_000_000, row["d"] - first * 1_000_000, row["score"])
        digest.update(repr((*values, row["why"])).encode())
    return digest.hexdigest()[:16]


def peak_rss() -> float:
    """This process's peak resident memory in MiB (tracemalloc would slow the import down
    twofold). VmHWM, not getrusage: ru_maxrss carries over from before exec, so a child
    would report the parent's peak (which made the files) when that is higher."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


async def child(folder: Path) -> None:
    from klynge.db import is_postgres
    from klynge.errors import translate

    variant = os.environ[VARIANT_VAR]
    translate("Reading the file")  # the catalogues compile once per process: not timed
    if is_postgres():
        await _engines.fresh_pg("import")
    try:
        cluster = await setup()
        # Made by the parent: generating keeps every record, which is not the import's memory.
        data, again = (folder / "bench.ris").read_bytes(), (folder / "again.ris").read_bytes()
        n, repeats = (int(x) for x in (folder / "counts").read_text().split())
        report, seconds = await one_import(cluster, data, "bench.ris", variant)
        report2, seconds2 = await one_import(cluster, again, "again.ris", variant)
        rss = peak_rss()
        print(
            f"{ENGINE} {variant}: {len(data) / 1e6:.1f} MB, {repeats:,} repeats;"
            f" import 1 {seconds:.1f} s ({n / seconds:,.0f} records/s), imported"
            f" {report.imported:,}, duplicates {report.duplicates:,} {report.duplicates_by_tier},"
            f" possible {report.possible_duplicates:,}; import 2 {seconds2:.1f} s"
            f" ({(n // 10) / seconds2:,.0f} records/s), duplicates {report2.duplicates:,};"
            f" peak RSS {rss:.0f} MiB",
            flush=True,
        )
        _engines.report(
            {
                "rate1": n / seconds,
                "rate2": (n // 10) / seconds2,
                "rss": rss,
                "digest": await decisions(cluster),
            }
        )
    finally:
        if is_postgres():
            await _engines.drop_pg("import")


def run(engine: str, variant: str, folder: Path) -> dict[str, Any]:
    # One hash seed for both: which shared author a reason names follows set order.
    env = {**os.environ, _engines.ENGINE_VAR: engine, VARIANT_VAR: variant, "PYTHONHASHSEED": "1"}
    command = [sys.executable, __file__, str(folder)]  # this interpreter, this benchmark
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as proc:  # noqa: S603
        assert proc.stdout is not None
        result: dict[str, Any] = {}
        for line in proc.stdout:
            if line.startswith(_engines.RESULT):
                result = json.loads(line[len(_engines.RESULT) :])
            else:
                print(line, end="", flush=True)
    if proc.returncode or not result:
        raise SystemExit(f"{engine} {variant}: the benchmark failed (exit {proc.returncode})")
    return result


def main() -> None:
    args = sys.argv[1:]
    n = int(args[0]) if args else 100_000
    engines = ["sqlite"] + (["postgresql"] if _engines.admin_url() else [])
    if not _engines.admin_url():
        print("PostgreSQL not measured: DATABASE_URL does not point at a server.", flush=True)
    print(f"{n:,} RIS records; load average {os.getloadavg()[0]:.1f}", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="klynge-bench-import-"))
    data, repeats = generate(n)
    (folder / "bench.ris").write_bytes(data)
    (folder / "again.ris").write_bytes(generate(n // 10, seed=1)[0])  # its first 10 %, again
    (folder / "counts").write_text(f"{n} {repeats}")
    del data
    try:
        for engine in engines:
            _compare(engine, folder)
    finally:
        shutil.rmtree(folder)


def _compare(engine: str, folder: Path) -> None:
    """Both variants on one engine, the new one first; their figures side by side."""
    new = run(engine, "new", folder)
    old = run(engine, "baseline", folder)
    same = "yes" if new["digest"] == old["digest"] else "NO"
    print(
        f"{engine}: import 1 {new['rate1']:,.0f} records/s (baseline {old['rate1']:,.0f},"
        f" x{new['rate1'] / old['rate1']:.1f}); import 2 {new['rate2']:,.0f} records/s"
        f" (baseline {old['rate2']:,.0f}, x{new['rate2'] / old['rate2']:.1f}); peak RSS"
        f" {new['rss']:.0f} MiB (baseline {old['rss']:.0f}); same decisions: {same}",
        flush=True,
    )


if __name__ == "__main__":
    if ENGINE:
        asyncio.run(child(Path(sys.argv[1])))
    else:
        main()
