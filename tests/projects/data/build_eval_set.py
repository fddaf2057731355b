"""Builds the matching evaluation set (eval_groups/needs/judgements.jsonl) — deterministic.

Run: .venv/bin/python tests/projects/data/build_eval_set.py

Groups and needs are written by hand below (publication texts as templates with a population
slot); every publication, group profile and need carries a (topic, population) label, and the
judgements follow from those labels by the rules in README.md — never from a matcher's output.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Topic → field; adjacency is symmetric (see README.md).
FIELD = {
    "absence": "education",
    "dropout": "education",
    "bullying": "education",
    "language": "education",
    "special_ed": "education",
    "foster": "child_welfare",
    "aftercare": "child_welfare",
    "residential": "child_welfare",
    "violence": "child_welfare",
    "parental_sud": "child_welfare",
    "conduct": "mental_health",
    "trauma": "mental_health",
    "anxiety": "mental_health",
    "self_harm": "mental_health",
    "substance": "mental_health",
    "screen_sleep": "mental_health",
    "parenting": "family_health",
    "home_visit": "family_health",
    "neet": "welfare_justice",
    "crime": "welfare_justice",
    "migrants": "welfare_justice",
    "dementia": "other",
    "surgery": "other",
    "nursing_ed": "other",
    "dental": "other",
}
ADJACENT = {
    frozenset(p)
    for p in [
        ("absence", "dropout"),
        ("absence", "anxiety"),
        ("bullying", "anxiety"),
        ("language", "migrants"),
        ("special_ed", "language"),
        ("foster", "aftercare"),
        ("foster", "residential"),
        ("residential", "conduct"),
        ("violence", "trauma"),
        ("parental_sud", "substance"),
        ("conduct", "parenting"),
        ("parenting", "home_visit"),
        ("anxiety", "self_harm"),
        ("substance", "crime"),
        ("neet", "dropout"),
        ("neet", "aftercare"),
        ("screen_sleep", "anxiety"),
    ]
}

POP_EN = {
    "early": ["preschool children", "toddlers in kindergarten", "children aged 1-5 years"],
    "child": ["primary school children", "children aged 6-12", "pupils in grades 1-7"],
    "youth": ["adolescents", "lower secondary school pupils", "young people aged 13-18"],
    "young_adult": ["young adults aged 18-24", "emerging adults", "young people aged 18-25"],
    "adult": ["adults", "adult patients", "working-age adults"],
    "older": ["older adults", "nursing home residents", "people over 75"],
}
POP_NB = {
    "early": "barnehagebarn",
    "child": "barn på barnetrinnet",
    "youth": "ungdom",
    "young_adult": "unge voksne",
    "adult": "voksne",
    "older": "eldre",
}

# Topic → list of (title, abstract) templates; {pop} is filled with a population phrase.
PUBS: dict[str, list[tuple[str, str]]] = {
    "absence": [
        (
            "Predictors of problematic school absenteeism among {pop}",
            "Using register data on attendance, we examined which individual and school factors "
            "predict chronic absence among {pop}. Anxiety symptoms, low peer belonging and "
            "family stress were the strongest predictors of persistent non-attendance.",
        ),
        (
            "A school-based intervention to reduce absence: a cluster randomised trial",
            "Forty schools were randomised to a structured attendance team or usual practice. "
            "The intervention for {pop} combined early warning on absence registration, "
            "contact with parents and individual plans; absence fell by 18 percent.",
        ),
        (
            "School refusal and truancy: distinct pathways in {pop}",
            "We compared anxiety-based school refusal with truancy in a clinical and a community "
            "sample. Emotional distress characterised refusal, while conduct problems and low "
            "parental monitoring characterised truancy.",
        ),
        (
            "Teachers' follow-up of students with high absence: a qualitative study",
            "Interviews with teachers and school nurses describe how schools notice and follow up "
            "{pop} with worrying absence, and the barriers to collaboration with parents.",
        ),
        (
            "Skolefravær blant {pop_nb}: en kartlegging i tolv kommuner",
            "Studien beskriver omfang og årsaker til bekymringsfullt skolefravær og hvordan "
            "skolene samarbeider med helsesykepleier og PPT om oppfølgingen.",
        ),
    ],
    "dropout": [
        (
            "Early school leaving and later labour market outcomes: a register study",
            "Following {pop} in national registers, we show that not completing upper secondary "
            "education doubles the risk of receiving welfare benefits ten years later.",
        ),
        (
            "Effects of a mentoring programme on completion of upper secondary education",
            "A quasi-experimental evaluation of mentors for {pop} at risk of dropout. Completion "
            "rose by seven percentage points, most for vocational students.",
        ),
        (
            "Why students drop out: perspectives of {pop} in vocational programmes",
            "Focus groups with students who left school point to poor fit with the programme, "
            "lack of apprenticeships and weak relations with teachers.",
        ),
        (
            "Frafall i videregående opplæring: hva virker?",
            "En kunnskapsoppsummering av tiltak mot frafall for {pop_nb}, med vekt på "
            "oppfølgingstjenesten, losordninger og tett samarbeid mellom skole og NAV.",
        ),
    ],
    "bullying": [
        (
            "Bullying victimisation and mental health among {pop}",
            "In a survey of 9,000 students, victims of bullying and cyberbullying reported more "
            "depressive symptoms and loneliness, and lower school wellbeing.",
        ),
        (
            "The Olweus programme revisited: long-term effects on bullying in schools",
            "Schools implementing a whole-school anti-bullying programme saw fewer victims among "
            "{pop} after three years; effects depended on implementation fidelity.",
        ),
        (
            "Teachers' handling of bullying cases: a qualitative study",
            "Teachers describe how they detect and respond to bullying and peer harassment among "
            "{pop}, and how new legal duties on the school environment changed practice.",
        ),
        (
            "Mobbing og krenkelser i skolen: elevenes erfaringer",
            "Intervjuer med {pop_nb} om mobbing, digitale krenkelser og skolens aktivitetsplikt "
            "for et trygt og godt skolemiljø.",
        ),
    ],
    "language": [
        (
            "Dialogic reading in kindergarten: effects on vocabulary of {pop}",
            "A randomised trial of shared book reading in 70 kindergartens. Children receiving "
            "the language programme gained more vocabulary, especially second-language learners.",
        ),
        (
            "Early language delay and later reading difficulties",
            "Following {pop} from age 2 to age 8, early language delay predicted reading problems "
            "and need for special education at school start.",
        ),
        (
            "Language screening in child health clinics and preschools",
            "We validated a short language screening tool used with {pop} and describe referral "
            "to speech therapists and educational psychology services.",
        ),
        (
            "Språkstimulering i barnehagen for {pop_nb}",
            "Evaluering av et språkprogram for minoritetsspråklige barn i barnehagen, med "
            "observasjon av samtaler mellom barnehagelærere og barn.",
        ),
    ],
    "special_ed": [
        (
            "Special education referral and outcomes for {pop}",
            "Register data show that pupils referred for special educational needs rarely return "
            "to ordinary teaching; we discuss inclusive education and adapted teaching.",
        ),
        (
            "The role of the educational psychology service in school consultation",
            "A mixed-methods study of how educational psychologists advise teachers about "
            "{pop} with learning difficulties and ADHD, and about system-level work.",
        ),
        (
            "Inclusion of {pop} with autism in mainstream classrooms",
            "Interviews with teachers and parents on adapting instruction, classroom support and "
            "collaboration with specialist services for children with autism.",
        ),
        (
            "PP-tjenestens sakkyndige vurderinger: kvalitet og ventetid",
            "Studien analyserer sakkyndige vurderinger for {pop_nb} og hvordan PPT arbeider "
            "systemrettet sammen med skolene.",
        ),
    ],
    "foster": [
        (
            "Placement stability in foster care: a longitudinal study of {pop}",
            "Using child welfare records, we followed children placed in foster homes. Kinship "
            "placements and support to foster parents predicted fewer placement breakdowns.",
        ),
        (
            "Training and support for foster carers: a systematic review",
            "We reviewed trials of training programmes for foster parents caring for {pop}; "
            "programmes improved carer skills and reduced behaviour problems in the children.",
        ),
        (
            "Mental health of {pop} in foster care",
            "Compared with peers, children in foster care had high rates of emotional and "
            "behavioural difficulties; few received assessment or treatment.",
        ),
        (
            "Contact with birth parents after care orders",
            "A qualitative study of how foster children, foster parents and child welfare workers "
            "experience visitation and contact with birth parents for {pop}.",
        ),
        (
            "Fosterhjem for {pop_nb}: rekruttering og oppfølging",
            "Barnevernstjenestenes erfaringer med å rekruttere og følge opp fosterforeldre, og "
            "hva som skal til for at plasseringer ikke bryter sammen.",
        ),
    ],
    "aftercare": [
        (
            "Leaving care: education and employment of care leavers",
            "Register data on {pop} who left child welfare care show lower completion of "
            "education and more unemployment; aftercare to age 25 reduced the gap.",
        ),
        (
            "Transition to adulthood for young people ageing out of care",
            "Interviews with {pop} leaving residential and foster care describe housing problems, "
            "loneliness and lack of support after the care order ended.",
        ),
        (
            "Ettervern i barnevernet: unge voksnes erfaringer",
            "Studien undersøker hvordan {pop_nb} med erfaring fra barnevernet opplever "
            "ettervernet, samarbeidet med NAV og overgangen til egen bolig.",
        ),
    ],
    "residential": [
        (
            "Residential youth care: outcomes and staff practices",
            "We followed {pop} in residential care institutions. Stable staff relationships and "
            "trauma-informed care were associated with fewer serious incidents.",
        ),
        (
            "Use of coercion in residential child care institutions",
            "A study of restraint and coercive measures against {pop} in institutions, based on "
            "incident reports and interviews with staff.",
        ),
        (
            "Barnevernsinstitusjoner for {pop_nb} med sammensatte behov",
            "Kartlegging av ungdom i institusjon med rusproblemer, psykiske vansker og "
            "atferdsvansker, og samarbeidet med BUP.",
        ),
    ],
    "violence": [
        (
            "Exposure to domestic violence among {pop}: prevalence and consequences",
            "A national survey found that one in ten had witnessed violence between parents; "
            "exposure was associated with anxiety, depression and school problems.",
        ),
        (
            "Child sexual abuse disclosure: how children tell",
            "We analysed forensic interviews with {pop} to understand barriers to disclosing "
            "sexual abuse and the role of trusted adults.",
        ),
        (
            "Detecting child maltreatment in primary care and schools",
            "Nurses and teachers reported barriers to identifying neglect and physical abuse of "
            "{pop} and to filing reports of concern with child protective services.",
        ),
        (
            "Vold og overgrep mot {pop_nb}: avdekking i barnehage og skole",
            "Intervjuer med ansatte om hvordan de oppdager vold i nære relasjoner og sender "
            "bekymringsmelding til barnevernet.",
        ),
    ],
    "parental_sud": [
        (
            "Children of parents with substance use problems: a register study",
            "Parental alcohol and drug problems were associated with more child welfare "
            "interventions and mental health problems among {pop}.",
        ),
        (
            "Young carers: {pop} who care for a parent with mental illness",
            "A mixed-methods study of children as next of kin, the support they get from "
            "health services and how schools notice them.",
        ),
        (
            "Barn som pårørende: oppfølging av {pop_nb} når foreldre har rusproblemer",
            "Studien beskriver hvordan helsepersonell ivaretar barn som pårørende etter "
            "helsepersonelloven og samarbeider med barnevernet.",
        ),
    ],
    "conduct": [
        (
            "Conduct problems in {pop}: developmental pathways",
            "Following a birth cohort, early-onset aggression and oppositional behaviour "
            "predicted later delinquency, school dropout and substance use.",
        ),
        (
            "Effectiveness of Parent Management Training - Oregon for {pop} with behaviour "
            "problems",
            "In a randomised trial in Norwegian municipalities, PMTO reduced externalising "
            "behaviour and improved parenting practices compared with regular services.",
        ),
        (
            "Classroom behaviour problems and teacher stress",
            "Teachers of {pop} with disruptive behaviour reported more stress; school-wide "
            "positive behaviour support reduced office referrals.",
        ),
        (
            "Atferdsvansker hos {pop_nb}: tidlig innsats i kommunen",
            "Evaluering av et lavterskeltilbud for familier med barn som viser utagerende atferd, "
            "med korte foreldreintervensjoner og veiledning til barnehage og skole.",
        ),
    ],
    "trauma": [
        (
            "Trauma-focused cognitive behavioural therapy for {pop}",
            "A randomised trial of TF-CBT for traumatised children referred to mental health "
            "clinics; post-traumatic stress symptoms fell more than with usual care.",
        ),
        (
            "Adverse childhood experiences and health among {pop}",
            "Cumulative adverse childhood experiences were associated with poorer mental and "
            "physical health; we discuss trauma-informed services.",
        ),
        (
            "Traumebevisst omsorg i barnehage og skole",
            "Følgeforskning på innføring av traumebevisst praksis for {pop_nb} i en kommune, "
            "med kompetanseheving for ansatte.",
        ),
    ],
    "anxiety": [
        (
            "Anxiety and depression among {pop}: trends over two decades",
            "Survey data show a rise in self-reported depressive symptoms and worry, most among "
            "girls; we discuss school pressure and social media.",
        ),
        (
            "School-based cognitive behavioural prevention of anxiety in {pop}",
            "A cluster randomised trial of a universal CBT programme in classrooms reduced "
            "anxiety symptoms at 12 months; effects were larger for selected groups.",
        ),
        (
            "Low-threshold mental health services for {pop}: access and outcomes",
            "Municipal psychologists and school nurses offered brief therapy; most users improved "
            "and few needed referral to specialist child and adolescent mental health services.",
        ),
        (
            "Psykiske plager blant {pop_nb}: hva kan skolehelsetjenesten gjøre?",
            "Studien beskriver samtaler hos helsesykepleier, samarbeid med fastlege og BUP, og "
            "ventetid for barn og unge med angst og depresjon.",
        ),
    ],
    "self_harm": [
        (
            "Self-harm and suicidal ideation in {pop}: a population study",
            "In a school survey, 12 percent reported self-harm; bullying, sexual abuse and "
            "sleep problems were risk factors.",
        ),
        (
            "Suicide prevention in schools: a systematic review",
            "Gatekeeper training and mental health literacy programmes for {pop} showed small "
            "effects on suicidal ideation; evidence for suicide attempts was uncertain.",
        ),
        (
            "Emergency care after self-harm among {pop}",
            "Follow-up after hospital treatment for self-harm was often missing; we describe "
            "pathways between hospitals, municipal services and CAMHS.",
        ),
    ],
    "substance": [
        (
            "Alcohol and cannabis use among {pop}: trends and predictors",
            "Survey data show declining drinking but stable cannabis use; early onset predicted "
            "later substance use problems and school dropout.",
        ),
        (
            "Brief interventions for substance use in {pop}",
            "A randomised trial of motivational interviewing in youth health clinics reduced "
            "binge drinking and cannabis use at six months.",
        ),
        (
            "Rusforebygging blant {pop_nb}: evaluering av et kommunalt tiltak",
            "Studien evaluerer et program med oppsøkende arbeid og samarbeid mellom politi, "
            "skole og utekontakt for å forebygge rusbruk.",
        ),
        (
            "Treatment for substance use disorders in {pop}",
            "An observational study of outpatient addiction treatment; retention was poor and "
            "most patients also had mental health problems.",
        ),
    ],
    "screen_sleep": [
        (
            "Screen time, social media and sleep among {pop}",
            "Using accelerometers and questionnaires, we found that evening screen use delayed "
            "bedtime and shortened sleep duration.",
        ),
        (
            "Gaming and mental health in {pop}",
            "Problematic gaming was associated with loneliness and depressive symptoms, while "
            "moderate gaming was not.",
        ),
        (
            "Søvnvansker hos {pop_nb}: en spørreundersøkelse",
            "Undersøkelsen beskriver søvnlengde, skjermbruk om kvelden og sammenhengen med "
            "trivsel og skoleprestasjoner.",
        ),
    ],
    "parenting": [
        (
            "Parenting programmes for families of {pop}: a meta-analysis",
            "Group-based parenting programmes such as Incredible Years improved parenting and "
            "reduced child behaviour problems; effects were smaller in routine practice.",
        ),
        (
            "Implementation of a universal parent support programme in municipalities",
            "A process evaluation of ICDP groups for parents of {pop}: reach, fidelity and "
            "parents' experiences of the guidance sessions.",
        ),
        (
            "Digital parent training for parents of {pop}: a randomised trial",
            "An online parenting intervention with coaching reduced parental stress and "
            "improved child behaviour compared with a waitlist.",
        ),
        (
            "Foreldreveiledning for foreldre til {pop_nb}: hvem deltar?",
            "Studien undersøker hvem som deltar i foreldreveiledningsgrupper i kommunene og "
            "hvordan tilbudet kan nå familier med minoritetsbakgrunn.",
        ),
    ],
    "home_visit": [
        (
            "Nurse home visiting for first-time mothers: effects on child development",
            "A randomised trial of a home visiting programme from pregnancy to age two; visited "
            "families had fewer child welfare reports and better child language.",
        ),
        (
            "Child health clinics and the early detection of developmental problems in {pop}",
            "Public health nurses described the routine consultations, developmental screening "
            "and referral pathways in the child health clinic.",
        ),
        (
            "Hjemmebesøk fra helsestasjonen: foreldres erfaringer",
            "Intervjuer med foreldre til {pop_nb} om hjemmebesøk fra helsesykepleier og "
            "programmet Nye familier.",
        ),
    ],
    "neet": [
        (
            "Young people not in employment, education or training: pathways and services",
            "Register data on {pop} outside work and education show that mental health "
            "problems and early school leaving precede long-term benefit receipt.",
        ),
        (
            "Individual placement and support for {pop} with mental health problems",
            "A randomised trial of IPS at welfare offices increased employment compared with "
            "ordinary vocational rehabilitation.",
        ),
        (
            "Unge utenfor arbeid: NAV-veilederes oppfølging",
            "En kvalitativ studie av hvordan NAV følger opp {pop_nb} som mottar sosialhjelp "
            "eller arbeidsavklaringspenger.",
        ),
    ],
    "crime": [
        (
            "Youth crime and restorative justice: effects of mediation",
            "Victim-offender mediation for {pop} reduced reoffending compared with ordinary "
            "sanctions; participants valued meeting the victim.",
        ),
        (
            "Police cooperation with schools and child welfare to prevent youth crime",
            "A study of local crime prevention councils and how police, schools and child "
            "welfare share information about {pop} at risk of offending.",
        ),
        (
            "Ungdomsstraff og ungdomsoppfølging i konfliktrådet",
            "Evaluering av straffereaksjonene for {pop_nb} som begår gjentatt kriminalitet, "
            "med vekt på samarbeid mellom konfliktråd, politi og kommune.",
        ),
    ],
    "migrants": [
        (
            "Mental health of refugee {pop}: a systematic review",
            "Unaccompanied minors and refugee children had high rates of post-traumatic stress "
            "and depression; school support and family reunification were protective.",
        ),
        (
            "School inclusion of newly arrived immigrant {pop}",
            "A study of introductory classes and the transition to ordinary classes for "
            "newly arrived pupils with limited schooling.",
        ),
        (
            "Innvandrerfamilier og barnevernet",
            "Intervjuer med foreldre med innvandrerbakgrunn og barnevernsarbeidere om "
            "tillit, kultursensitivitet og foreldreveiledning for familier med {pop_nb}.",
        ),
    ],
    "dementia": [
        (
            "Person-centred care for {pop} with dementia in nursing homes",
            "A cluster randomised trial of staff training reduced agitation and use of "
            "antipsychotic medication among residents with dementia.",
        ),
        (
            "Home care services for {pop}: continuity and quality",
            "Home care recipients experienced many different care workers; we discuss staffing "
            "models in municipal home-based services.",
        ),
        (
            "Fall prevention among {pop}: a meta-analysis",
            "Exercise programmes reduced falls in community-dwelling older people; effects "
            "in nursing homes were uncertain.",
        ),
        (
            "Medication reviews in nursing homes",
            "Systematic medication reviews for {pop} reduced potentially inappropriate "
            "prescribing of psychotropic drugs.",
        ),
        (
            "Pårørende til personer med demens",
            "Intervjuer med pårørende til {pop_nb} med demens om avlastning og "
            "dagaktivitetstilbud.",
        ),
    ],
    "surgery": [
        (
            "Outcomes of laparoscopic versus open surgery in {pop}",
            "A registry study of postoperative complications and length of hospital stay after "
            "colorectal cancer surgery.",
        ),
        (
            "Enhanced recovery after surgery protocols",
            "Implementation of ERAS in orthopaedic surgery for {pop} reduced length of stay "
            "without more readmissions.",
        ),
        (
            "Patient safety and adverse events in surgical wards",
            "We used the Global Trigger Tool to identify adverse events among {pop} undergoing "
            "elective surgery.",
        ),
    ],
    "nursing_ed": [
        (
            "Simulation training in nursing education",
            "Nursing students trained with high-fidelity simulation gained clinical confidence; "
            "we discuss debriefing and assessment.",
        ),
        (
            "Clinical placements for nursing students in municipal health care",
            "Students and supervisors described the learning environment in nursing homes and "
            "home care for {pop}.",
        ),
        (
            "Dropout from nursing education: a cohort study",
            "Among nursing students, low entry grades and lack of belonging predicted leaving "
            "the bachelor programme.",
        ),
    ],
    "dental": [
        (
            "Oral health among {pop} in nursing homes",
            "Poor oral hygiene was common among residents; staff lacked training in daily "
            "mouth care.",
        ),
        (
            "Caries prevention with fluoride varnish: a trial",
            "Fluoride varnish applied twice yearly reduced caries in {pop} attending the public "
            "dental service.",
        ),
    ],
}

DEFAULT_POP = {"home_visit": "early", "language": "early", "aftercare": "young_adult"}


def _publication(rng: random.Random, topic: str, pop: str, i: int) -> dict:
    templates = PUBS[topic]
    title, abstract = templates[i % len(templates)]
    pop_en = rng.choice(POP_EN[pop])
    fill = {"pop": pop_en, "pop_nb": POP_NB[pop]}
    return {
        "title": title.format(**fill),
        "abstract": abstract.format(**fill),
        "year": rng.randint(2008, 2025),
        "_topic": topic,
        "_pop": pop,
    }


# Groups: (id, name, description, keywords, [(topic, pop, n_publications)], profile topics).
# Profile topics are what the description says the group works on (topic, pop).
GROUPS: list[tuple[str, str, str, list[str], list[tuple[str, str, int]], list[tuple[str, str]]]] = [
    (
        "g01",
        "Skolefraværsgruppa, UiB",
        "Forskningsgruppe om skolefravær og skolevegring blant elever i ungdomsskolen. Vi "
        "utvikler og prøver ut tiltak sammen med skoler og PPT.",
        ["skolefravær", "skolevegring", "ungdomsskole"],
        [("absence", "youth", 8), ("anxiety", "youth", 2)],
        [("absence", "youth")],
    ),
    (
        "g02",
        "Attendance and Wellbeing Lab",
        "We study school attendance problems in primary schools and the role of families.",
        ["school attendance", "primary school", "families"],
        [("absence", "child", 6), ("parenting", "child", 2)],
        [("absence", "child")],
    ),
    (
        "g03",
        "Senter for fullføring",
        "Vi forsker på gjennomføring og frafall i videregående opplæring og overgangen til arbeid.",
        ["frafall", "videregående", "yrkesfag"],
        [("dropout", "youth", 7), ("neet", "young_adult", 3)],
        [("dropout", "youth")],
    ),
    (
        "g04",
        "Bullying Research Unit",
        "An interdisciplinary unit studying bullying, school climate and peer relations.",
        ["bullying", "school climate", "peer victimisation"],
        [("bullying", "youth", 6), ("bullying", "child", 4)],
        [("bullying", "youth"), ("bullying", "child")],
    ),
    (
        "g05",
        "Barnehagespråk",
        "Forskning på språkutvikling og språkstimulering i barnehagen, særlig for "
        "flerspråklige barn.",
        ["språk", "barnehage", "flerspråklige barn"],
        [("language", "early", 8)],
        [("language", "early")],
    ),
    (
        "g06",
        "PPT og inkludering",
        "Forskning om spesialpedagogikk, PP-tjenesten og inkluderende opplæring.",
        ["spesialundervisning", "PPT", "inkludering"],
        [("special_ed", "child", 6), ("special_ed", "youth", 3)],
        [("special_ed", "child")],
    ),
    (
        "g07",
        "Foster Care Research Group",
        "Research on foster care, kinship care and placement stability for children in care.",
        ["foster care", "kinship care", "placement stability"],
        [("foster", "child", 8), ("foster", "youth", 4)],
        [("foster", "child"), ("foster", "youth")],
    ),
    (
        "g08",
        "Ettervernsprosjektet",
        "Vi følger unge voksne som har vært under omsorg av barnevernet, og evaluerer ettervern.",
        ["ettervern", "barnevern", "unge voksne"],
        [("aftercare", "young_adult", 5), ("foster", "youth", 1)],
        [("aftercare", "young_adult")],
    ),
    (
        "g09",
        "Institusjonsbarnevern",
        "Forskning på barnevernsinstitusjoner, tvang og samarbeid med psykisk helsevern.",
        ["institusjon", "tvang", "ungdom"],
        [("residential", "youth", 6), ("conduct", "youth", 2)],
        [("residential", "youth")],
    ),
    (
        "g10",
        "Violence and Trauma Studies",
        "Research on violence in close relationships, child abuse and trauma among children.",
        ["domestic violence", "child abuse", "trauma"],
        [("violence", "child", 6), ("trauma", "child", 4)],
        [("violence", "child")],
    ),
    (
        "g11",
        "Barn som pårørende",
        "Forskning om barn og unge som pårørende når foreldre har rusproblemer eller "
        "psykisk sykdom.",
        ["barn som pårørende", "foreldres rusbruk"],
        [("parental_sud", "child", 5), ("parental_sud", "youth", 2)],
        [("parental_sud", "child")],
    ),
    (
        "g12",
        "Behaviour and Parenting Centre",
        "Evaluation of parent training and interventions for children with conduct problems.",
        ["conduct problems", "parent training", "PMTO"],
        [("conduct", "child", 6), ("parenting", "child", 5)],
        [("conduct", "child"), ("parenting", "child")],
    ),
    (
        "g13",
        "Traumeklinikken forskning",
        "Behandlingsforskning på traumer og PTSD hos barn og unge i BUP.",
        ["traumer", "PTSD", "behandling"],
        [("trauma", "youth", 6), ("trauma", "child", 2)],
        [("trauma", "youth")],
    ),
    (
        "g14",
        "Youth Mental Health Group",
        "We study anxiety and depression among adolescents and low-threshold services.",
        ["anxiety", "depression", "adolescents"],
        [("anxiety", "youth", 9), ("self_harm", "youth", 2)],
        [("anxiety", "youth")],
    ),
    (
        "g15",
        "Selvmordsforebygging",
        "Forskning om selvskading og selvmordsforebygging blant unge.",
        ["selvskading", "selvmord", "forebygging"],
        [("self_harm", "youth", 5), ("self_harm", "young_adult", 3)],
        [("self_harm", "youth")],
    ),
    (
        "g16",
        "Rus og ungdom",
        "Forskning på rusbruk blant ungdom og forebygging i kommunene.",
        ["rus", "alkohol", "cannabis", "ungdom"],
        [("substance", "youth", 7)],
        [("substance", "youth")],
    ),
    (
        "g17",
        "Adult Addiction Research",
        "Clinical research on substance use disorders and addiction treatment in adults.",
        ["addiction", "substance use disorder", "treatment"],
        [("substance", "adult", 10)],
        [("substance", "adult")],
    ),
    (
        "g18",
        "Screen and Sleep Lab",
        "Research on screen use, gaming, social media and sleep in children and adolescents.",
        ["screen time", "sleep", "gaming"],
        [("screen_sleep", "youth", 6), ("screen_sleep", "child", 2)],
        [("screen_sleep", "youth")],
    ),
    (
        "g19",
        "Foreldrestøtte i kommunene",
        "Vi evaluerer foreldreveiledning og foreldrestøttende tiltak i kommunene.",
        ["foreldreveiledning", "ICDP", "foreldrestøtte"],
        [("parenting", "early", 4), ("parenting", "child", 3)],
        [("parenting", "early"), ("parenting", "child")],
    ),
    (
        "g20",
        "Child Health Clinic Research",
        "Research on child health clinics, public health nurses and home visiting programmes.",
        ["child health clinic", "home visiting", "public health nurse"],
        [("home_visit", "early", 6)],
        [("home_visit", "early")],
    ),
    (
        "g21",
        "NAV og unge",
        "Forskning om unge utenfor arbeid og utdanning og oppfølging i NAV.",
        ["NAV", "unge utenfor", "arbeid"],
        [("neet", "young_adult", 6), ("dropout", "young_adult", 1)],
        [("neet", "young_adult")],
    ),
    (
        "g22",
        "Youth Justice Research",
        "Research on youth crime, police prevention and restorative justice.",
        ["youth crime", "restorative justice", "police"],
        [("crime", "youth", 6)],
        [("crime", "youth")],
    ),
    (
        "g23",
        "Migrasjon og oppvekst",
        "Forskning om barn og unge med flyktning- og innvandrerbakgrunn i skole og tjenester.",
        ["flyktninger", "innvandrere", "inkludering"],
        [("migrants", "child", 4), ("migrants", "youth", 3)],
        [("migrants", "child"), ("migrants", "youth")],
    ),
    # One highly relevant paper among many unrelated ones.
    (
        "g24",
        "Ageing and Care Research",
        "Research on older people, dementia and municipal care services.",
        ["dementia", "nursing homes", "home care"],
        [("dementia", "older", 19), ("foster", "youth", 1)],
        [("dementia", "older")],
    ),
    (
        "g25",
        "Surgical Outcomes Group",
        "Clinical research on surgical outcomes and patient safety.",
        ["surgery", "patient safety"],
        [("surgery", "adult", 14), ("self_harm", "youth", 1)],
        [("surgery", "adult")],
    ),
    (
        "g26",
        "Nursing Education Research",
        "Research on nursing education and clinical placements.",
        ["nursing education", "simulation"],
        [("nursing_ed", "adult", 12), ("absence", "youth", 1)],
        [("nursing_ed", "adult")],
    ),
    (
        "g27",
        "Helsetjenester for eldre",
        "Forskning på helse- og omsorgstjenester for eldre i kommunene.",
        ["eldre", "hjemmetjenester", "sykehjem"],
        [("dementia", "older", 15), ("parenting", "early", 1)],
        [("dementia", "older")],
    ),
    # Generalists.
    (
        "g28",
        "Senter for barn og unges oppvekst",
        "Et bredt senter for forskning om oppvekst, tjenester og levekår for barn og unge.",
        ["oppvekst", "barn og unge", "tjenester"],
        [
            ("absence", "child", 1),
            ("foster", "youth", 1),
            ("anxiety", "youth", 1),
            ("substance", "youth", 1),
            ("bullying", "youth", 1),
            ("parenting", "child", 1),
            ("neet", "young_adult", 1),
            ("language", "early", 1),
            ("violence", "youth", 1),
        ],
        [],
    ),
    (
        "g29",
        "Nordic Child Welfare Network",
        "A Nordic network for comparative research on child welfare systems and services.",
        ["child welfare", "comparative research"],
        [
            ("foster", "child", 2),
            ("residential", "youth", 2),
            ("violence", "child", 2),
            ("aftercare", "young_adult", 1),
            ("parental_sud", "child", 1),
        ],
        [],
    ),
    (
        "g30",
        "Skole og samfunn",
        "Bred utdanningsforskning om læring, skolemiljø og gjennomføring.",
        ["skole", "læring", "skolemiljø"],
        [
            ("bullying", "child", 2),
            ("special_ed", "child", 2),
            ("dropout", "youth", 2),
            ("absence", "youth", 1),
            ("language", "early", 1),
        ],
        [],
    ),
    # Near misses and other fields.
    (
        "g31",
        "Adult Mental Health Services",
        "Research on treatment of anxiety and depression in adult outpatient mental health care.",
        ["anxiety", "depression", "adults"],
        [("anxiety", "adult", 8)],
        [("anxiety", "adult")],
    ),
    (
        "g32",
        "Public Dental Health",
        "Research on oral health and the public dental service.",
        ["oral health", "dental"],
        [("dental", "child", 3), ("dental", "older", 5)],
        [("dental", "child")],
    ),
    (
        "g33",
        "Early Childhood Parenting Lab",
        "Parenting and early childhood development from pregnancy to school start.",
        ["early childhood", "parenting", "development"],
        [("parenting", "early", 5), ("home_visit", "early", 3)],
        [("parenting", "early"), ("home_visit", "early")],
    ),
    (
        "g34",
        "Conduct Problems in Schools",
        "Research on behaviour problems in classrooms and school-wide positive behaviour support.",
        ["behaviour problems", "classroom", "PBIS"],
        [("conduct", "youth", 5), ("bullying", "youth", 1)],
        [("conduct", "youth")],
    ),
    (
        "g35",
        "Søvn og helse",
        "Forskning om søvn, døgnrytme og helse hos voksne.",
        ["søvn", "voksne"],
        [("screen_sleep", "adult", 6)],
        [("screen_sleep", "adult")],
    ),
    # Profile only (no publications) and publications only (no description).
    (
        "g36",
        "Nytt fosterhjemsprosjekt",
        "Nyoppstartet gruppe som skal forske på rekruttering av fosterhjem og støtte til "
        "fosterforeldre for barn i barneskolealder.",
        ["fosterhjem", "fosterforeldre"],
        [],
        [("foster", "child")],
    ),
    ("g37", "", "", [], [("crime", "youth", 3), ("substance", "youth", 2)], []),
    (
        "g38",
        "Refugee Health Group",
        "Health of refugees and asylum seekers of all ages.",
        ["refugees", "asylum seekers", "health"],
        [("migrants", "youth", 3), ("dementia", "older", 3)],
        [("migrants", "youth")],
    ),
    (
        "g39",
        "Self-harm Clinical Research",
        "Clinical studies of self-harm and suicide prevention in adults.",
        ["self-harm", "suicide", "adults"],
        [("self_harm", "adult", 6)],
        [("self_harm", "adult")],
    ),
    (
        "g40",
        "Kindergarten Quality Group",
        "Research on quality in early childhood education and care and transition to school.",
        ["kindergarten", "ECEC quality", "transition to school"],
        [("language", "early", 3), ("special_ed", "early", 2)],
        [("language", "early")],
    ),
]

# Needs: (id, language, topic, population, title, question, background).
NEEDS: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "n01",
        "nb",
        "absence",
        "youth",
        "Bekymringsfullt skolefravær i ungdomsskolen",
        "Hvilke tiltak reduserer bekymringsfullt skolefravær blant elever på ungdomstrinnet?",
        "Kommunen ser en økning i elever som blir hjemme over lang tid. Skolene, PPT og "
        "helsesykepleier mangler felles rutiner for å fange opp fraværet tidlig.",
    ),
    (
        "n02",
        "nn",
        "absence",
        "child",
        "Skulefråvær på barnesteget",
        "Korleis kan skulen og heimen saman førebyggje fråvær hjå dei yngste elevane?",
        "Fleire born i 1.–4. klasse har høgt fråvær. Vi veit lite om kva som fungerer for "
        "denne aldersgruppa og korleis foreldra kan involverast.",
    ),
    (
        "n03",
        "nb",
        "dropout",
        "youth",
        "Frafall i videregående skole",
        "Hva virker for å få flere elever til å fullføre videregående opplæring?",
        "Mange elever på yrkesfag slutter før de får læreplass. Oppfølgingstjenesten ønsker "
        "kunnskap om mentorordninger og samarbeid med NAV.",
    ),
    (
        "n04",
        "nn",
        "dropout",
        "youth",
        "Fråfall frå vidaregåande",
        "Kva kjenneteiknar ungdom som sluttar i vidaregåande, og kva tiltak hjelper?",
        "Fylket og kommunane vil samarbeide betre om ungdom som står i fare for å falle ut av "
        "skulen.",
    ),
    (
        "n05",
        "nb",
        "bullying",
        "child",
        "Mobbing på barnetrinnet",
        "Hvilke tiltak mot mobbing og krenkelser virker for elever på barnetrinnet?",
        "Elevundersøkelsen viser at mange elever på 5.–7. trinn opplever krenkelser, også på nett. "
        "Skolene trenger kunnskap om hva som virker.",
    ),
    (
        "n06",
        "nn",
        "bullying",
        "youth",
        "Digital mobbing blant ungdom",
        "Korleis kan skulen førebyggje nettmobbing blant ungdomsskuleelevar?",
        "Lærarane opplever at mykje av mobbinga skjer på sosiale medium utanfor skuletida.",
    ),
    (
        "n07",
        "nb",
        "language",
        "early",
        "Språkstimulering i barnehagen",
        "Hvordan kan barnehagene styrke språkutviklingen til flerspråklige barn?",
        "Mange barn begynner på skolen med svake norskferdigheter. Barnehagene ønsker å "
        "vite hvilke "
        "metoder som gir best effekt.",
    ),
    (
        "n08",
        "nn",
        "language",
        "early",
        "Språkvanskar hjå småborn",
        "Kva veit vi om tidleg kartlegging av språkvanskar i barnehage og på helsestasjon?",
        "Barnehagetilsette og helsesjukepleiarar er usikre på når born med sein språkutvikling "
        "skal tilvisast vidare.",
    ),
    (
        "n09",
        "nb",
        "special_ed",
        "child",
        "Spesialundervisning og PPT",
        "Hvordan kan PPT arbeide mer systemrettet for å redusere behovet for spesialundervisning?",
        "Andelen elever med spesialundervisning øker, og ventetiden på sakkyndig vurdering "
        "er lang.",
    ),
    (
        "n10",
        "nn",
        "special_ed",
        "child",
        "Inkludering av elevar med autisme",
        "Korleis kan skulen leggje til rette for elevar med autisme i ordinære klassar?",
        "Foreldre og lærarar etterlyser kunnskap om tilrettelegging og samarbeid med PPT.",
    ),
    (
        "n11",
        "nb",
        "foster",
        "child",
        "Stabile fosterhjemsplasseringer",
        "Hva bidrar til at fosterhjemsplasseringer for barn ikke bryter sammen?",
        "Barneverntjenesten har hatt flere brudd i plasseringer og vil vite mer om oppfølging og "
        "veiledning av fosterforeldre.",
    ),
    (
        "n12",
        "nn",
        "foster",
        "youth",
        "Ungdom i fosterheim",
        "Korleis kan barnevernstenesta betre følgje opp ungdom som bur i fosterheim?",
        "Fleire ungdomar flyttar frå fosterheimen før dei fyller 18. Tenesta manglar kunnskap om "
        "kva som hjelper.",
    ),
    (
        "n13",
        "nb",
        "aftercare",
        "young_adult",
        "Ettervern for unge voksne",
        "Hvordan kan kommunen gi bedre ettervern til unge som har vært i barnevernet?",
        "Mange unge voksne med barnevernserfaring står uten jobb og bolig. Barnevern og NAV vil "
        "samarbeide bedre.",
    ),
    (
        "n14",
        "nn",
        "aftercare",
        "young_adult",
        "Overgang til vaksenlivet etter barnevernet",
        "Kva treng unge vaksne som flyttar ut frå barnevernet for å klare seg sjølve?",
        "Kommunen vil byggje opp eit betre ettervern og treng kunnskap om erfaringane til dei "
        "unge.",
    ),
    (
        "n15",
        "nb",
        "residential",
        "youth",
        "Tvang i barnevernsinstitusjoner",
        "Hvordan kan bruken av tvang overfor ungdom i institusjon reduseres?",
        "Kommunen kjøper plasser i institusjoner og er bekymret for bruken av tvang og "
        "samarbeidet med BUP.",
    ),
    (
        "n16",
        "nb",
        "violence",
        "child",
        "Avdekking av vold mot barn",
        "Hvordan kan ansatte i barnehage og skole bli bedre til å oppdage vold og overgrep?",
        "Få bekymringsmeldinger om vold kommer fra skolene. Ansatte er usikre på tegn og på "
        "meldeplikten.",
    ),
    (
        "n17",
        "nn",
        "violence",
        "youth",
        "Ungdom som lever med vald i heimen",
        "Kva konsekvensar får det for ungdom å oppleve vald mellom foreldra, og korleis kan "
        "skulen hjelpe?",
        "Helsesjukepleiarane møter ungdomar som fortel om vald i familien.",
    ),
    (
        "n18",
        "nb",
        "parental_sud",
        "child",
        "Barn av foreldre med rusproblemer",
        "Hvordan kan tjenestene fange opp og følge opp barn som pårørende når foreldre ruser seg?",
        "Fastleger og rustjenesten melder sjelden bekymring. Barna blir ofte oppdaget sent.",
    ),
    (
        "n19",
        "nb",
        "conduct",
        "child",
        "Atferdsvansker hos barn på barnetrinnet",
        "Hvilke tiltak virker for barn med utagerende atferd i skolen og hjemme?",
        "Lærere rapporterer mer utagering i klasserommet, og foreldre etterspør hjelp.",
    ),
    (
        "n20",
        "nn",
        "conduct",
        "early",
        "Åtferdsvanskar i barnehagen",
        "Kva tidleg innsats hjelper born i barnehagealder med åtferdsvanskar?",
        "Barnehagane ser fleire born med aggresjon og ønskjer rettleiing og tiltak saman med "
        "foreldra.",
    ),
    (
        "n21",
        "nb",
        "trauma",
        "child",
        "Traumebevisst praksis",
        "Hvilken effekt har traumebevisst praksis i barnehage og skole for barn med "
        "traumeerfaringer?",
        "Kommunen vil innføre traumebevisst omsorg og ønsker kunnskap om effekt og implementering.",
    ),
    (
        "n22",
        "nn",
        "trauma",
        "youth",
        "Behandling av traume hjå ungdom",
        "Kva behandling har effekt for ungdom med posttraumatisk stress?",
        "BUP har lang ventetid, og kommunen vurderer eit eige tilbod.",
    ),
    (
        "n23",
        "nb",
        "anxiety",
        "youth",
        "Angst og depresjon blant ungdom",
        "Hvilke lavterskeltilbud virker for ungdom med angst og depresjon?",
        "Skolehelsetjenesten opplever økt pågang av ungdom med psykiske plager.",
    ),
    (
        "n24",
        "nn",
        "anxiety",
        "youth",
        "Psykisk helse i ungdomsskulen",
        "Kan universelle tiltak i skulen førebyggje angst hjå elevar?",
        "Kommunen vurderer eit skuleprogram for psykisk helse og livsmeistring.",
    ),
    (
        "n25",
        "nb",
        "self_harm",
        "youth",
        "Selvskading blant ungdom",
        "Hvordan kan kommunen forebygge selvskading og selvmordsforsøk blant ungdom?",
        "Legevakten og skolehelsetjenesten ser flere unge som skader seg selv.",
    ),
    (
        "n26",
        "nn",
        "self_harm",
        "young_adult",
        "Oppfølging etter sjølvmordsforsøk",
        "Korleis bør unge vaksne følgjast opp etter sjølvmordsforsøk?",
        "Det manglar rutinar mellom sjukehus og kommune for oppfølging.",
    ),
    (
        "n27",
        "nb",
        "substance",
        "youth",
        "Rusforebygging for ungdom",
        "Hvilke forebyggende tiltak reduserer alkohol- og cannabisbruk blant ungdom?",
        "Ungdata viser økt cannabisbruk. Politiet og utekontakten vil samarbeide om tiltak.",
    ),
    (
        "n28",
        "nn",
        "substance",
        "youth",
        "Rusbruk hjå ungdom",
        "Kva tidleg hjelp fungerer for ungdom som har byrja å bruke rusmiddel?",
        "Kommunen har eit lågterskeltilbod og vil vite kva metodar som verkar.",
    ),
    (
        "n29",
        "nb",
        "screen_sleep",
        "youth",
        "Skjermbruk og søvn",
        "Hvordan påvirker skjermbruk og sosiale medier søvnen til ungdom?",
        "Foreldre og skoler er bekymret for at ungdom sover for lite.",
    ),
    (
        "n30",
        "nb",
        "parenting",
        "early",
        "Foreldreveiledning for småbarnsforeldre",
        "Hvilke foreldreveiledningsprogram virker for foreldre til barn i barnehagealder?",
        "Kommunen vil tilby foreldreveiledning til alle og lurer på hvilket program som passer.",
    ),
    (
        "n31",
        "nn",
        "parenting",
        "child",
        "Foreldrerettleiing for familiar med skuleborn",
        "Korleis kan kommunen nå fleire foreldre med foreldrerettleiing?",
        "Det er få som deltek i gruppene, særleg familiar med minoritetsbakgrunn.",
    ),
    (
        "n32",
        "nb",
        "home_visit",
        "early",
        "Hjemmebesøk fra helsestasjonen",
        "Hvilken effekt har utvidede hjemmebesøk for førstegangsforeldre?",
        "Helsestasjonen vurderer å innføre Nye familier og trenger kunnskap om effekt.",
    ),
    (
        "n33",
        "nb",
        "neet",
        "young_adult",
        "Unge utenfor arbeid og utdanning",
        "Hva virker for å få unge voksne som står utenfor arbeid og skole i jobb?",
        "NAV-kontoret har mange unge på sosialhjelp og arbeidsavklaringspenger.",
    ),
    (
        "n34",
        "nn",
        "neet",
        "young_adult",
        "Unge vaksne utan jobb",
        "Kva tiltak hjelper unge vaksne med psykiske vanskar inn i arbeid?",
        "NAV vil prøve ut individuell jobbstøtte saman med helsetenesta.",
    ),
    (
        "n35",
        "nb",
        "crime",
        "youth",
        "Gjentatt ungdomskriminalitet",
        "Hva virker for å forebygge ny kriminalitet blant ungdom som har begått lovbrudd?",
        "Politiet og konfliktrådet ser en gruppe unge som begår mye kriminalitet.",
    ),
    (
        "n36",
        "nn",
        "crime",
        "youth",
        "Samarbeid mellom politi og skule",
        "Korleis kan politi, skule og barnevern samarbeide for å førebyggje kriminalitet?",
        "Politirådet i kommunen ønskjer betre informasjonsdeling.",
    ),
    (
        "n37",
        "nb",
        "migrants",
        "youth",
        "Enslige mindreårige flyktninger",
        "Hvordan kan kommunen støtte den psykiske helsen til enslige mindreårige flyktninger?",
        "Kommunen har bosatt mange unge flyktninger og ser behov for bedre oppfølging.",
    ),
    (
        "n38",
        "nn",
        "migrants",
        "child",
        "Nykomne elevar",
        "Korleis bør skulen leggje til rette for nykomne elevar med lite skulebakgrunn?",
        "Kommunen har innføringsklassar, men overgangen til ordinær klasse er vanskeleg.",
    ),
    (
        "n39",
        "nb",
        "absence",
        "youth",
        "Skolevegring og angst",
        "Hvordan kan skole og BUP samarbeide om elever som ikke klarer å gå på skolen på grunn av "
        "angst?",
        "Flere ungdommer er hjemme i lange perioder. Tjenestene samarbeider dårlig.",
    ),
    (
        "n40",
        "nn",
        "foster",
        "child",
        "Rekruttering av fosterheimar",
        "Kva verkemiddel fungerer for å rekruttere og halde på fosterforeldre?",
        "Kommunen manglar fosterheimar og må bruke institusjon for små born.",
    ),
]


def grade(need_topic: str, need_pop: str, labels: set[tuple[str, str]]) -> int:
    """The rules of README.md on the (topic, population) labels of a group."""
    if (need_topic, need_pop) in labels:
        return 3
    topics = {t for t, _ in labels}
    if need_topic in topics:
        return 2
    if any(frozenset((need_topic, t)) in ADJACENT and p == need_pop for t, p in labels):
        return 2
    if any(frozenset((need_topic, t)) in ADJACENT for t in topics):
        return 1
    if any(FIELD[t] == FIELD[need_topic] for t in topics):
        return 1
    return 0


def build() -> None:
    rng = random.Random(20261123)
    groups_out = []
    labels: dict[str, set[tuple[str, str]]] = {}
    for gid, name, description, keywords, pubs, profile in GROUPS:
        publications = []
        counter: dict[str, int] = {}
        for topic, pop, count in pubs:
            for _ in range(count):
                i = counter.get(topic, rng.randrange(len(PUBS[topic])))
                counter[topic] = i + 1
                publications.append(_publication(rng, topic, pop, i))
        rng.shuffle(publications)
        labels[gid] = {(p["_topic"], p["_pop"]) for p in publications} | set(profile)
        record = {"id": gid}
        if name:
            record["name"] = name
        if description:
            record["description"] = description
        if keywords:
            record["keywords"] = keywords
        record["publications"] = [
            {k: v for k, v in p.items() if not k.startswith("_")} for p in publications
        ]
        groups_out.append(record)
    with (HERE / "eval_groups.jsonl").open("w", encoding="utf-8") as handle:
        for record in groups_out:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (HERE / "eval_needs.jsonl").open("w", encoding="utf-8") as handle:
        for nid, _lang, _topic, _pop, title, question, background in NEEDS:
            row = {"id": nid, "title": title, "question": question, "background": background}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    with (HERE / "eval_judgements.jsonl").open("w", encoding="utf-8") as handle:
        for nid, _lang, topic, pop, *_ in NEEDS:
            for gid, *_ in GROUPS:
                rel = grade(topic, pop, labels[gid])
                handle.write(json.dumps({"need": nid, "group": gid, "relevance": rel}) + "\n")


if __name__ == "__main__":
    build()
