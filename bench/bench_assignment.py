"""Proposing a round's assignment: projects.assignment.solve on random problems.

  * 200 needs × 300 groups, every pair eligible, k = 3, capacities 1-4;
  * 1,000 needs × 2,000 groups, sparse (each need eligible for ~100 groups), k = 3,
    capacities 0-3, a few pins and forbids.

Run: make bench   (or .venv/bin/python bench/bench_assignment.py)   Pure Python, no database.
"""

from __future__ import annotations

import random
import time

from projects.assignment import AssignmentProblem, solve, validate

REPEAT = 3


def dense(seed: int = 1) -> AssignmentProblem:
    rng = random.Random(seed)
    needs = list(range(1, 201))
    groups = {g: rng.randint(1, 4) for g in range(1001, 1301)}
    fit = {(n, g): round(rng.random(), 3) for n in needs for g in groups}
    return AssignmentProblem(needs, groups, fit, k=3, weak_threshold=0.5, priority_weight=0.1)


def sparse(seed: int = 2) -> AssignmentProblem:
    rng = random.Random(seed)
    needs = list(range(1, 1001))
    group_ids = list(range(10001, 12001))
    groups = {g: rng.randint(0, 3) for g in group_ids}
    fit = {(n, g): round(rng.random(), 3) for n in needs for g in rng.sample(group_ids, 100)}
    pairs = sorted(fit)
    pins: set[tuple[int, int]] = set()
    pinned_groups: set[int] = set()
    for n, g in rng.sample(pairs, 60):
        if groups[g] > 0 and g not in pinned_groups and all(p[0] != n for p in pins):
            pins.add((n, g))
            pinned_groups.add(g)
    forbids = set(rng.sample(pairs, 200)) - pins
    return AssignmentProblem(needs, groups, fit, k=3, pins=pins, forbids=forbids)


def run(label: str, problem: AssignmentProblem) -> None:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = solve(problem)
        times.append(time.perf_counter() - start)
    assert result.ok, result.message
    assert validate(problem, result) == []
    slots = sum(len(c) for c in result.pairs.values())
    print(
        f"{label}: best {min(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s "
        f"({len(problem.fit):,} eligible pairs; {result.covered} needs covered, "
        f"weakest best fit {result.weakest_fit}, {slots} slots filled, "
        f"total fit {result.total_fit:.1f}, {len(result.needs_with_only_weak)} only-weak)"
    )


def main() -> None:
    run("200 needs × 300 groups, k=3", dense())
    run("1,000 needs × 2,000 groups (~100 each), k=3", sparse())


if __name__ == "__main__":
    main()
