"""Builds the two evaluation sets from real, public research texts — deterministic.

Run: .venv/bin/python tests/projects/data/build_eval_real.py

Reads `eval_real_papers.jsonl` (each paper's title and abstract verbatim from its source, with the
authors and the source's repository, path and commit) and `eval_real_needs.jsonl` (which papers
are needs, each one's research question in one sentence, written by hand, and its Norwegian
rewrite), `eval_real_labels.jsonl` (the label recorded for every paper) and
`eval_real_groups.jsonl` (every group: one researcher, the keys matched against author lists, the
profile's papers), and writes
`eval_en/{groups,needs,judgements}.jsonl` (needs in English: the paper's title, its research
question in one sentence, its abstract) and `eval_no/…` (the same groups and judgements; the same
needs rewritten in plain Norwegian, bokmål or nynorsk). Every paper carries a recorded label
(field, topics, method) and every group is one researcher; the judgements follow from the labels
and the author lists by the rules in README.md — never from a matcher's output.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# The recorded labels (one per paper: field, topics, method) and the groups (one researcher each:
# id, name as shown, the (surname, first initial) keys matched against author lists — more than one
# where the researcher's own site names them two ways — and the profile's paper keys).
# Fields: mh = child and youth mental health (incl. sleep, well-being), cw = child welfare and
# maltreatment, ph = public health and health behaviour, ed = education and school, med = medicine,
# hs = health services, soc = sociology, policy and criminology, econ = economics, cs = computer
# science, stat = statistical methods.
Label = tuple[str, tuple[str, ...], str]
Group = tuple[str, str, frozenset[tuple[str, str]], tuple[str, ...]]


def _jsonl(name: str) -> list[dict[str, Any]]:
    with (HERE / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


LABELS: dict[str, Label] = {
    row["paper"]: (row["field"], tuple(row["topics"]), row["method"])
    for row in _jsonl("eval_real_labels.jsonl")
}
GROUPS: list[Group] = [
    (row["id"], row["name"], frozenset((s, i) for s, i in row["keys"]), tuple(row["profile"]))
    for row in _jsonl("eval_real_groups.jsonl")
]


def author_key(name: str) -> tuple[str, str]:
    """('bøe', 't') from 'Tormod Bøe', 'T. Bøe', 'Bøe, T' or 'Bøe T' (last word of the surname)."""
    if "," in name:
        surname, given = (part.strip() for part in name.split(",", 1))
    else:
        *given_parts, surname = name.split()
        given = " ".join(given_parts)
        if given and surname.isupper() and len(surname) <= 3 and not given.isupper():
            surname, given = given, surname  # 'Simona JS': surname first, then initials
    return surname.split()[-1].split("-")[0].casefold(), given[:1].casefold()


def grade(
    need: str,
    researcher: frozenset[tuple[str, str]],
    profile: tuple[str, ...],
    papers: dict[str, dict[str, Any]],
) -> int:
    """The rules of README.md on the recorded labels and author lists."""
    if researcher & {author_key(a) for a in papers[need]["authors"]}:
        return 3
    field, topics, method = LABELS[need]
    labels = [LABELS[key] for key in profile]
    if any(set(topics) & set(t) and m == method for _, t, m in labels):
        return 3
    if any(set(topics) & set(t) for _, t, _ in labels):
        return 2
    if any(f == field for f, _, _ in labels):
        return 1
    return 0


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def build() -> None:
    papers = {p["key"]: p for p in _jsonl("eval_real_papers.jsonl")}
    assert set(papers) == set(LABELS), set(papers) ^ set(LABELS)
    groups = [
        {
            "id": gid,
            "name": name,
            "publications": [
                {"title": papers[k]["title"], "abstract": papers[k]["abstract"]} for k in profile
            ],
        }
        for gid, name, _, profile in GROUPS
    ]
    needs = _jsonl("eval_real_needs.jsonl")
    needs_en = [
        {
            "id": n["id"],
            "title": papers[n["paper"]]["title"],
            "question": n["question"],
            "background": papers[n["paper"]]["abstract"],
        }
        for n in needs
    ]
    in_profiles = {key for *_, profile in GROUPS for key in profile}
    assert not in_profiles & {n["paper"] for n in needs}, "a need is in a profile"
    needs_no = [
        {"id": n["id"], **{k: n["no"][k] for k in ("title", "question", "background")}}
        for n in needs
    ]
    judgements = [
        {"need": nid, "group": gid, "relevance": grade(key, researcher, profile, papers)}
        for nid, key in ((n["id"], n["paper"]) for n in needs)
        for gid, _, researcher, profile in GROUPS
    ]
    for folder, rows in (("eval_en", needs_en), ("eval_no", needs_no)):
        _write(HERE / folder / "groups.jsonl", groups)
        _write(HERE / folder / "needs.jsonl", rows)
        _write(HERE / folder / "judgements.jsonl", judgements)


if __name__ == "__main__":
    build()
