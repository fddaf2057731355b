"""The real-text evaluation sets (tests/projects/data/eval_en, eval_no) are well formed: unique
ids, every need judged against every group once with a grade 0–3, the same groups and judgements
in both sets, and each Norwegian need in the written standard recorded for it (bokmål or
nynorsk). Not a test of the matcher."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from klynge.text.pipeline import detect_language

DATA = Path(__file__).resolve().parent / "data"


def _rows(folder: str, name: str) -> list[dict[str, Any]]:
    with (DATA / folder / f"{name}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.mark.parametrize("folder", ["eval_en", "eval_no"])
def test_every_need_is_judged_once_against_every_group(folder: str) -> None:
    groups, needs = _rows(folder, "groups"), _rows(folder, "needs")
    group_ids = [g["id"] for g in groups]
    need_ids = [n["id"] for n in needs]
    assert len(set(group_ids)) == len(group_ids)
    assert len(set(need_ids)) == len(need_ids)
    for group in groups:
        assert group["name"].strip()
        assert 4 <= len(group["publications"]) <= 12
        assert all(p["title"].strip() and p["abstract"].strip() for p in group["publications"])
    for need in needs:
        assert all(need[key].strip() for key in ("title", "question", "background"))
    judged = [(j["need"], j["group"]) for j in _rows(folder, "judgements")]
    assert sorted(judged) == sorted((n, g) for n in need_ids for g in group_ids)
    grades = [j["relevance"] for j in _rows(folder, "judgements")]
    assert set(grades) <= {0, 1, 2, 3}
    assert 3 in grades
    assert 0 in grades


def test_norwegian_set_shares_groups_and_judgements_and_has_both_written_standards() -> None:
    for name in ("groups", "judgements"):
        assert _rows("eval_no", name) == _rows("eval_en", name)
    english, norwegian = _rows("eval_en", "needs"), _rows("eval_no", "needs")
    assert [n["id"] for n in norwegian] == [n["id"] for n in english]
    languages = [
        detect_language(" ".join((n["title"], n["question"], n["background"]))) for n in norwegian
    ]
    with (DATA / "eval_real_needs.jsonl").open(encoding="utf-8") as handle:
        recorded = [json.loads(line)["no"]["language"] for line in handle if line.strip()]
    assert languages == recorded
    assert set(languages) == {"nb", "nn"}
    assert {detect_language(n["background"]) for n in english} == {"en"}
