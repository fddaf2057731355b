"""Matching v2: embedding throughput and memory, and the combined matcher's speed at scale.

Run: .venv/bin/python bench/bench_semantic.py [groups] [needs]   (default 2000 20000)

1. Embedding throughput of each model (passages/s over 64 English abstracts of ~180 words, as
   the model reads them: e5 their first 400 characters, MiniLM 256 tokens; and single need
   queries/s over 64 Norwegian needs) and the process's peak RSS after loading it, each
   model in its own subprocess.
2. Precomputed vectors: synthetic groups with 40–60 publications each (~100k at 2,000 groups).
   Their vectors are put in the embedding cache beforehand (random unit vectors: the arithmetic
   is the same as for real ones; computing 100k real vectors takes hours on 2 cores, which is
   why they are computed once, in a job, and stored). Then:
   - one need against all groups with the combined matcher (lexical + e5 + MiniLM, need vectors
     precomputed): p50/p95 ms over 50 needs; the lexical matcher alone in the same run as the
     baseline (ratio);
   - `klynge match score` (combined) on all groups × needs in a subprocess: wall time and peak
     RSS, and the lexical variant in the same run (ratio).
   - with BENCH_BEFORE=<another checkout> (e.g. `git worktree add /tmp/before main`), the
     combined figures of that checkout's code on the same data in the same run (ratio).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_matching import synthetic  # noqa: E402

from projects.match_cli import load_groups, load_needs  # noqa: E402
from projects.matching import MatchIndex  # noqa: E402
from projects.matching.embedders import MODELS, embedder  # noqa: E402
from projects.matching.semantic import clip, need_text, profile_text  # noqa: E402
from projects.matching.variants import build  # noqa: E402
from projects.matching.vectors import _key, cached_source  # noqa: E402

ABSTRACT = (
    "Background: School absenteeism in adolescence is associated with lower attainment, "
    "mental health problems and later exclusion from work. We followed {n} students in "
    "lower secondary schools over three years and examined how emotional problems, bullying, "
    "family conflict and teacher support predicted persistent absence. Methods: survey data "
    "were linked to registry records of absence; we used multilevel logistic regression "
    "with school as a random effect. Results: emotional problems and bullying predicted "
    "persistent absence, while teacher support reduced the risk, especially for girls. "
    "Conclusions: schools should identify absence early and coordinate with school health "
    "services and child welfare; interventions that strengthen relationships may help."
)
NEED = (
    "Skulefråvær på ungdomssteget. Kva tiltak hjelper elevar med høgt fråvær tilbake til "
    "skulen? Kommunen ser fleire elevar som blir heime over tid, og skulane manglar rutinar "
    "for å fange opp fråværet tidleg i samarbeid med helsesjukepleiar og PPT."
)


def throughput(model: str) -> None:
    """Runs in its own process: load, then passages/s and queries/s, then peak RSS."""
    started = time.perf_counter()
    e = embedder(model)
    load = time.perf_counter() - started
    texts = [clip(ABSTRACT.format(n=100 + i), MODELS[model].passage_chars) for i in range(64)]
    started = time.perf_counter()
    e.passages(texts)
    passages = len(texts) / (time.perf_counter() - started)
    needs = [f"{NEED} ({i})" for i in range(64)]
    started = time.perf_counter()
    for text in needs:
        e.queries([text])
    queries = len(needs) / (time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  {MODELS[model].name}: load {load:.1f} s, {passages:.1f} abstracts/s, "
        f"{queries:.1f} single needs/s, peak RSS {peak:.0f} MB"
    )


def fill_cache(groups_path: Path, needs_path: Path, cache: Path) -> None:
    """Random unit vectors for every text the matcher will ask for, as the model reads it."""
    import sqlite3

    groups = load_groups(groups_path)
    needs = load_needs(needs_path)
    rng = np.random.default_rng(3)
    queries = [need_text(n) for n in needs]
    with sqlite3.connect(cache) as db:
        db.execute("CREATE TABLE IF NOT EXISTS vec (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
        for info in MODELS.values():
            passages = [t for t in (profile_text(g) for g in groups) if t] + [
                clip(p.text(), info.passage_chars) for g in groups for p in g.publications
            ]
            for kind, texts in (("passage", passages), ("query", queries)):
                vectors = rng.standard_normal((len(texts), info.dim)).astype(np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
                rows = [
                    (_key(info.version, kind, t), v.tobytes())
                    for t, v in zip(texts, vectors, strict=False)
                ]
                db.executemany("INSERT OR REPLACE INTO vec (k, v) VALUES (?, ?)", rows)
    print(f"  cache filled: {len(passages):,} passages and {len(queries):,} needs per model")


def online(groups_path: Path, needs_path: Path, cache: Path) -> None:
    groups = load_groups(groups_path)
    needs = load_needs(needs_path)[:50]
    source = cached_source(cache)
    started = time.perf_counter()
    matcher = build(groups, "combined", source)
    built = time.perf_counter() - started
    lexical = MatchIndex.build(groups, "full")
    for need in needs:  # need vectors precomputed: read them once, as stored ones would be
        for model in MODELS:
            source(model, [need_text(need)], "query")

    def timed(rank) -> list[float]:
        out = []
        for need in needs:
            t = time.perf_counter()
            rank(need)
            out.append((time.perf_counter() - t) * 1000)
        return out

    combined = timed(matcher.rank)
    base = timed(lexical.rank)
    # The floor set by memory bandwidth: one float32 pass over a model's publication vectors.
    vectors = matcher.semantic("e5").vectors
    one_pass = timed(lambda need: vectors @ source("e5", [need_text(need)], "query")[0])
    pubs = sum(len(g.publications) for g in groups)
    p50, p95 = statistics.median(combined), statistics.quantiles(combined, n=20)[-1]
    b50 = statistics.median(base)
    print(
        f"Online: {len(groups)} groups, {pubs:,} publications; combined index build {built:.1f} s"
    )
    print(
        f"  one need, all groups, combined: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"(lexical alone p50 {b50:.1f} ms; ratio {p50 / b50:.1f}×)"
    )
    floor = statistics.median(one_pass)
    print(
        f"  one float32 pass over the e5 vectors ({vectors.nbytes / 1e6:.0f} MB): p50 "
        f"{floor:.1f} ms; combined p50 = {p50 / floor:.1f} passes"
    )


def offline(
    groups_path: Path, needs_path: Path, cache: Path, variant: str, tree: Path = REPO
) -> tuple[float, float]:
    out = groups_path.parent / f"scores-{variant}.json"
    command = [
        sys.executable, "-c",
        "import resource, sys; from klynge.cli import main; code = main(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); "
        "raise SystemExit(code)",
        "match", "score", "--groups", str(groups_path), "--needs", str(needs_path),
        "--out", str(out), "--variant", variant,
    ]  # fmt: skip
    env = {**os.environ, "KLYNGE_EMBED_CACHE": str(cache)}
    if tree != REPO:  # that checkout's code first (the installed package points at this one)
        env["PYTHONPATH"] = f"{tree}{os.pathsep}{tree / 'platform'}"
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603  (our own command)
        command, check=True, cwd=tree, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    peak = int(done.stderr.strip().splitlines()[-1]) / 1024
    out.unlink()
    return elapsed, peak


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--throughput":
        throughput(sys.argv[2])
        return
    n_groups = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    n_needs = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    print("Embedding throughput (each model in its own process):")
    for model in MODELS:
        subprocess.run([sys.executable, __file__, "--throughput", model], check=True)  # noqa: S603
    with tempfile.TemporaryDirectory(prefix="klynge-bench-semantic-") as tmp:
        folder = Path(tmp)
        groups_path, needs_path = synthetic(n_groups, n_needs, folder, pub_range=(40, 60))
        cache = folder / "vectors.sqlite3"
        fill_cache(groups_path, needs_path, cache)
        online(groups_path, needs_path, cache)
        pairs = n_groups * n_needs
        lexical = offline(groups_path, needs_path, cache, "full")
        combined = offline(groups_path, needs_path, cache, "combined")
        print(f"Offline: match score {n_groups} × {n_needs} = {pairs:,} pairs")
        print(f"  combined: {combined[0]:.1f} s, peak RSS {combined[1]:.0f} MB")
        print(
            f"  lexical (full) in the same run: {lexical[0]:.1f} s, peak RSS {lexical[1]:.0f} MB; "
            f"ratio {combined[0] / lexical[0]:.2f}×"
        )
        before = os.environ.get("BENCH_BEFORE")
        if before:
            old = offline(groups_path, needs_path, cache, "combined", Path(before).resolve())
            print(
                f"  combined, code of {before}: {old[0]:.1f} s, peak RSS {old[1]:.0f} MB; "
                f"this code is {old[0] / combined[0]:.2f}× as fast"
            )


if __name__ == "__main__":
    main()
