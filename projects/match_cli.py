"""`klynge match score|evaluate`: the matcher without a database.

    klynge match score --groups GROUPS.jsonl --needs NEEDS.jsonl --out SCORES.json
    klynge match evaluate --groups G.jsonl --needs N.jsonl --judgements J.jsonl [--variant V]

`score` writes {"<group id>": {"<need id>": score}} for every pair, streamed group by group.
Scores are the fit in [0, 1] of the chosen variant (default "combined", see
projects/matching/variants.py), written with 5 decimals (trailing zeros dropped): the matrix is
kept as 32-bit integers (4 bytes per pair) until written. Embeddings are cached on disk
(``KLYNGE_EMBED_CACHE``), so a second run over the same texts skips the model.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from projects.match_report import evaluate_variants, print_report
from projects.matching import variants
from projects.matching.evaluation import JsonLinesError, group_judgements, read_jsonl
from projects.matching.model import GroupText, NeedText
from projects.matching.vectors import VectorSource, cached_source


class MatchCommandError(Exception):
    """One line for the user; the core CLI prints it and exits 1."""


COMMAND_ERRORS = (MatchCommandError,)

_SCALE = 100_000  # 5 decimals
_CHUNK = 256  # needs scored at a time


def _number_table() -> list[str]:
    table = []
    for value in range(_SCALE + 1):
        text = f"{value / _SCALE:.5f}".rstrip("0").rstrip(".")
        table.append(text or "0")
    return table


def load_groups(path: str | Path) -> list[GroupText]:
    try:
        rows = list(read_jsonl(path, what="groups"))
    except JsonLinesError as exc:
        raise MatchCommandError(str(exc)) from None
    groups = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        try:
            group = GroupText.from_dict(row)
        except (TypeError, ValueError, AttributeError) as exc:
            raise MatchCommandError(f"{path}: group {number}: {exc}") from None
        if group.id in seen:
            raise MatchCommandError(f"{path}: group id {group.id!r} appears twice")
        seen.add(group.id)
        groups.append(group)
    return groups


def load_needs(path: str | Path) -> list[NeedText]:
    try:
        needs = [NeedText.from_dict(row) for row in read_jsonl(path, what="needs")]
    except JsonLinesError as exc:
        raise MatchCommandError(str(exc)) from None
    ids = [n.id for n in needs]
    if len(set(ids)) != len(ids):
        raise MatchCommandError(f"{path}: a need id appears twice")
    return needs


def score_to_file(
    groups: list[GroupText],
    needs: list[NeedText],
    out: TextIO,
    *,
    variant: str = variants.DEFAULT,
    chunk: int = _CHUNK,
    workers: int = 1,
    source: VectorSource | None = None,
) -> None:
    """Stream {"group": {"need": score}} for every pair (5 decimals)."""
    index = variants.build(groups, variant, source)
    matrix = np.zeros((len(groups), len(needs)), dtype=np.uint32)  # groups × needs
    if groups:
        for start, block in index.iter_score_chunks(needs, chunk, workers):
            quantised = np.rint(np.clip(block, 0.0, 1.0) * _SCALE).astype(np.uint32)
            matrix[:, start : start + block.shape[0]] = quantised.T
    table = _number_table()
    keys = [json.dumps(n.id, ensure_ascii=False) + ":" for n in needs]
    out.write("{")
    for gi, group in enumerate(groups):
        if gi:
            out.write(",\n")
        values = [table[v] for v in matrix[gi].tolist()]
        out.write(json.dumps(group.id, ensure_ascii=False))
        out.write(":{")
        out.write(",".join(map(str.__add__, keys, values)))
        out.write("}")
    out.write("}\n")


def _embedding_progress() -> Any:
    """Prints how far the embedding of new texts has come (to stderr, every 10 %)."""
    last = {"shown": -1}

    def progress(done: int, total: int) -> None:
        tenth = 10 * done // max(1, total)
        if tenth != last["shown"] and total > 64:
            last["shown"] = tenth
            print(f"klynge: embedding {done:,} of {total:,} new texts", file=sys.stderr)

    return progress


def _cmd_score(args: Any) -> None:
    groups = load_groups(args.groups)
    needs = load_needs(args.needs)
    started = time.perf_counter()
    target = Path(args.out)
    if not target.parent.is_dir():
        raise MatchCommandError(f"output folder not found: {target.parent}")
    # Written beside the target and renamed at the end: a failed run leaves no half file.
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            score_to_file(
                groups,
                needs,
                handle,
                variant=args.variant,
                workers=args.workers,
                source=cached_source(progress=_embedding_progress()),
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    elapsed = time.perf_counter() - started
    print(
        f"klynge: scored {len(groups)} groups × {len(needs)} needs "
        f"({len(groups) * len(needs)} pairs) in {elapsed:.1f} s → {target}",
        file=sys.stderr,
    )


def _cmd_evaluate(args: Any) -> None:
    groups = load_groups(args.groups)
    needs = load_needs(args.needs)
    try:
        rows = list(read_jsonl(args.judgements, what="judgements", require=("need", "group")))
    except JsonLinesError as exc:
        raise MatchCommandError(str(exc)) from None
    for number, row in enumerate(rows, start=1):
        try:
            float(row.get("relevance") or 0)
        except (TypeError, ValueError):
            raise MatchCommandError(
                f"{args.judgements}: judgement {number}: relevance must be a number"
            ) from None
    judgements = group_judgements(rows)
    need_ids = {n.id for n in needs}
    group_ids = {g.id for g in groups}
    unknown = sorted({n for n in judgements if n not in need_ids})
    if unknown:
        raise MatchCommandError(f"judgements name an unknown need: {unknown[0]}")
    unknown = sorted({g for j in judgements.values() for g in j if g not in group_ids})
    if unknown:
        raise MatchCommandError(f"judgements name an unknown group: {unknown[0]}")
    names = list(variants.NAMES) if args.variant == "all" else args.variant.split(",")
    unknown = [n for n in names if n not in variants.NAMES]
    if unknown:
        raise MatchCommandError(
            f"unknown variant {unknown[0]!r}; choose from {', '.join(variants.NAMES)} or all"
        )
    results = evaluate_variants(groups, needs, judgements, names)
    print_report(results, baseline=args.baseline, out=sys.stdout)
    print(f"({len(judgements)} needs, {len(rows)} judgements, {len(groups)} groups)")


def register(sub: Any) -> None:
    match = sub.add_parser("match", help="match needs to research groups (offline)")
    commands = match.add_subparsers(dest="match_command", required=True)

    score = commands.add_parser("score", help="score every group × need pair to a JSON file")
    score.add_argument("--groups", required=True, help="GROUPS.jsonl")
    score.add_argument("--needs", required=True, help="NEEDS.jsonl")
    score.add_argument("--out", required=True, help="SCORES.json to write")
    score.add_argument("--variant", default=variants.DEFAULT, choices=sorted(variants.NAMES))
    score.add_argument(
        "--workers", type=int, default=1, help="processes for scoring chunks (default 1)"
    )
    score.set_defaults(func=_cmd_score)

    evaluate = commands.add_parser(
        "evaluate",
        help="expertise loss with 95 % intervals, paired comparisons, NDCG@5/10, MAP",
    )
    evaluate.add_argument("--groups", required=True)
    evaluate.add_argument("--needs", required=True)
    evaluate.add_argument("--judgements", required=True)
    evaluate.add_argument(
        "--variant",
        default="all",
        help=f"all (default) or a comma-separated list of: {', '.join(variants.NAMES)}",
    )
    evaluate.add_argument(
        "--baseline", default=variants.DEFAULT, help="the variant the others are compared with"
    )
    evaluate.set_defaults(func=_cmd_evaluate)
