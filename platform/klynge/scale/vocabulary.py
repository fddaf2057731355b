"""Words the national-scale demo composes its texts from, in bokmål, nynorsk and English: the
problems services meet, the groups of children and youth they serve and the measures they try.
About groups and practice only, never about a person."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    nb: str
    nn: str
    en: str

    def say(self, language: str) -> str:
        return {"nb": self.nb, "nn": self.nn}.get(language, self.en)


@dataclass(frozen=True)
class Theme:
    key: str
    problem: Term
    services: tuple[str, ...]  # ServiceType values that meet it most


@dataclass(frozen=True)
class Group:
    term: Term
    ages: tuple[int, int]


THEMES: tuple[Theme, ...] = (
    Theme(
        "absence",
        Term("skolefravær", "skulefråvær", "school absenteeism"),
        ("skole", "ppt", "helsestasjon"),
    ),
    Theme(
        "anxiety",
        Term("angst og depresjon", "angst og depresjon", "anxiety and depression"),
        ("helsestasjon", "bup", "skole"),
    ),
    Theme(
        "substance",
        Term("rusmiddelbruk", "rusmiddelbruk", "substance use"),
        ("tsb", "nav", "justis"),
    ),
    Theme(
        "violence",
        Term("vold i nære relasjoner", "vald i nære relasjonar", "domestic violence"),
        ("barnevern", "justis", "helsestasjon"),
    ),
    Theme("bullying", Term("mobbing", "mobbing", "bullying"), ("skole", "barnehage")),
    Theme(
        "dropout",
        Term("frafall i videregående", "fråfall i vidaregåande", "upper secondary dropout"),
        ("skole", "nav"),
    ),
    Theme(
        "language",
        Term("forsinket språkutvikling", "sein språkutvikling", "delayed language development"),
        ("barnehage", "helsestasjon", "ppt"),
    ),
    Theme(
        "neglect",
        Term("omsorgssvikt", "omsorgssvikt", "child neglect"),
        ("barnevern", "barnehage"),
    ),
    Theme(
        "poverty",
        Term("barnefattigdom", "barnefattigdom", "child poverty"),
        ("nav", "barnevern"),
    ),
    Theme(
        "screen",
        Term("problematisk skjermbruk", "problematisk skjermbruk", "problematic screen use"),
        ("skole", "helsestasjon"),
    ),
    Theme(
        "selfharm",
        Term("selvskading", "sjølvskading", "self-harm"),
        ("bup", "helsestasjon"),
    ),
    Theme(
        "crime",
        Term("gjentatt kriminalitet", "gjenteken kriminalitet", "repeat offending"),
        ("justis", "barnevern"),
    ),
    Theme(
        "eating",
        Term("spiseforstyrrelser", "eteforstyrringar", "eating disorders"),
        ("bup", "helsestasjon", "fastlege"),
    ),
    Theme(
        "loneliness",
        Term("ensomhet og utenforskap", "einsemd og utanforskap", "loneliness and exclusion"),
        ("skole", "annet", "nav"),
    ),
    Theme(
        "parentsubstance",
        Term("foreldres rusproblemer", "rusproblem hjå foreldre", "parental substance misuse"),
        ("barnevern", "tsb", "helsestasjon"),
    ),
    Theme(
        "neet",
        Term(
            "unge utenfor arbeid og utdanning",
            "unge utanfor arbeid og utdanning",
            "young people not in employment or education",
        ),
        ("nav", "skole"),
    ),
    Theme(
        "sleep",
        Term("søvnvansker", "søvnvanskar", "sleep problems"),
        ("helsestasjon", "fastlege"),
    ),
    Theme(
        "adhd",
        Term("konsentrasjonsvansker", "konsentrasjonsvanskar", "attention difficulties"),
        ("ppt", "skole", "bup"),
    ),
    Theme(
        "placement",
        Term("brudd i fosterhjem", "brot i fosterheimar", "foster care breakdown"),
        ("barnevern",),
    ),
    Theme(
        "transition",
        Term(
            "overgangen fra barnehage til skole",
            "overgangen frå barnehage til skule",
            "the transition from kindergarten to school",
        ),
        ("barnehage", "skole", "ppt"),
    ),
)

GROUPS: tuple[Group, ...] = (
    Group(Term("barn 0–5 år", "born 0–5 år", "children aged 0–5"), (0, 5)),
    Group(Term("barn i barnehagealder", "born i barnehagealder", "preschool children"), (1, 6)),
    Group(
        Term("elever på barnetrinnet", "elevar på barnesteget", "primary school pupils"), (6, 12)
    ),
    Group(
        Term("elever på ungdomstrinnet", "elevar på ungdomssteget", "lower secondary pupils"),
        (13, 16),
    ),
    Group(Term("ungdom 16–19 år", "ungdom 16–19 år", "young people aged 16–19"), (16, 19)),
    Group(
        Term("unge voksne 18–24 år", "unge vaksne 18–24 år", "young adults aged 18–24"), (18, 24)
    ),
    Group(Term("barn i fosterhjem", "born i fosterheim", "children in foster care"), (0, 18)),
    Group(
        Term(
            "enslige mindreårige flyktninger",
            "einslege mindreårige flyktningar",
            "unaccompanied refugee minors",
        ),
        (12, 18),
    ),
    Group(
        Term(
            "barn med funksjonsnedsettelser", "born med funksjonsnedsetjingar", "disabled children"
        ),
        (0, 18),
    ),
    Group(
        Term("gutter i ungdomsskolen", "gutar i ungdomsskulen", "boys in lower secondary"), (13, 16)
    ),
    Group(
        Term("jenter i videregående", "jenter i vidaregåande", "girls in upper secondary"), (16, 19)
    ),
    Group(
        Term(
            "barn av foreldre med psykiske lidelser",
            "born av foreldre med psykiske lidingar",
            "children of parents with mental illness",
        ),
        (0, 18),
    ),
    Group(Term("samiske barn og unge", "samiske born og unge", "Sámi children and youth"), (0, 24)),
    Group(
        Term(
            "barn i lavinntektsfamilier",
            "born i låginntektsfamiliar",
            "children in low-income families",
        ),
        (0, 18),
    ),
)

MEASURES: tuple[Term, ...] = (
    Term("tverrfaglig samarbeid", "tverrfagleg samarbeid", "interagency collaboration"),
    Term("foreldreveiledning", "foreldrerettleiing", "parenting support"),
    Term("tidlig innsats", "tidleg innsats", "early intervention"),
    Term("kognitiv atferdsterapi", "kognitiv åtferdsterapi", "cognitive behavioural therapy"),
    Term("familieråd", "familieråd", "family group conferences"),
    Term("mentorordninger", "mentorordningar", "mentoring"),
    Term("skolebaserte programmer", "skulebaserte program", "school-based programmes"),
    Term("hjemmebesøk", "heimebesøk", "home visiting"),
    Term("individuell jobbstøtte", "individuell jobbstøtte", "individual placement and support"),
    Term("motiverende intervju", "motiverande intervju", "motivational interviewing"),
    Term("fritidsaktiviteter", "fritidsaktivitetar", "organised leisure activities"),
    Term("digital oppfølging", "digital oppfølging", "digital follow-up"),
    Term("traumebevisst praksis", "traumemedviten praksis", "trauma-informed practice"),
    Term("barnesamtaler", "barnesamtalar", "structured conversations with children"),
    Term("koordinerte tjenester", "koordinerte tenester", "care coordination"),
    Term("ungdomsmedvirkning", "ungdomsmedverknad", "youth participation"),
)

SERVICE_NAMES: dict[str, Term] = {
    "barnevern": Term("barnevernstjenesten", "barnevernstenesta", "child welfare services"),
    "skole": Term("skolen", "skulen", "schools"),
    "barnehage": Term("barnehagen", "barnehagen", "kindergartens"),
    "helsestasjon": Term(
        "helsestasjonen og skolehelsetjenesten",
        "helsestasjonen og skulehelsetenesta",
        "health centres and school health services",
    ),
    "fastlege": Term("fastlegene", "fastlegane", "general practitioners"),
    "bup": Term("BUP", "BUP", "child and adolescent mental health services"),
    "tsb": Term("rusbehandlingen", "rusbehandlinga", "substance use treatment"),
    "ppt": Term("PP-tjenesten", "PP-tenesta", "educational psychology services"),
    "justis": Term(
        "politiet og konfliktrådet", "politiet og konfliktrådet", "police and mediation"
    ),
    "nav": Term("NAV", "NAV", "the labour and welfare service"),
    "annet": Term("fritidstjenesten", "fritidstenesta", "youth leisure services"),
}
