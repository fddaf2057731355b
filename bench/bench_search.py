"""Full-text search over 200,000 synthetic references (English and Norwegian vocabulary), on
SQLite and (with DATABASE_URL pointing at a server) PostgreSQL, against a baseline measured in
the same run on the same data and queries: the search as it was before issue 17
(bench/_search_baseline.py), which ranks every match and counts them all.

Run: .venv/bin/python bench/bench_search.py [references] [queries]   (default 200,000 and 200)
Each engine runs in its own process (bench/_engines.py); BENCH_KEEP=1 keeps the loaded
databases and reuses them on the next run with the same size. Prints load time, p50/p95/p99
latency of `literature.search.search` and of the baseline, their ratio, per query kind, and how
often both return the same page; BENCH_SLOWEST=n also prints the n slowest queries. The goal
(issue 17): p95 < 30 ms on both engines.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import time
from collections import defaultdict
from typing import Any

import _engines

ENGINE = _engines.configure("search") if _engines.ENGINE_VAR in os.environ else ""

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
KINDS = ("word", "word", "two words", "two words", "phrase", "prefix", "OR", "filters only")


def _zipf(words: list[str]) -> list[float]:
    return [1.0 / (rank + 1) ** 0.8 for rank in range(len(words))]


class Generator:
    """References and queries from one seeded random stream (the same as before issue 17)."""

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

    def reference(self, cluster: int) -> dict[str, Any]:
        rng = self.rng
        norwegian = rng.random() < 0.3
        evidence = rng.choice(TYPES)
        return {
            "cluster": cluster,
            "title": self.words(rng.randint(5, 14), norwegian).capitalize(),
            "abstract": self.words(rng.randint(60, 180), norwegian) + ".",
            "keywords_text": "; ".join(self.words(rng.randint(1, 2), norwegian) for _ in range(4)),
            "year": None if rng.random() < 0.03 else rng.randint(1985, 2026),
            "language": "nob" if norwegian else rng.choice(LANGS),
            "evidence_type": evidence,
            "summarised": evidence in ("systematic_review", "meta_analysis"),
            "authors": [["Nordmann", "Kari"], ["Smith", "J"]],
            "container": "Journal of Municipal Research",
        }

    def query(self, i: int, cluster: int) -> Any:
        from literature.search import SearchQuery

        rng = self.rng
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
        filters: dict[str, Any] = {}
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
        page = rng.choice((1, 1, 1, 2, 5))
        return SearchQuery(text=text, cluster_ids=[cluster], page=page, sort=sort, **filters)


async def _clusters() -> list[int]:
    import datetime as dt

    from klynge.orgs.tables import Cluster, Municipality

    existing = await Cluster.select(Cluster.id).where(Cluster.name.like("Bench %"))
    if existing:
        return sorted(r["id"] for r in existing)
    muni = Municipality(
        number="4601", name="Bergen", county="Vestland", valid_from=dt.date(2024, 1, 1)
    )
    muni_id = (await Municipality.insert(muni).returning(Municipality.id))[0]["id"]
    ids = []
    for name in ("Bench A", "Bench B"):
        cluster = Cluster(name=name, motor_municipality=muni_id)
        ids.append((await Cluster.insert(cluster).returning(Cluster.id))[0]["id"])
    return ids


async def _load(n_refs: int, gen: Generator) -> tuple[list[int], float]:
    """Two clusters with n_refs references (90 % in the first), loaded unless a kept database
    already holds them (the generator is run through them either way: the same queries)."""
    from klynge.db import bulk_insert, is_postgres, transaction
    from literature.tables import Reference

    clusters = await _clusters()
    reuse = await Reference.count() == n_refs
    start = time.perf_counter()
    for offset in range(0, n_refs, 2000):
        rows = [
            gen.reference(clusters[0] if gen.rng.random() < 0.9 else clusters[1])
            for _ in range(min(2000, n_refs - offset))
        ]
        if not reuse:
            async with transaction():
                await bulk_insert(Reference, rows)
    if not reuse:
        if is_postgres():
            await Reference.raw("VACUUM ANALYZE literature_reference")
        else:
            await Reference.raw("ANALYZE")
    return clusters, -1.0 if reuse else time.perf_counter() - start


async def _time(search: Any, query: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    page = await search(query)
    return (time.perf_counter() - start) * 1000, page


async def _measure(queries: list[Any]) -> dict[str, Any]:
    """Each query through the search and the baseline, alternately (load on the machine
    drifts); latencies per kind, and how often both gave the same page."""
    import _search_baseline

    from literature import search

    for q in queries[:10]:  # warm caches
        await search.search(q)
        await _search_baseline.search(q)
    new: dict[str, list[float]] = defaultdict(list)
    old: dict[str, list[float]] = defaultdict(list)
    each: list[tuple[float, str, Any]] = []
    same = comparable = 0
    for i, q in enumerate(queries):
        kind = KINDS[i % 8]
        took, page = await _time(search.search, q)
        new[kind].append(took)
        each.append((took, kind, q))
        took, before = await _time(_search_baseline.search, q)
        old[kind].append(took)
        if not page.capped:
            comparable += 1
            same += [h.id for h in page.hits] == [h.id for h in before.hits]
    _slowest(each, int(os.environ.get("BENCH_SLOWEST", "0")))
    return {"new": dict(new), "old": dict(old), "same": same, "comparable": comparable}


def _slowest(each: list[tuple[float, str, Any]], n: int) -> None:
    """The `n` slowest queries of the search with what shapes them (BENCH_SLOWEST=n)."""
    for took, kind, q in sorted(each, key=lambda e: e[0], reverse=True)[:n]:
        shape = {
            "years": (q.year_from, q.year_to),
            "types": list(q.evidence_types),
            "summarised": q.summarised_only,
            "language": q.language,
        }
        shape = {k: v for k, v in shape.items() if v not in ((None, None), [], False, "")}
        print(
            f"    {took:7.1f} ms  {kind:<12} {q.text!r:<32} {q.sort:<9} page {q.page} {shape}",
            flush=True,
        )


def _summary(times: dict[str, list[float]]) -> dict[str, float]:
    every = sorted(t for values in times.values() for t in values)
    return {f"p{p}": _engines.percentile(every, p / 100) for p in (50, 95, 99)}


async def child(n_refs: int, n_queries: int) -> None:
    from klynge.db import engine, is_postgres
    from klynge.migrate import migrate

    if is_postgres() and not (_engines.keep() and await _engines.pg_exists("search")):
        await _engines.fresh_pg("search")
    try:
        await migrate()
        if is_postgres():
            await engine().start_connection_pool(min_size=1, max_size=4)  # type: ignore[attr-defined]
        gen = Generator()
        clusters, load = await _load(n_refs, gen)
        queries = [gen.query(i, clusters[0]) for i in range(n_queries)]
        measured = await _measure(queries)
        if is_postgres():
            await engine().close_connection_pool()  # type: ignore[attr-defined]
    finally:
        if is_postgres():
            await _engines.drop_pg("search")
    new, old = _summary(measured["new"]), _summary(measured["old"])
    loaded = "reused" if load < 0 else f"loaded in {load:.0f} s"
    print(f"search ({ENGINE}): {n_refs:,} references {loaded}; {n_queries} queries")
    for kind in dict.fromkeys(KINDS):
        a, b = sorted(measured["new"][kind]), sorted(measured["old"][kind])
        print(
            f"  {kind:<13} p95 {_engines.percentile(a, 0.95):7.1f} ms"
            f"   baseline p95 {_engines.percentile(b, 0.95):8.1f} ms"
        )
    _engines.report(
        {**new, **{f"baseline_{k}": v for k, v in old.items()}}
        | {"same": measured["same"], "comparable": measured["comparable"]}
    )


def main() -> None:
    args = sys.argv[1:]
    results = _engines.run_children(__file__, args)
    print("\nsearch latency, ms (baseline: ranks every match and counts them all)")
    for r in results:
        print(
            f"  {r['engine']:<10} p50 {r['p50']:6.1f}  p95 {r['p95']:6.1f}  p99 {r['p99']:6.1f}"
            f"  | baseline p50 {r['baseline_p50']:7.1f}  p95 {r['baseline_p95']:7.1f}"
            f"  p99 {r['baseline_p99']:7.1f}  | p95 ratio {r['p95'] / r['baseline_p95']:.3f}"
            f" ({r['baseline_p95'] / r['p95']:.0f}x faster); goal p95 < 30 ms: "
            f"{'met' if r['p95'] < 30 else 'MISSED'}; same page as the baseline for "
            f"{r['same']} of {r['comparable']} queries with an exact total"
        )


if __name__ == "__main__":
    if ENGINE:
        sizes = [int(a) for a in sys.argv[1:3]]
        asyncio.run(child(*(sizes + [200_000, 200][len(sizes) :])))
    else:
        main()
