"""How the combined matcher's weights were chosen: every weighting on a small grid, scored on the
evaluation sets (expertise loss, lower is better), best first, per need language.

Run: .venv/bin/python bench/tune_matching.py

English weights are judged on the English set (tests/projects/data/eval_en), Norwegian weights
on the cross-lingual set (eval_no) and the synthetic Norwegian set (eval_*.jsonl), averaged.
Differences under ~0.02 are noise at these sizes: among the best, the simplest weighting wins.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from projects.match_cli import load_groups, load_needs  # noqa: E402
from projects.matching.ensemble import Matcher  # noqa: E402
from projects.matching.evaluation import group_judgements, read_jsonl  # noqa: E402
from projects.matching.loss import group_parts, loss  # noqa: E402
from projects.matching.variants import COMBINED_WEIGHTS, ENSEMBLES  # noqa: E402

DATA = Path(os.environ.get("KLYNGE_EVAL_DATA", REPO / "tests" / "projects" / "data"))
SETS = {
    "en": [("eval_en", DATA / "eval_en" / "groups.jsonl", DATA / "eval_en" / "needs.jsonl",
            DATA / "eval_en" / "judgements.jsonl")],
    "no": [("eval_no", DATA / "eval_no" / "groups.jsonl", DATA / "eval_no" / "needs.jsonl",
            DATA / "eval_no" / "judgements.jsonl"),
           ("synthetic", DATA / "eval_groups.jsonl", DATA / "eval_needs.jsonl",
            DATA / "eval_judgements.jsonl")],
}  # fmt: skip
SIGNALS = {
    "en": ("lexical", "minilm", "e5", "minilm_via_minilm", "lexical_via_minilm"),
    "no": ("lexical", "e5", "minilm", "minilm_via_e5", "lexical_via_e5"),
}
GRID = (0.0, 0.5, 1.0)


def main() -> None:
    for lang, sets in SETS.items():
        prepared = []
        for name, groups_path, needs_path, judged_path in sets:
            groups, needs = load_groups(groups_path), load_needs(needs_path)
            rows = list(read_jsonl(judged_path, what="judgements", require=("need", "group")))
            judgements = group_judgements(rows)
            needs = [n for n in needs if n.id in judgements]
            matcher = Matcher(groups, ENSEMBLES["combined"])
            signals = matcher.signal_matrices(needs, signals=SIGNALS[lang])
            prepared.append((name, matcher, needs, signals, judgements))
        results = []
        for values in itertools.product(GRID, repeat=len(SIGNALS[lang])):
            if not any(values):
                continue
            weights = dict(zip(SIGNALS[lang], values, strict=True))
            losses = []
            for _, matcher, needs, signals, judgements in prepared:
                fit = matcher.combine(needs, signals, {"en": weights, "no": weights})
                ids = [g.id for g in matcher.groups]
                scores = {n.id: dict(zip(ids, fit[i].tolist(), strict=True))
                          for i, n in enumerate(needs)}  # fmt: skip
                losses.append(loss(group_parts(scores, judgements)))
            results.append((sum(losses) / len(losses), losses, weights))
        results.sort(key=lambda r: r[0])
        names = ", ".join(s[0] for s in sets)
        print(f"{lang} needs ({names}); chosen: {COMBINED_WEIGHTS[lang]}")
        chosen = {s: COMBINED_WEIGHTS[lang].get(s, 0.0) for s in SIGNALS[lang]}
        for mean, losses, weights in results[:12]:
            mark = " <- chosen" if weights == chosen else ""
            parts = " ".join(f"{x:.3f}" for x in losses)
            shown = {k: v for k, v in weights.items() if v}
            print(f"  {mean:.3f} ({parts})  {shown}{mark}")
        for mean, losses, weights in results:
            if weights == chosen:
                rank = results.index((mean, losses, weights)) + 1
                print(f"  chosen: {mean:.3f}, rank {rank} of {len(results)}")
        by_weights = {tuple(w.values()): (m, ls) for m, ls, w in results}
        print("  each part's contribution (the chosen weighting without it):")
        for signal, w in chosen.items():
            if w:
                without = tuple(0.0 if s == signal else v for s, v in chosen.items())
                if any(without):
                    m, ls = by_weights[without]
                    parts = " ".join(f"{x:.3f}" for x in ls)
                    print(f"    without {signal}: {m:.3f} ({parts})")


if __name__ == "__main__":
    main()
