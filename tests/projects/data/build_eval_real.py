"""Builds the two evaluation sets from real, public research texts — deterministic.

Run: .venv/bin/python tests/projects/data/build_eval_real.py

Reads `eval_real_papers.jsonl` (each paper's title and abstract verbatim from its source, with the
authors and the source's repository, path and commit) and `eval_real_needs.jsonl` (which papers
are needs, each one's research question in one sentence, written by hand, and its Norwegian
rewrite), and writes
`eval_en/{groups,needs,judgements}.jsonl` (needs in English: the paper's title, its research
question in one sentence, its abstract) and `eval_no/…` (the same groups and judgements; the same
needs rewritten in plain Norwegian, bokmål or nynorsk). Every paper carries a recorded label
(field, topics, method) and every group is one researcher; the judgements follow from the labels
and the author lists by the rules in README.md — never from a matcher's output.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Fields: mh = child and youth mental health (incl. sleep), cw = child welfare and maltreatment,
# ph = public health and health behaviour, ed = education and school, med = medicine,
# soc = sociology and policy. Methods: survey (population survey, often register-linked),
# longitudinal, register, spatial, network (social network analysis), rct, review, qualitative,
# text (text analysis), comparative (country-level data set).
LABELS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "askeland2015": ("ed", ("school_absence",), "survey"),
    "askeland2020dep": ("ed", ("school_absence", "depression"), "survey"),
    "askeland2020life": ("mh", ("depression",), "survey"),
    "hysing2015sleep": ("mh", ("sleep", "school_absence"), "survey"),
    "boe2016income": ("mh", ("ses_mental_health",), "longitudinal"),
    "boe2017financial": ("mh", ("ses_mental_health", "depression"), "survey"),
    "boe2014ses": ("mh", ("ses_mental_health", "parenting"), "survey"),
    "boe2017volatility": ("mh", ("ses_mental_health",), "survey"),
    "hysing2020traj": ("mh", ("sleep",), "longitudinal"),
    "sivertsen2013dsps": ("mh", ("sleep", "school_absence"), "survey"),
    "boe2012sleepmed": ("mh", ("ses_mental_health", "sleep"), "survey"),
    "boe2018pewb": ("mh", ("ses_mental_health",), "survey"),
    "hysing2020lonely": ("mh", ("loneliness",), "survey"),
    "heradstveit2020pa": ("ph", ("physical_activity",), "survey"),
    "nilsen2020divorce": ("ed", ("academic_achievement",), "survey"),
    "barboza2017ptsd": ("cw", ("child_maltreatment", "foster_care"), "longitudinal"),
    "barboza2019geog": ("cw", ("child_maltreatment",), "spatial"),
    "barboza2021dual": ("mh", ("parenting", "depression"), "longitudinal"),
    "barboza2021bonds": ("cw", ("child_maltreatment", "violence"), "longitudinal"),
    "barboza2021covid": ("cw", ("child_maltreatment",), "spatial"),
    "barboza2019delinq": ("mh", ("depression", "child_maltreatment"), "longitudinal"),
    "prochnow2021sex": ("ph", ("physical_activity",), "network"),
    "prochnow2021sport": ("ph", ("physical_activity",), "network"),
    "prochnow2020papas": ("ph", ("physical_activity",), "network"),
    "patterson2020ipv": ("ph", ("violence",), "network"),
    "prochnow2020barriers": ("ph", ("physical_activity",), "network"),
    "vanwoudenberg2018sni": ("ph", ("physical_activity",), "rct"),
    "vanwoudenberg2020vlog": ("ph", ("physical_activity",), "rct"),
    "bevelander2020norms": ("ph", ("diet",), "longitudinal"),
    "smit2018fruit": ("ph", ("diet",), "longitudinal"),
    "gulzau2018preschool": ("ed", ("early_childhood_education",), "survey"),
    "gulzau2020family": ("soc", ("family_policy",), "text"),
    "gulzau2021borders": ("soc", ("migration_borders",), "comparative"),
    "mau2015visa": ("soc", ("migration_borders",), "comparative"),
    "park2024olderpa": ("ph", ("physical_activity",), "review"),
    "park2025t2dpa": ("med", ("diabetes", "physical_activity"), "survey"),
    "park2025opioid": ("med", ("opioid_use",), "register"),
    "prochnow2025barriers": ("med", ("diabetes",), "network"),
    "prochnow2025complications": ("med", ("diabetes",), "network"),
    "prochnow2025selfeff": ("med", ("diabetes",), "network"),
    "schwabreese2024hotline": ("cw", ("child_maltreatment",), "qualitative"),
    "sivertsen2017poverty": ("mh", ("ses_mental_health", "sleep"), "longitudinal"),
    "barboza2025ipv": ("ph", ("violence",), "survey"),
    "salazarcollier2019churches": ("ph", ("physical_activity",), "spatial"),
    "prochnow2025distress": ("mh", ("youth_distress",), "network"),
}

# (group id, researcher as named in the group, (surname, first initial), profile paper keys)
GROUPS: list[tuple[str, str, tuple[str, str], tuple[str, ...]]] = [
    (
        "r01",
        "Tormod Bøe",
        ("bøe", "t"),
        ("boe2016income", "boe2017financial", "boe2014ses", "boe2018pewb", "nilsen2020divorce"),
    ),
    (
        "r02",
        "Mari Hysing",
        ("hysing", "m"),
        ("hysing2015sleep", "hysing2020traj", "sivertsen2013dsps", "hysing2020lonely"),
    ),
    (
        "r03",
        "Gia Barboza-Salerno",
        ("barboza", "g"),
        ("barboza2017ptsd", "barboza2019geog", "barboza2021dual", "barboza2021bonds"),
    ),
    (
        "r04",
        "Tyler Prochnow",
        ("prochnow", "t"),
        (
            "prochnow2021sex",
            "prochnow2021sport",
            "prochnow2020papas",
            "prochnow2020barriers",
            "prochnow2025barriers",
        ),
    ),
    (
        "r05",
        "Jong-Hyun Park",
        ("park", "j"),
        ("park2024olderpa", "park2025t2dpa", "park2025opioid", "prochnow2025barriers"),
    ),
    (
        "r06",
        "Thabo J. van Woudenberg",
        ("woudenberg", "t"),
        ("vanwoudenberg2018sni", "bevelander2020norms", "smit2018fruit", "prochnow2020barriers"),
    ),
    (
        "r07",
        "Fabian Gülzau",
        ("gülzau", "f"),
        ("gulzau2018preschool", "gulzau2020family", "gulzau2021borders", "mau2015visa"),
    ),
]


def author_key(name: str) -> tuple[str, str]:
    """('bøe', 't') from 'Tormod Bøe', 'T. Bøe' or 'Bøe, T' (last word of the surname)."""
    if "," in name:
        surname, given = (part.strip() for part in name.split(",", 1))
    else:
        *given_parts, surname = name.split()
        given = " ".join(given_parts)
    return surname.split()[-1].split("-")[0].casefold(), given[:1].casefold()


def grade(need: str, researcher: tuple[str, str], profile: tuple[str, ...], papers: dict) -> int:
    """The rules of README.md on the recorded labels and author lists."""
    if researcher in {author_key(a) for a in papers[need]["authors"]}:
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


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def build() -> None:
    with (HERE / "eval_real_papers.jsonl").open(encoding="utf-8") as handle:
        papers = {p["key"]: p for p in map(json.loads, handle) if p}
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
    with (HERE / "eval_real_needs.jsonl").open(encoding="utf-8") as handle:
        needs = [json.loads(line) for line in handle if line.strip()]
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
