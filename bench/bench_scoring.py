"""Closing a prioritisation round: score_round on 500 needs × 40 raters (4 groups × 10).

Run: make bench   (or .venv/bin/python bench/bench_scoring.py)   Pure Python, no database.
"""

from __future__ import annotations

import random
import time
import tracemalloc

from priorities.scoring import Rating, RoundConfig, score_round

NEEDS = 500
GROUPS = ("leaders", "staff", "users", "researchers")
PER_GROUP = 10
BLANK = 0.10
REPEAT = 3


def make_round(seed: int = 42) -> tuple[list[int], list[Rating], dict[int, int | None]]:
    rng = random.Random(seed)
    need_ids = list(range(1, NEEDS + 1))

    def answer() -> int | None:
        return None if rng.random() < BLANK else rng.randint(1, 5)

    ratings: list[Rating] = []
    rater_id = 0
    for g, group in enumerate(GROUPS):
        for _ in range(PER_GROUP):
            rater_id += 1
            municipality = rng.choice((101, 102, 103, None)) if g else 101
            ratings.extend(
                Rating(rater_id, n, group, municipality, answer(), answer(), answer())
                for n in need_ids
            )
    gaps = {n: rng.choice((1, 3, 5, None)) for n in need_ids}
    return need_ids, ratings, gaps


def bench(draws: int) -> None:
    need_ids, ratings, gaps = make_round()
    config = RoundConfig(weights={}, sensitivity_draws=draws)
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = score_round(need_ids, ratings, config, gaps)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    score_round(need_ids, ratings, config, gaps)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    unstable = sum(n.unstable for n in result.needs)
    print(
        f"score_round {NEEDS} needs × {len(GROUPS) * PER_GROUP} raters "
        f"({len(ratings)} ratings), {draws} draws / {result.scenarios} scenarios: "
        f"{best:.3f} s (best of {REPEAT}), "
        f"peak {peak / 2**20:.1f} MiB (tracemalloc, inputs excluded), {unstable} unstable needs"
    )


if __name__ == "__main__":
    bench(200)
    bench(1000)
