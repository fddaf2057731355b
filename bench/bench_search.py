"""Full-text search over 200,000 synthetic references (English and Norwegian vocabulary).

Run: .venv/bin/python bench/bench_search.py [references] [queries]
Uses a temporary SQLite file unless DATABASE_URL points at PostgreSQL: then it creates the
database `klynge_bench_search` on that server, migrates it, and drops it at the end.
Prints load time, index build time (SQLite FTS5 'rebuild'; PostgreSQL GIN reindex, the
tsvector itself being computed on insert) and p50/p95 latency of `literature.search.search`.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_TMP = Path(tempfile.mkdtemp(prefix="klynge-bench-"))
_ADMIN_URL = os.environ.get("DATABASE_URL", "")
_PG = _ADMIN_URL.startswith(("postgres://", "postgresql://"))
_NAME = "klynge_bench_search"
if _PG:
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(_ADMIN_URL)._replace(path=f"/{_NAME}"))
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP}/b.sqlite"
os.environ["PICCOLO_CONF"] = "klynge.piccolo_conf"

import datetime as dt  # noqa: E402

from klynge.migrate import migrate  # noqa: E402
from klynge.orgs.tables import Cluster, Municipality  # noqa: E402
from literature.search import SearchQuery, rebuild_index, search  # noqa: E402
from literature.tables import Reference  # noqa: E402

ENGLISH = (  # noqa: SIM905  (a readable word list)
    "children adolescents parents parenting school teachers intervention interventions program "
    "programme randomised controlled trial systematic review meta analysis cohort study effect "
    "effects outcome outcomes mental health anxiety depression wellbeing bullying prevention "
    "early support family families home visiting nurse primary care sleep screen time physical "
    "activity obesity nutrition reading literacy mathematics dropout absence attendance "
    "loneliness elderly dementia caregivers disability inclusion migrants refugees language "
    "violence abuse neglect welfare services municipal community social work evaluation "
    "implementation fidelity cost effectiveness quality life risk factors protective resilience "
    "trauma substance alcohol smoking youth kindergarten preschool teacher training digital "
    "online app feedback counselling therapy cognitive behavioural group individual follow"
).split()
NORWEGIAN = (  # noqa: SIM905
    "barn unge foreldre foreldreveiledning skole lærere tiltak tiltaket effekt effekten "
    "kunnskapsoppsummering oversikt studie studier psykisk helse angst depresjon trivsel mobbing "
    "forebygging tidlig innsats familie familier hjemmebesøk helsesykepleier fastlege søvn "
    "skjermtid fysisk aktivitet overvekt kosthold lesing regning frafall fravær ensomhet eldre "
    "demens pårørende funksjonsnedsettelse inkludering innvandrere flyktninger språk vold "
    "overgrep omsorgssvikt barnevern tjenester kommunal kommunen nærmiljø sosialt arbeid "
    "evaluering implementering kostnader livskvalitet risikofaktorer beskyttende motstandskraft "
    "traumer rus alkohol røyking ungdom barnehage barnehagen førskole opplæring digitale "
    "veiledning terapi kognitiv atferdsterapi gruppe oppfølging høyskole universitet Ålesund "
    "Tromsø Bodø samarbeid og i på for med av til om"
).split()
TYPES = ("systematic_review", "meta_analysis", "rct", "cohort", "qualitative", "other")
LANGS = ("eng", "nob", "nno", "swe")


def _zipf(words: list[str]) -> list[float]:
    return [1.0 / (rank + 1) ** 0.8 for rank in range(len(words))]


class Generator:
    def __init__(self, seed: int = 42) -> None:
        self.rng = random.Random(seed)
        self.en_w = _zipf(ENGLISH)
        self.no_w = _zipf(NORWEGIAN)

    def words(self, n: int, norwegian: bool) -> str:
        pool, weights = (NORWEGIAN, self.no_w) if norwegian else (ENGLISH, self.en_w)
        chosen = self.rng.choices(pool, weights, k=n)
        if self.rng.random() < 0.15:  # some mixed-language records
            other = ENGLISH if norwegian else NORWEGIAN
            chosen[self.rng.randrange(n)] = self.rng.choice(other)
        return " ".join(chosen)

    def reference(self, cluster: int) -> Reference:
        rng = self.rng
        norwegian = rng.random() < 0.3
        evidence = rng.choice(TYPES)
        return Reference(
            cluster=cluster,
            title=self.words(rng.randint(5, 14), norwegian).capitalize(),
            abstract=self.words(rng.randint(60, 180), norwegian) + ".",
            keywords_text="; ".join(self.words(rng.randint(1, 2), norwegian) for _ in range(4)),
            year=None if rng.random() < 0.03 else rng.randint(1985, 2026),
            language="nob" if norwegian else rng.choice(LANGS),
            evidence_type=evidence,
            summarised=evidence in ("systematic_review", "meta_analysis"),
            authors=[["Nordmann", "Kari"], ["Smith", "J"]],
            container="Journal of Municipal Research",
        )

    def queries(self, n: int, cluster: int) -> list[SearchQuery]:
        rng = self.rng
        out = []
        for i in range(n):
            norwegian = rng.random() < 0.4
            pool = NORWEGIAN if norwegian else ENGLISH
            kind = i % 8
            if kind in (0, 1):
                text = rng.choice(pool)  # single word (common and rare)
            elif kind in (2, 3):
                text = f"{rng.choice(pool)} {rng.choice(pool)}"
            elif kind == 4:
                text = f'"{self.words(2, norwegian)}"'  # phrase
            elif kind == 5:
                text = rng.choice(pool)[:4] + "*"  # prefix
            elif kind == 6:
                text = f"{rng.choice(pool)} OR {rng.choice(pool)}"
            else:
                text = ""  # filters only
            filters: dict = {}
            if rng.random() < 0.4:
                start = rng.randint(1985, 2020)
                filters.update(year_from=start, year_to=start + rng.randint(0, 10))
            if rng.random() < 0.3:
                filters["evidence_types"] = rng.sample(TYPES, 2)
            if rng.random() < 0.2:
                filters["summarised_only"] = True
            if rng.random() < 0.1:
                filters["language"] = "NOB"
            sort = rng.choice(("relevance", "relevance", "relevance", "year", "title"))
            out.append(
                SearchQuery(
                    text=text,
                    cluster_ids=[cluster],
                    page=rng.choice((1, 1, 1, 2, 5)),
                    sort=sort,
                    **filters,
                )
            )
        return out


async def _admin(statement: str) -> None:
    import asyncpg

    dsn = urlunsplit(urlsplit(_ADMIN_URL)._replace(scheme="postgresql"))
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def _load(n_refs: int, gen: Generator) -> tuple[list[int], float, float]:
    """Two clusters with n_refs references (90 % in the first); load and index-build seconds."""
    from klynge.db import is_postgres

    muni = (
        await Municipality.insert(
            Municipality(
                number="4601", name="Bergen", county="Vestland", valid_from=dt.date(2024, 1, 1)
            )
        ).returning(Municipality.id)
    )[0]["id"]
    clusters = []
    for name in ("Bench A", "Bench B"):
        row = await Cluster.insert(Cluster(name=name, motor_municipality=muni)).returning(
            Cluster.id
        )
        clusters.append(row[0]["id"])
    start = time.perf_counter()
    batch = 500
    for offset in range(0, n_refs, batch):
        rows = [
            gen.reference(clusters[0] if gen.rng.random() < 0.9 else clusters[1])
            for _ in range(min(batch, n_refs - offset))
        ]
        await Reference.insert(*rows)
    load = time.perf_counter() - start
    start = time.perf_counter()
    if is_postgres():
        await Reference.raw("REINDEX INDEX literature_reference_search")
        await Reference.raw("ANALYZE literature_reference")
    else:
        await rebuild_index()
        await Reference.raw(
            "INSERT INTO literature_reference_fts (literature_reference_fts) VALUES ('optimize')"
        )
        await Reference.raw("ANALYZE")
    return clusters, load, time.perf_counter() - start


async def run(n_refs: int, n_queries: int) -> None:
    from klynge.db import engine, is_postgres

    await migrate()
    if is_postgres():
        await engine().start_connection_pool(min_size=1, max_size=4)  # type: ignore[attr-defined]
    gen = Generator()
    clusters, load, build = await _load(n_refs, gen)

    queries = gen.queries(n_queries, clusters[0])
    for q in queries[:10]:  # warm caches
        await search(q)
    timings = []
    hits = 0
    for q in queries:
        t0 = time.perf_counter()
        page = await search(q)
        timings.append((time.perf_counter() - t0) * 1000)
        hits += page.total
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(0.95 * (len(timings) - 1))]
    total = await Reference.count()
    backend = "postgresql" if is_postgres() else "sqlite"
    print(
        f"search ({backend}): {total} references loaded in {load:.1f} s (index maintained by "
        f"triggers / generated column); index build {build:.1f} s; {len(queries)} queries "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; "
        f"mean total hits {hits / len(queries):.0f}"
    )
    if is_postgres():
        await engine().close_connection_pool()  # type: ignore[attr-defined]


async def main() -> None:
    n_refs = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    n_queries = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    if _PG:
        await _admin(f'DROP DATABASE IF EXISTS "{_NAME}" WITH (FORCE)')
        await _admin(f'CREATE DATABASE "{_NAME}"')
    try:
        await run(n_refs, n_queries)
    finally:
        if _PG:
            await _admin(f'DROP DATABASE IF EXISTS "{_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
