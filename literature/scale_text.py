"""Bibliographic records for the national-scale demo, composed from the shared vocabulary: a
title whose wording says its design (the classifier's cues), an abstract, authors, journal, year
and a DOI under the test prefix 10.5555 (never a real article's). Pure: no I/O."""

from __future__ import annotations

import random
from dataclasses import dataclass

from klynge.scale.people import LAST
from klynge.scale.vocabulary import GROUPS, MEASURES, SERVICE_NAMES, THEMES, Theme

# (evidence type, summarised, share, title template, publication type)
DESIGNS = (
    (
        "systematic_review",
        True,
        0.16,
        "{Measure} for {group} with {problem}: a systematic review",
        "Systematic Review",
    ),
    (
        "meta_analysis",
        True,
        0.10,
        "{Measure} to reduce {problem} among {group}: a systematic review and meta-analysis",
        "Meta-Analysis",
    ),
    (
        "scoping_review",
        True,
        0.06,
        "{Measure} and {problem} in {group}: a scoping review",
        "Review",
    ),
    (
        "overview_of_reviews",
        True,
        0.03,
        "Interventions for {problem} in {group}: an overview of systematic reviews",
        "Review",
    ),
    (
        "guideline",
        False,
        0.03,
        "Clinical guideline: {measure} in {service} for {group}",
        "Practice Guideline",
    ),
    (
        "rct",
        False,
        0.22,
        "Effects of {measure} on {problem} in {group}: a randomised controlled trial",
        "Randomized Controlled Trial",
    ),
    (
        "other_primary",
        False,
        0.25,
        "{Problem} among {group} and contact with {service}: a {place} cohort study",
        "Journal Article",
    ),
    ("other", False, 0.15, "{Measure} in {service}: practitioners' experiences", "Journal Article"),
)
NORWEGIAN = (
    ("systematic_review", True, "{Measure} og {problem} blant {group}: en systematisk oversikt"),
    ("other_primary", False, "{Problem} blant {group} – en registerstudie fra {place}"),
    ("other", False, "Erfaringer med {measure} i {service}"),
)
JOURNALS = (
    "Child Abuse & Neglect",
    "Children and Youth Services Review",
    "JAMA Pediatrics",
    "Cochrane Database of Systematic Reviews",
    "Campbell Systematic Reviews",
    "Journal of Adolescent Health",
    "European Child & Adolescent Psychiatry",
    "BMC Public Health",
    "Scandinavian Journal of Public Health",
    "Tidsskrift for Den norske legeforening",
    "Journal of Child Psychology and Psychiatry",
    "Prevention Science",
    "Child Development",
    "Nordic Social Work Research",
    "Tidsskrift for Norsk psykologforening",
    "Norges barnevern",
)
PLACES = ("Norwegian", "Nordic", "Danish", "Swedish", "Finnish", "Dutch", "Canadian", "Australian")
STEDER = ("Norge", "Vestland", "Nord-Norge", "Trøndelag", "Oslo", "Agder")
ABSTRACT = (
    "Background: {Problem} is common among {group} and places demands on {service}. "
    "Objective: To assess whether {measure} reduces {problem}. "
    "Methods: {method} "
    "Results: {n} studies with {participants} participants were included; effects were {effect}. "
    "Conclusions: {measure_cap} may be considered in {service}, but the certainty of the "
    "evidence is {certainty}."
)
METHODS = {
    True: "We searched MEDLINE, PsycINFO, ERIC and Cochrane CENTRAL and pooled eligible trials.",
    False: "We followed participants over two years and compared outcomes across services.",
}


@dataclass(frozen=True)
class Record:
    title: str
    abstract: str
    authors: list[list[str]]
    year: int
    container: str
    evidence_type: str
    summarised: bool
    publication_types: list[str]
    keywords: list[str]
    language: str


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _design(rng: random.Random) -> tuple[str, bool, float, str, str]:
    pick = rng.random()
    for design in DESIGNS:
        pick -= design[2]
        if pick <= 0:
            return design
    return DESIGNS[-1]


def compose(rng: random.Random, theme: Theme) -> Record:
    """One record on `theme` (the need's problem), mostly English, some Norwegian."""
    group = rng.choice(GROUPS).term
    measure = rng.choice(MEASURES)
    service = SERVICE_NAMES[rng.choice(theme.services)]
    norwegian = rng.random() < 0.12
    lang = "nb" if norwegian else "en"
    words = {
        "measure": measure.say(lang),
        "Measure": _cap(measure.say(lang)),
        "measure_cap": _cap(measure.say(lang)),
        "problem": theme.problem.say(lang),
        "Problem": _cap(theme.problem.say(lang)),
        "group": group.say(lang),
        "service": service.say(lang),
        "place": rng.choice(STEDER) if norwegian else rng.choice(PLACES),
    }
    if norwegian:
        evidence, summarised, template = rng.choice(NORWEGIAN)
        kind = "Journal Article"
    else:
        evidence, summarised, _, template, kind = _design(rng)
    effects = ("small but consistent", "mixed", "moderate", "not significant")
    abstract = ABSTRACT.format(
        **{
            **words,
            "measure": measure.en,
            "Problem": _cap(theme.problem.en),
            "problem": theme.problem.en,
            "group": group.en,
            "service": service.en,
            "measure_cap": _cap(measure.en),
        },
        method=METHODS[summarised],
        n=rng.randint(4, 60),
        participants=rng.randint(200, 40_000),
        effect=rng.choice(effects),
        certainty=rng.choice(("low", "moderate", "very low", "high")),
    )
    authors = [
        [rng.choice(LAST), rng.choice("ABCDEFGHIJKLMNOPRSTV") + "."]
        for _ in range(rng.randint(1, 6))
    ]
    return Record(
        title=template.format(**words),
        abstract=abstract,
        authors=authors,
        year=rng.randint(2004, 2025),
        container=rng.choice(JOURNALS),
        evidence_type=evidence,
        summarised=summarised,
        publication_types=[kind],
        keywords=[theme.problem.en, measure.en, group.en],
        language="nor" if norwegian else "eng",
    )


def ris(record: Record, doi: str) -> str:
    """The record as the RIS text an import would have kept (short: the fields that matter)."""
    lines = ["TY  - JOUR", f"TI  - {record.title}"]
    lines += [f"AU  - {family}, {given}" for family, given in record.authors]
    lines += [f"PY  - {record.year}", f"JO  - {record.container}", f"DO  - {doi}", "ER  - "]
    return "\n".join(lines)


def theme_named(key: str) -> Theme:
    return next((t for t in THEMES if t.key == key), THEMES[0])
