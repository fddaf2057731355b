"""The privacy guard on a megabyte of adversarial text (long runs of digits, separators, at-signs,
dots and phone prefixes that a backtracking pattern would take minutes over) and of realistic
text, against a baseline measured in the same run: casefolding and one linear regex pass over the
same megabyte. The guard runs on every free-text field, so it must stay linear.

Run: .venv/bin/python bench/bench_privacy.py [repeats]
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections.abc import Callable

from klynge.privacy import scan

PARAGRAPH = (
    "Kommunen ønsker kunnskap om hvordan barnevern og skole samarbeider om barn som "
    "bytter skole. Kontakt 912 34 567 eller ola@kommune.no. Saksnr 2024/1234, "
    "budsjett 1 200 000 kroner, møte 12.03.2024. "
)
INPUTS = {
    "realistic": (PARAGRAPH * (1_000_000 // len(PARAGRAPH) + 1))[:1_000_000],
    "letters": "a" * 1_000_000,
    "digits": "1" * 1_000_000,
    "spaced_digits": "1 " * 500_000,
    "keyword_spaces": "født" + " " * 1_000_000,
    "ats": "a@" * 500_000,
    "dots": "a." * 500_000 + "@",
    "long_domain": "x@" + "a." * 500_000,
    "prefixes": "+47 " * 250_000,
}
LINEAR = re.compile(r"\d[\d\s]{10}")


def _median(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(repeats: int) -> None:
    print(f"privacy guard, 1 MB inputs, median of {repeats} (baseline: casefold + one regex pass)")
    print(f"{'input':<16}{'scan ms':>10}{'baseline ms':>13}{'ratio':>8}")
    for name, text in INPUTS.items():
        guard = _median(lambda text=text: scan(text), repeats)
        base = _median(lambda text=text: LINEAR.findall(text.casefold()), repeats)
        print(f"{name:<16}{guard * 1000:>10.1f}{base * 1000:>13.1f}{guard / base:>8.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
