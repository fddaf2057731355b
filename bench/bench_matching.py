"""Matching: evaluation figures of every variant, online ranking latency, offline score speed.

Run: .venv/bin/python bench/bench_matching.py [groups] [needs]   (default 2000 20000)

1. The labelled evaluation set (tests/projects/data): NDCG@5, NDCG@10, MAP and pairwise accuracy
   of each matcher variant, on all 40 needs and on the tuning half (odd need numbers, used to
   choose cosine over BM25) and the test half (even numbers, never used for a choice).
2. Synthetic groups (~20 publications each, English and Norwegian text from the glossary's
   vocabulary plus filler): `MatchIndex.build` time, then `rank` of all groups for one need
   (p50/p95 ms over 50 needs) and `explain` (ms).
3. `klynge match score --variant full` (the lexical matcher) on groups × needs in a subprocess:
   wall time (s) and peak RSS (MB). The combined matcher's figures: bench/bench_semantic.py.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from projects.match_cli import load_groups, load_needs  # noqa: E402
from projects.matching import VARIANTS, MatchIndex, NeedText, load_glossary  # noqa: E402
from projects.matching.evaluation import evaluate_scores, group_judgements  # noqa: E402

DATA = REPO / "tests" / "projects" / "data"

FILLER_EN = (  # noqa: SIM905
    "we study the association between and in a sample of participants results show that "
    "associated with higher lower levels significant differences were found compared to "
    "baseline follow-up months years data analysis model regression findings suggest "
    "implications for practice policy research further"
).split()
FILLER_NB = (  # noqa: SIM905
    "vi ønsker å vite mer om hvordan kommunen kan jobbe med dette i tjenestene våre det er "
    "behov for kunnskap erfaringer viser at mange opplever utfordringer knyttet til "
    "samarbeid mellom ansatte og ledere i kommunen over tid"
).split()


def evaluation_table() -> None:
    groups = load_groups(DATA / "eval_groups.jsonl")
    needs = load_needs(DATA / "eval_needs.jsonl")
    rows = [json.loads(line) for line in (DATA / "eval_judgements.jsonl").open()]
    judgements = group_judgements(rows)
    halves = {
        "all": needs,
        "tune": [n for n in needs if int(n.id[1:]) % 2 == 1],
        "test": [n for n in needs if int(n.id[1:]) % 2 == 0],
    }
    print(f"Evaluation set: {len(groups)} groups, {len(needs)} needs, {len(rows)} judgements")
    print(f"{'variant':<15} {'set':<5} {'NDCG@5':>7} {'NDCG@10':>8} {'MAP':>6} {'pairwise':>9}")
    for name, config in VARIANTS.items():
        index = MatchIndex.build(groups, config)
        matrix = index.score_needs(needs)
        ids = [g.id for g in index.groups]
        scores = {
            n.id: dict(zip(ids, matrix[i].tolist(), strict=True)) for i, n in enumerate(needs)
        }
        for half, subset in halves.items():
            m = evaluate_scores(scores, {n.id: judgements[n.id] for n in subset})
            print(
                f"{name:<15} {half:<5} {m.ndcg5:>7.3f} {m.ndcg10:>8.3f} {m.map:>6.3f} "
                f"{m.pairwise:>9.3f}"
            )
    print()


def _vocabulary() -> tuple[list[str], list[str]]:
    glossary = load_glossary()
    english = [t for e in glossary.terms.values() for t in e["en"]]
    norwegian = [t for e in glossary.terms.values() for t in [*e["nb"], *e["nn"]]]
    return english, norwegian


def _text(rng: random.Random, terms: list[str], filler: list[str], n_terms: int, n_fill: int):
    words = rng.sample(terms, n_terms) + rng.choices(filler, k=n_fill)
    rng.shuffle(words)
    return " ".join(words)


def synthetic(
    n_groups: int, n_needs: int, folder: Path, pub_range: tuple[int, int] = (10, 30)
) -> tuple[Path, Path]:
    rng = random.Random(7)
    english, norwegian = _vocabulary()
    groups_path = folder / "groups.jsonl"
    needs_path = folder / "needs.jsonl"
    with groups_path.open("w", encoding="utf-8") as handle:
        for g in range(n_groups):
            focus = rng.sample(english, 40)  # each group has its own corner of the vocabulary
            pubs = []
            for _ in range(rng.randint(*pub_range)):
                norwegian_paper = rng.random() < 0.15
                terms = rng.sample(norwegian, 40) if norwegian_paper else focus
                filler = FILLER_NB if norwegian_paper else FILLER_EN
                pubs.append(
                    {
                        "title": _text(rng, terms, filler, 4, 3),
                        "abstract": _text(rng, terms, filler, 15, 60),
                        "year": rng.randint(2005, 2025),
                    }
                )
            row = {
                "id": f"g{g}",
                "name": f"Group {g}",
                "description": _text(rng, focus, FILLER_EN, 8, 20),
                "keywords": rng.sample(focus, 4),
                "publications": pubs,
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    with needs_path.open("w", encoding="utf-8") as handle:
        for n in range(n_needs):
            row = {
                "id": f"n{n}",
                "title": _text(rng, norwegian, FILLER_NB, 3, 2),
                "question": _text(rng, norwegian, FILLER_NB, 5, 10),
                "background": _text(rng, norwegian, FILLER_NB, 8, 30),
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return groups_path, needs_path


def online(groups_path: Path, needs_path: Path) -> None:
    groups = load_groups(groups_path)
    with needs_path.open() as handle:
        lines = [next(handle) for _ in range(50)]
    needs = [NeedText.from_dict(json.loads(line)) for line in lines]
    started = time.perf_counter()
    index = MatchIndex.build(groups)
    build = time.perf_counter() - started
    timings = []
    for need in needs:
        started = time.perf_counter()
        index.rank(need)
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    best = index.rank(needs[0], limit=1)[0]
    index.explain(needs[0], best.group_id)
    explain_ms = (time.perf_counter() - started) * 1000
    pubs = sum(len(g.publications) for g in groups)
    print(f"Online: {len(groups)} groups, {pubs} publications; index build {build:.1f} s")
    print(
        f"  rank all groups for one need: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {statistics.quantiles(timings, n=20)[-1]:.1f} ms; rank+explain {explain_ms:.0f} ms"
    )


def offline(groups_path: Path, needs_path: Path, n_groups: int, n_needs: int) -> None:
    out = groups_path.parent / "scores.json"
    command = [
        sys.executable, "-m", "klynge.cli", "match", "score",
        "--groups", str(groups_path), "--needs", str(needs_path), "--out", str(out),
        "--variant", "full",
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO)  # noqa: S603  (our own command)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = out.stat().st_size / 1e6
    print(
        f"Offline: match score {n_groups} × {n_needs} = {n_groups * n_needs:,} pairs: "
        f"{elapsed:.1f} s, peak RSS {peak:.0f} MB, output {size:.0f} MB"
    )


def main() -> None:
    n_groups = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    n_needs = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    evaluation_table()
    with tempfile.TemporaryDirectory(prefix="klynge-bench-match-") as tmp:
        groups_path, needs_path = synthetic(n_groups, n_needs, Path(tmp))
        online(groups_path, needs_path)
        offline(groups_path, needs_path, n_groups, n_needs)


if __name__ == "__main__":
    main()
