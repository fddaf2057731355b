"""`klynge match score|evaluate` through the core CLI (no database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from klynge.cli import main

DATA = Path(__file__).resolve().parent / "data"


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    groups = write_jsonl(
        tmp_path / "groups.jsonl",
        [
            {
                "id": "g1",
                "name": "Foster Care Research",
                "description": "Research on foster care.",
                "keywords": ["foster care", "kinship care"],
                "publications": [
                    {"title": "Placement stability in foster care", "abstract": "", "year": 2020},
                    {"title": "Foster parents' training", "abstract": "A review.", "year": None},
                ],
            },
            {"id": "g2", "description": "Skolefravær og frafall i videregående skole."},
            {"id": "g3"},  # every field but id may be missing
            {"id": 4, "name": None, "keywords": [], "publications": []},
        ],
    )
    needs = write_jsonl(
        tmp_path / "needs.jsonl",
        [
            {"id": "n1", "title": "Stabile fosterheimar", "question": "Kva hjelper?"},
            {"id": "n2", "title": "Skolefravær", "question": "", "background": ""},
            {"id": "n3"},
        ],
    )
    return groups, needs


def test_score_writes_every_pair(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    groups, needs = inputs
    out = tmp_path / "scores.json"
    code = main(
        ["match", "score", "--groups", str(groups), "--needs", str(needs), "--out", str(out)]
    )
    assert code == 0
    scores = json.loads(out.read_text("utf-8"))
    assert set(scores) == {"g1", "g2", "g3", "4"}
    for by_need in scores.values():
        assert set(by_need) == {"n1", "n2", "n3"}
        assert all(isinstance(v, int | float) and 0 <= v <= 1 for v in by_need.values())
    assert scores["g1"]["n1"] > scores["g2"]["n1"]
    assert scores["g2"]["n2"] > scores["g1"]["n2"]
    assert scores["g3"] == {"n1": 0, "n2": 0, "n3": 0}
    assert all(v == 0 for v in (s["n3"] for s in scores.values()))
    # Five decimals at most.
    assert all(len(str(v).split(".")[-1]) <= 5 for s in scores.values() for v in s.values())


def test_score_with_workers_gives_the_same_file(inputs: tuple[Path, Path], tmp_path: Path) -> None:
    from projects.match_cli import load_groups, load_needs, score_to_file

    groups, needs = load_groups(inputs[0]), load_needs(inputs[1])
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    with one.open("w") as handle:
        score_to_file(groups, needs * 1, handle, chunk=1)
    with two.open("w") as handle:
        score_to_file(groups, needs, handle, chunk=1, workers=2)
    assert json.loads(one.read_text()) == json.loads(two.read_text())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "g1"}\n{"id": \n', "groups.jsonl:2: invalid JSON"),
        ('{"id": "g1"}\n\n{"name": "x"}\n', "groups.jsonl:3: missing 'id'"),
        ("[1, 2]\n", "groups.jsonl:1: expected a JSON object"),
        ('{"id": "g1"}\n{"id": "g1"}\n', "appears twice"),
    ],
)
def test_bad_group_files_give_one_line(
    content: str, message: str, inputs: tuple[Path, Path], tmp_path: Path, capsys
) -> None:
    bad = tmp_path / "groups.jsonl"
    bad.write_text(content, "utf-8")
    code = main(
        ["match", "score", "--groups", str(bad), "--needs", str(inputs[1]), "--out",
         str(tmp_path / "o.json")]
    )  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert message in err
    assert len(err.splitlines()) == 1


def test_missing_file_gives_one_line(inputs: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    code = main(
        ["match", "score", "--groups", str(tmp_path / "nope.jsonl"), "--needs", str(inputs[1]),
         "--out", str(tmp_path / "o.json")]
    )  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert "groups file not found" in err
    assert len(err.splitlines()) == 1


def test_evaluate_prints_the_metrics(capsys) -> None:
    code = main(
        ["match", "evaluate", "--groups", str(DATA / "eval_groups.jsonl"), "--needs",
         str(DATA / "eval_needs.jsonl"), "--judgements", str(DATA / "eval_judgements.jsonl"),
         "--variant", "baseline,full,e5", "--baseline", "full"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()[1:-1]}
    assert list(lines) == ["baseline", "full", "e5"]
    # The printed loss is the benchmark's loss of that variant's scores, inside its interval.
    from projects.match_cli import load_groups, load_needs
    from projects.matching import MatchIndex
    from projects.matching.evaluation import group_judgements, read_jsonl
    from projects.matching.loss import group_parts, loss

    groups = load_groups(DATA / "eval_groups.jsonl")
    needs = load_needs(DATA / "eval_needs.jsonl")
    rows = list(read_jsonl(DATA / "eval_judgements.jsonl", what="j", require=("need", "group")))
    matrix = MatchIndex.build(groups, "full").score_needs(needs)
    scores = {n.id: {g.id: float(matrix[i, j]) for j, g in enumerate(groups)}
              for i, n in enumerate(needs)}  # fmt: skip
    expected = loss(group_parts(scores, group_judgements(rows)))
    value, low, high = (float(x.strip("[],")) for x in lines["full"].split()[1:4])
    assert value == pytest.approx(expected, abs=5e-4)
    assert low <= value <= high
    # The others are compared with the baseline; the baseline is not compared with itself.
    assert lines["baseline"].split()[6].startswith("+")
    assert len(lines["full"].split()) == 6


def test_evaluate_rejects_unknown_ids(inputs: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    judgements = write_jsonl(
        tmp_path / "j.jsonl", [{"need": "n1", "group": "g-missing", "relevance": 2}]
    )
    code = main(
        ["match", "evaluate", "--groups", str(inputs[0]), "--needs", str(inputs[1]),
         "--judgements", str(judgements)]
    )  # fmt: skip
    assert code == 1
    assert "unknown group: g-missing" in capsys.readouterr().err
