"""Knowledge needs for the national-scale demo, composed from parts (service, target group,
problem, measure) in bokmål or nynorsk. Pure: no I/O. About groups and practice, never a person."""

from __future__ import annotations

import random
from dataclasses import dataclass

from klynge.scale.vocabulary import GROUPS, MEASURES, SERVICE_NAMES, THEMES, Group, Term, Theme

TITLES = {
    "nb": (
        "Hvordan kan {service} forebygge {problem} blant {group}?",
        "Effekt av {measure} på {problem} hos {group}",
        "Hva virker mot {problem} hos {group}?",
        "Erfaringer med {measure} i {service} for {group}",
        "Når {service} tidlig nok fram til {group} med {problem}?",
        "{measure_cap} for {group} med {problem}: hva vet vi?",
    ),
    "nn": (
        "Korleis kan {service} førebyggje {problem} blant {group}?",
        "Verknad av {measure} på {problem} hjå {group}",
        "Kva verkar mot {problem} hjå {group}?",
        "Erfaringar med {measure} i {service} for {group}",
        "Når {service} tidleg nok fram til {group} med {problem}?",
        "{measure_cap} for {group} med {problem}: kva veit vi?",
    ),
}
QUESTIONS = {
    "nb": (
        "Gir {measure} færre tilfeller av {problem} blant {group} enn vanlig oppfølging i "
        "{service}?",
        "Hvilke tiltak i {service} reduserer {problem} blant {group}, og for hvem virker de best?",
        "Hva kjennetegner {group} som får hjelp for {problem} for sent, og hvordan kan "
        "{service} fange dem opp tidligere?",
    ),
    "nn": (
        "Gir {measure} færre tilfelle av {problem} blant {group} enn vanleg oppfølging i "
        "{service}?",
        "Kva tiltak i {service} reduserer {problem} blant {group}, og for kven verkar dei best?",
        "Kva kjenneteiknar {group} som får hjelp for {problem} for seint, og korleis kan "
        "{service} fange dei opp tidlegare?",
    ),
}
BACKGROUNDS = {
    "nb": (
        "Tjenesten ser flere saker med {problem} enn før, og ansatte er usikre på hvilke tiltak "
        "som har effekt. {municipality} vil bruke kunnskapen i planarbeidet for {year}.",
        "Vi har prøvd {measure} i liten skala. Vi trenger å vite om det er verdt å bygge ut, og "
        "hva det krever av samarbeid med andre tjenester i {municipality}.",
        "Ungdomsrådet i {municipality} har løftet {problem} som sin viktigste sak. Tjenestene "
        "mangler et felles kunnskapsgrunnlag.",
    ),
    "nn": (
        "Tenesta ser fleire saker med {problem} enn før, og tilsette er usikre på kva tiltak "
        "som har effekt. {municipality} vil bruke kunnskapen i planarbeidet for {year}.",
        "Vi har prøvd {measure} i lita skala. Vi treng å vite om det er verdt å byggje ut, og "
        "kva det krev av samarbeid med andre tenester i {municipality}.",
        "Ungdomsrådet i {municipality} har løfta {problem} som si viktigaste sak. Tenestene "
        "manglar eit felles kunnskapsgrunnlag.",
    ),
}
PREVENTION = ("universal", "selected", "indicated")
USES = ("service_development", "decision", "evaluate_measure", "other")


@dataclass(frozen=True)
class NeedText:
    title: str
    question: str
    background: str
    target_group: str
    ages: tuple[int, int]
    prevention: str
    use: str
    theme: str


def _theme_for(kind: str, rng: random.Random) -> Theme:
    fitting = [t for t in THEMES if kind in t.services]
    return rng.choice(fitting if fitting and rng.random() < 0.8 else THEMES)


def compose(
    rng: random.Random, language: str, service_kind: str, municipality: str, year: int
) -> NeedText:
    """One need's texts in `language` (nb | nn) from a service of `service_kind`."""
    theme = _theme_for(service_kind, rng)
    group: Group = rng.choice(GROUPS)
    measure: Term = rng.choice(MEASURES)
    words = {
        "service": SERVICE_NAMES[service_kind].say(language),
        "problem": theme.problem.say(language),
        "group": group.term.say(language),
        "measure": measure.say(language),
        "measure_cap": measure.say(language)[:1].upper() + measure.say(language)[1:],
        "municipality": municipality,
        "year": str(year + 1),
    }
    title = rng.choice(TITLES[language]).format(**words)
    return NeedText(
        title=title[:1].upper() + title[1:],
        question=rng.choice(QUESTIONS[language]).format(**words),
        background=rng.choice(BACKGROUNDS[language]).format(**words),
        target_group=words["group"],
        ages=group.ages,
        prevention=rng.choice(PREVENTION),
        use=rng.choice(USES),
        theme=theme.key,
    )


JUSTIFICATIONS = {
    "prioritised": "Høy nytte og alvorlighet i panelet, og behovet deles av flere kommuner.",
    "not_prioritised": "Lavere samlet prioritet enn de andre behovene i runden.",
    "deferred": "Utsettes til neste runde i påvente av pågående kartlegging.",
}
