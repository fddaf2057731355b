"""Builds the two evaluation sets from real, public research texts — deterministic.

Run: .venv/bin/python tests/projects/data/build_eval_real.py

Reads `eval_real_papers.jsonl` (each paper's title and abstract verbatim from its source, with the
authors and the source's repository, path and commit) and writes
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
}

# (group id, researcher as named in the group, (surname, first initial), profile paper keys)
GROUPS: list[tuple[str, str, tuple[str, str], tuple[str, ...]]] = [
    ("r01", "Tormod Bøe", ("bøe", "t"),
     ("boe2016income", "boe2017financial", "boe2014ses", "boe2018pewb", "nilsen2020divorce")),
    ("r02", "Mari Hysing", ("hysing", "m"),
     ("hysing2015sleep", "hysing2020traj", "sivertsen2013dsps", "hysing2020lonely")),
    ("r03", "Gia Barboza-Salerno", ("barboza", "g"),
     ("barboza2017ptsd", "barboza2019geog", "barboza2021dual", "barboza2021bonds")),
    ("r04", "Tyler Prochnow", ("prochnow", "t"),
     ("prochnow2021sex", "prochnow2021sport", "prochnow2020papas", "prochnow2020barriers",
      "prochnow2025barriers")),
    ("r05", "Jong-Hyun Park", ("park", "j"),
     ("park2024olderpa", "park2025t2dpa", "park2025opioid", "prochnow2025barriers")),
    ("r06", "Thabo J. van Woudenberg", ("woudenberg", "t"),
     ("vanwoudenberg2018sni", "bevelander2020norms", "smit2018fruit", "prochnow2020barriers")),
    ("r07", "Fabian Gülzau", ("gülzau", "f"),
     ("gulzau2018preschool", "gulzau2020family", "gulzau2021borders", "mau2015visa")),
]

# (need id, paper key, the paper's research question in one sentence)
NEEDS_EN: list[tuple[str, str, str]] = [
    ("n01", "askeland2015", "Are adolescents with high school absence in contact with health care and other services more often than peers with low absence?"),  # noqa: E501
    ("n02", "askeland2020dep", "Are symptoms of depression associated with school absence in late adolescence, and is the association mediated by sleep duration?"),  # noqa: E501
    ("n03", "askeland2020life", "Which personal, social and family protective factors are associated with fewer depressive symptoms among adolescents exposed to negative life events?"),  # noqa: E501
    ("n04", "boe2017volatility", "Are the duration, timing and sequencing of childhood exposure to low family income associated with mental health problems in adolescence?"),  # noqa: E501
    ("n05", "boe2012sleepmed", "Are sleep problems more common among children from low-SES families, and do they mediate the association between SES and mental health problems?"),  # noqa: E501
    ("n06", "heradstveit2020pa", "How common are physical inactivity and non-participation in sports among older adolescents, and are they associated with parental SES and school programme?"),  # noqa: E501
    ("n07", "barboza2021covid", "How did reports of child abuse and neglect change across space and time during the COVID-19 pandemic, and which neighbourhood factors were associated with new hot spots?"),  # noqa: E501
    ("n08", "barboza2019delinq", "Which risk and protective factors predict membership in different trajectories of depressive symptoms from adolescence to adulthood?"),  # noqa: E501
    ("n09", "vanwoudenberg2020vlog", "Is a social network intervention with vlogs by influential peers more effective at increasing adolescents' physical activity than a mass media intervention or none?"),  # noqa: E501
    ("n10", "schwabreese2024hotline", "Can network analysis visualise the results of a qualitative content analysis of conversations with a national child abuse hotline?"),  # noqa: E501
    ("n11", "prochnow2025complications", "Are the personal network characteristics of Black/African American men with type 2 diabetes associated with disease-related complications?"),  # noqa: E501
    ("n12", "prochnow2025selfeff", "Which qualities of their social networks are associated with diabetes management self-efficacy among Black/African American men with type 2 diabetes?"),  # noqa: E501
    ("n13", "patterson2020ipv", "How are the composition and structure of college students' personal networks related to a history of violence victimization?"),  # noqa: E501
]

# The same needs as a municipal service leader writes them (not translations): (language,
# title, question, background).
NEEDS_NO: dict[str, tuple[str, str, str, str]] = {
    "n01": ("nb", "Elever med høyt fravær og kontakt med hjelpetjenester",
            "Har ungdom med mye skolefravær kontakt med helsesykepleier, fastlege eller psykisk helsetjeneste, og hvem faller utenfor?",  # noqa: E501
            "Vi ser at mange elever i videregående skole har høyt fravær. Vi vet ikke om de allerede får hjelp fra helsetjenestene, eller om skolen og helsetjenesten må samarbeide bedre for å fange dem opp."),  # noqa: E501
    "n02": ("nn", "Depresjon og skulefråvær i vidaregåande",
            "Heng depressive symptom saman med skulefråvær hjå ungdom, og kan søvn forklare noko av samanhengen?",  # noqa: E501
            "Skulane våre melder om fleire elevar med fråvær som ikkje er knytt til sjukdom. Vi ønskjer å vite om psykiske plager og søvnvanskar bør vere ein del av oppfølginga når fråværet aukar."),  # noqa: E501
    "n03": ("nb", "Hva beskytter ungdom mot depresjon etter vanskelige livshendelser?",
            "Hvilke beskyttende faktorer, som selvtillit, sosial støtte og godt samhold i familien, henger sammen med færre depressive symptomer hos ungdom som har opplevd belastende hendelser?",  # noqa: E501
            "Kommunen vil styrke det forebyggende arbeidet for ungdom. Vi trenger kunnskap om hvilke ressurser hos ungdommen og i familien vi bør bygge opp, særlig for jentene."),  # noqa: E501
    "n04": ("nn", "Barnefattigdom og psykisk helse i ungdomsåra",
            "Har barn som veks opp i familiar med låg inntekt, over kort eller lang tid, fleire psykiske plager når dei blir ungdomar?",  # noqa: E501
            "Talet på barn i låginntektsfamiliar aukar i kommunen. Vi vil vite om det betyr noko kor lenge og når i oppveksten familien har dårleg råd, slik at vi kan setje inn tiltak tidleg."),  # noqa: E501
    "n05": ("nb", "Søvnproblemer hos barn i familier med dårlig råd",
            "Har barn fra familier med lav inntekt og utdanning mer søvnvansker, og kan søvnproblemene forklare noe av sammenhengen med psykiske plager?",  # noqa: E501
            "Helsesykepleierne i barneskolen møter mange barn som sover dårlig. Vi lurer på om foreldrenes økonomi og utdanning spiller inn, og om søvn bør være en del av tiltakene mot psykiske vansker."),  # noqa: E501
    "n06": ("nn", "Fysisk inaktivitet og sosial bakgrunn hjå ungdom",
            "Er ungdom frå familiar med låg sosioøkonomisk status og elevar på yrkesfag mindre fysisk aktive og sjeldnare med i idrett?",  # noqa: E501
            "Kommunen vil få fleire ungdomar i aktivitet. Vi treng kunnskap om kven som fell utanfor idretten, slik at fritidstilbodet og skulen kan nå dei rette gruppene."),  # noqa: E501
    "n07": ("nb", "Vold og omsorgssvikt mot barn under pandemien",
            "Endret meldingene om vold og omsorgssvikt mot barn seg under koronapandemien, og i hvilke nabolag økte de?",  # noqa: E501
            "Barnevernet fikk færre bekymringsmeldinger da skolene stengte. Vi vil vite om det betyr at færre barn ble utsatt, eller at vi ikke så dem, og hvilke levekår i nabolaget som henger sammen med økt risiko."),  # noqa: E501
    "n08": ("nn", "Omsorgssvikt, skule og depresjon frå ungdom til vaksen",
            "Kva for risikofaktorar, som omsorgssvikt, fattigdom, rus og svake skuleresultat, heng saman med ulike forløp av depressive symptom frå ungdomsalderen og inn i vaksen alder?",  # noqa: E501
            "Barnevernet og skulen møter ungdomar med samansette vanskar. Vi ønskjer å vite kven som står i fare for langvarig depresjon, slik at vi kan prioritere oppfølginga."),  # noqa: E501
    "n09": ("nb", "Kan elever få hverandre til å bevege seg mer?",
            "Gir et tiltak der elever med stor innflytelse i klassen lager vlogger om fysisk aktivitet mer aktivitet blant klassekameratene enn vanlige kampanjer?",  # noqa: E501
            "Kommunen vil prøve ut nye tiltak for å få barn og unge til å være mer fysisk aktive. Vi har hørt om tiltak som bruker elevenes egne sosiale nettverk, og vil vite om det virker."),  # noqa: E501
    "n10": ("nn", "Samtalar til hjelpetelefon for barn utsette for vald",
            "Korleis kan ein analysere og vise innhaldet i samtalar til ein hjelpetelefon om vald og overgrep mot barn?",  # noqa: E501
            "Kommunen har ei eiga vakttelefon for barn og unge. Vi ønskjer å bruke samtalane betre i kvalitetsarbeidet og treng metodar for å finne mønster i kva som gjer ein samtale håpefull."),  # noqa: E501
    "n11": ("nb", "Sosialt nettverk og komplikasjoner ved diabetes type 2",
            "Henger nettverket av familie og venner rundt menn med diabetes type 2 sammen med hvor ofte de får komplikasjoner som føling og høyt blodsukker?",  # noqa: E501
            "Hjemmesykepleien og frisklivssentralen følger opp mange menn med diabetes type 2. Vi vil vite om familie og venner kan brukes mer aktivt i oppfølgingen, og hvilke relasjoner som hjelper."),  # noqa: E501
    "n12": ("nn", "Støtte frå familie og vener og meistring av diabetes",
            "Kva slags sosial støtte heng saman med at menn med diabetes type 2 har tru på at dei sjølve meistrar sjukdommen?",  # noqa: E501
            "Lærings- og meistringstilbodet vårt når få menn. Vi vil vite om kvaliteten på nettverket rundt dei betyr meir enn storleiken, slik at vi kan ta med pårørande på rett måte."),  # noqa: E501
    "n13": ("nb", "Vold blant studenter og betydningen av vennenettverk",
            "Henger studentenes sosiale nettverk sammen med om de har vært utsatt for fysisk, psykisk eller seksuell vold?",  # noqa: E501
            "Kommunen samarbeider med høgskolen om å forebygge vold blant unge voksne. Vi trenger kunnskap om hvordan venner og nettverk påvirker risikoen, for å lage bedre forebyggende tiltak."),  # noqa: E501
}


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
    in_profiles = {key for *_, profile in GROUPS for key in profile}
    assert not in_profiles & {key for _, key, _ in NEEDS_EN}, "a need is in a profile"
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
    needs_en = [
        {"id": nid, "title": papers[key]["title"], "question": question,
         "background": papers[key]["abstract"]}
        for nid, key, question in NEEDS_EN
    ]
    needs_no = [
        {"id": nid, "title": title, "question": question, "background": background}
        for nid, (_lang, title, question, background) in NEEDS_NO.items()
    ]
    judgements = [
        {"need": nid, "group": gid, "relevance": grade(key, researcher, profile, papers)}
        for nid, key, _ in NEEDS_EN
        for gid, _, researcher, profile in GROUPS
    ]
    for folder, needs in (("eval_en", needs_en), ("eval_no", needs_no)):
        _write(HERE / folder / "groups.jsonl", groups)
        _write(HERE / folder / "needs.jsonl", needs)
        _write(HERE / folder / "judgements.jsonl", judgements)


if __name__ == "__main__":
    build()
