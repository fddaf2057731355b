"""Demo data for the priorities app: knowledge needs from the demo cluster's municipalities, a
closed prioritisation round with decisions and an open round that is partly scored.

Everything goes through the real use cases (needs.create_need, endorse, merge, withdraw;
rounds.create_round, put_scores, close_round, record_decision), so the rules, the need
history and the audit log are those of real use. Scores are drawn from a fixed random seed:
the same demo every time. The texts are about groups and practice, never about a person.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from klynge.auth.principal import Principal
from klynge.auth.service import load_principal
from klynge.auth.tables import Account
from klynge.db import transaction
from klynge.demo import CLUSTER_NAME
from klynge.orgs.tables import Cluster, Municipality, Service
from priorities import needs, rounds
from priorities import schemas as s
from priorities.tables import Need

SEED = 20261
CLOSED_ROUND = "Prioriteringsrunde høsten 2026"
OPEN_ROUND = "Prioriteringsrunde våren 2027"

# Service keys -> the names seeded by klynge.demo.SERVICES.
SERVICES = {
    "bv_bergen": "Barnevernstjenesten i Bergen",
    "hs_bergen": "Helsestasjon og skolehelsetjeneste, Bergen",
    "ppt_bergen": "PPT Bergen",
    "skole_askoy": "Askøy-skolen",
    "bv_askoy": "Askøy barneverntjeneste",
    "bhg_oygarden": "Barnehagane i Øygarden",
    "hs_bjorna": "Helsestasjonen i Bjørnafjorden",
    "nav_alver": "NAV Alver",
}

ADVISER = "fou@demo.klynge.no"

# The panel: (e-mail, stakeholder group, kommunenummer or None for researchers).
PANEL = [
    ("leder@demo.klynge.no", s.StakeholderGroup.LEADERS, "4601"),
    ("rektor@demo.klynge.no", s.StakeholderGroup.LEADERS, "4627"),
    ("navleiar@demo.klynge.no", s.StakeholderGroup.LEADERS, "4631"),
    ("ansatt@demo.klynge.no", s.StakeholderGroup.STAFF, "4627"),
    ("helsesjukepleiar@demo.klynge.no", s.StakeholderGroup.STAFF, "4624"),
    ("barnehage@demo.klynge.no", s.StakeholderGroup.STAFF, "4626"),
    ("bruker@demo.klynge.no", s.StakeholderGroup.USERS, "4601"),
    ("ungdom@demo.klynge.no", s.StakeholderGroup.USERS, "4626"),
    ("forsker@demo.klynge.no", s.StakeholderGroup.RESEARCHERS, None),
    ("rkbu@demo.klynge.no", s.StakeholderGroup.RESEARCHERS, None),
]

# How far each rater has come in the open round: share of its needs scored, and finished.
OPEN_PROGRESS = {
    "leder@demo.klynge.no": (0.5, False),
    "rektor@demo.klynge.no": (1.0, True),
    "navleiar@demo.klynge.no": (0.6, False),
    "ansatt@demo.klynge.no": (0.25, False),
    "helsesjukepleiar@demo.klynge.no": (1.0, True),
    "barnehage@demo.klynge.no": (0.0, False),
    "bruker@demo.klynge.no": (0.4, False),
    "ungdom@demo.klynge.no": (1.0, True),
    "forsker@demo.klynge.no": (0.0, False),
    "rkbu@demo.klynge.no": (1.0, True),
}

PREVENTION = s.PreventionLevel
USE = s.IntendedUse


@dataclass(frozen=True)
class DemoNeed:
    key: str
    municipality: str  # kommunenummer
    submitter: str  # e-mail of a demo user
    service: str | None  # the submitting service (key), in the municipality
    services: tuple[str, ...]
    title: str
    question: str
    background: str
    target_group: str
    ages: tuple[int, int]
    prevention: s.PreventionLevel
    use: s.IntendedUse
    fate: str  # closed | open | submitted | draft | withdrawn | merge:<key>
    language: str = "nb"
    # Where the panel tends to land (nytte, alvorlighet, ressurs) on the 1–5 scales.
    profile: tuple[float, float, float] = (3.5, 3.5, 3.0)
    endorsements: tuple[tuple[str, str | None, str], ...] = field(default_factory=tuple)


NEEDS: list[DemoNeed] = [
    # --- in the closed round (autumn 2026) -------------------------------------------------
    DemoNeed(
        key="fravaer",
        municipality="4627",
        submitter="rektor@demo.klynge.no",
        service="skole_askoy",
        services=("skole_askoy", "bv_askoy"),
        title="Skolefravær og samarbeid mellom skole og barnevern",
        question=(
            "Hvilke modeller for samarbeid mellom skole og barnevern reduserer bekymringsfullt "
            "skolefravær blant elever på ungdomstrinnet, og hva kjennetegner modellene som virker?"
        ),
        background=(
            "Andelen elever med høyt fravær på ungdomstrinnet har økt de siste årene. Skolen "
            "melder bekymring sent, og barnevernet kommer ofte inn når fraværet har vart lenge. "
            "Vi mangler kunnskap om hvilke samarbeidsrutiner som gir effekt."
        ),
        target_group="Elever på ungdomstrinnet med bekymringsfullt fravær og familiene deres",
        ages=(12, 16),
        prevention=PREVENTION.SELECTED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="closed",
        profile=(4.5, 4.2, 3.0),
        endorsements=(
            (
                "leder@demo.klynge.no",
                "bv_bergen",
                "Barnevernet i Bergen ser det samme mønsteret og vil gjerne være med.",
            ),
            (
                "navleiar@demo.klynge.no",
                "nav_alver",
                "Fråvær i ungdomsskulen er ofte starten på fråfall seinare. Vi har same behov.",
            ),
        ),
    ),
    DemoNeed(
        key="sprak_overgang",
        municipality="4626",
        submitter="barnehage@demo.klynge.no",
        service="bhg_oygarden",
        services=("bhg_oygarden", "ppt_bergen"),
        title="Overgangen frå barnehage til skule for barn med språkvanskar",
        question=(
            "Kva for tiltak i overgangen frå barnehage til skule gjer at barn med språkvanskar "
            "meistrar det første skuleåret betre, og korleis bør barnehage, skule og PPT dele "
            "ansvaret?"
        ),
        background=(
            "Barnehagane kartlegg språk, men informasjonen kjem ikkje alltid fram til skulen. "
            "Lærarane fortel at tiltak startar på nytt etter skulestart, og at mange månader "
            "går tapt."
        ),
        target_group="Barn med språkvanskar i siste barnehageår og første skuleår",
        ages=(4, 7),
        prevention=PREVENTION.INDICATED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="closed",
        language="nn",
        profile=(4.0, 3.4, 2.4),
        endorsements=(
            (
                "leder@demo.klynge.no",
                None,
                "Bergen har tilsvarende utfordringer ved skolestart.",
            ),
        ),
    ),
    DemoNeed(
        key="foreldre_psykisk",
        municipality="4624",
        submitter="helsesjukepleiar@demo.klynge.no",
        service="hs_bjorna",
        services=("hs_bjorna",),
        title="Tidleg innsats i helsestasjonen for foreldre med psykiske vanskar",
        question=(
            "Kva veit vi om effekten av strukturert kartlegging og rettleiing i helsestasjonen "
            "når foreldre har psykiske vanskar, for samspelet mellom foreldre og spedbarn?"
        ),
        background=(
            "Helsestasjonen møter nesten alle småbarnsfamiliar. Vi ser at fleire foreldre "
            "strevar psykisk, men har få verktøy ut over vanlege konsultasjonar."
        ),
        target_group="Spedbarn og småbarn der mor eller far har psykiske vanskar",
        ages=(0, 2),
        prevention=PREVENTION.SELECTED,
        use=USE.EVALUATE_MEASURE,
        fate="closed",
        language="nn",
        profile=(4.2, 4.0, 2.4),
    ),
    DemoNeed(
        key="nav_vgs",
        municipality="4631",
        submitter="navleiar@demo.klynge.no",
        service="nav_alver",
        services=("nav_alver", "skole_askoy"),
        title="Ungdom som fell ut av vidaregåande skule og oppfølging frå NAV",
        question=(
            "Kva kjenneteiknar oppfølging frå NAV som får ungdom som har slutta i vidaregåande "
            "tilbake i skule eller arbeid, og korleis kan NAV og skulen samarbeide før "
            "fråfallet skjer?"
        ),
        background=(
            "Mange unge som kjem til NAV har avbrote vidaregåande. Oppfølginga startar ofte "
            "fleire månader etter at dei slutta, og tiltaka er lite tilpassa unge."
        ),
        target_group="Ungdom 16–24 år som har avbrote eller står i fare for å avbryte "
        "vidaregåande opplæring",
        ages=(16, 24),
        prevention=PREVENTION.INDICATED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="closed",
        language="nn",
        profile=(4.3, 4.3, 3.3),
    ),
    DemoNeed(
        key="digital_mobbing",
        municipality="4601",
        submitter="bruker@demo.klynge.no",
        service=None,
        services=("hs_bergen", "ppt_bergen"),
        title="Digital mobbing blant barn og unge",
        question=(
            "Hvilke skolebaserte tiltak mot digital mobbing har dokumentert effekt for elever "
            "på mellomtrinnet og ungdomstrinnet, og hvordan kan elevene selv involveres?"
        ),
        background=(
            "Ungdomsrådet forteller at mye av mobbingen skjer i sosiale medier og "
            "meldingsapper, utenfor skoletid. De voksne vet ofte ikke hva som skjer."
        ),
        target_group="Elever på mellomtrinnet og ungdomstrinnet",
        ages=(10, 16),
        prevention=PREVENTION.UNIVERSAL,
        use=USE.SERVICE_DEVELOPMENT,
        fate="closed",
        profile=(3.8, 3.6, 2.8),
    ),
    DemoNeed(
        key="minoritet",
        municipality="4601",
        submitter="leder@demo.klynge.no",
        service="bv_bergen",
        services=("bv_bergen", "hs_bergen"),
        title="Minoritetsfamilier og barnevernet",
        question=(
            "Hvordan kan barnevernstjenesten og helsestasjonen bygge tillit hos familier med "
            "minoritetsbakgrunn, slik at bekymringer fanges opp tidlig og hjelpetiltak "
            "oppleves som hjelp?"
        ),
        background=(
            "Familier med minoritetsbakgrunn er overrepresentert i undersøkelser, men "
            "underrepresentert i frivillige hjelpetiltak. Mistillit og språk er kjente "
            "barrierer."
        ),
        target_group="Barn og foreldre med minoritetsbakgrunn som møter barnevernet",
        ages=(0, 18),
        prevention=PREVENTION.SELECTED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="closed",
        profile=(4.0, 3.9, 3.0),
    ),
    DemoNeed(
        key="ettervern",
        municipality="4601",
        submitter="leder@demo.klynge.no",
        service="bv_bergen",
        services=("bv_bergen", "nav_alver"),
        title="Ettervern etter fylte 18 år",
        question=(
            "Hvilke former for ettervern gir unge voksne som har hatt tiltak fra barnevernet "
            "en stabil overgang til bolig, utdanning og arbeid, og hvordan bør barnevern og "
            "NAV dele ansvaret?"
        ),
        background=(
            "Etter barnevernsloven av 2023 har unge rett til ettervern til fylte 25 år. "
            "Mange takker nei ved 18 år og kommer tilbake senere med større vansker."
        ),
        target_group="Unge voksne 18–24 år som har hatt tiltak fra barnevernet",
        ages=(18, 24),
        prevention=PREVENTION.INDICATED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="closed",
        profile=(3.5, 4.1, 3.7),
        endorsements=(
            (
                "navleiar@demo.klynge.no",
                "nav_alver",
                "NAV Alver møter desse ungdomane og treng betre samarbeid med barnevernet.",
            ),
        ),
    ),
    DemoNeed(
        key="bup_ventetid",
        municipality="4624",
        submitter="helsesjukepleiar@demo.klynge.no",
        service="hs_bjorna",
        services=("hs_bjorna", "ppt_bergen"),
        title="Ventetid i BUP og kommunale lågterskeltilbod",
        question=(
            "Kva for kommunale lågterskeltilbod til barn og unge med angst og depresjon verkar "
            "medan dei ventar på BUP, og kven har best nytte av dei?"
        ),
        background=(
            "Ventetida i BUP er lang, og skulehelsetenesta står att med ungdom som treng "
            "hjelp no. Vi veit lite om kva tilbod som gjer ein skilnad i ventetida."
        ),
        target_group="Barn og unge med angst eller depresjon som er tilviste til BUP",
        ages=(8, 18),
        prevention=PREVENTION.INDICATED,
        use=USE.EVALUATE_MEASURE,
        fate="closed",
        language="nn",
        profile=(4.4, 4.5, 3.0),
        endorsements=(
            (
                "ungdom@demo.klynge.no",
                None,
                "Ungdomsrådet i Øygarden meiner dette er det viktigaste for unge hos oss.",
            ),
            (
                "rektor@demo.klynge.no",
                "skole_askoy",
                "Skolene på Askøy ser de samme ventetidene.",
            ),
        ),
    ),
    DemoNeed(
        key="rus_ungdomsskole",
        municipality="4627",
        submitter="rektor@demo.klynge.no",
        service="skole_askoy",
        services=("skole_askoy",),
        title="Rusforebygging i ungdomsskolen",
        question=(
            "Hvilke universelle rusforebyggende programmer i ungdomsskolen har effekt i norske "
            "kommuner, og hva skal til for å gjennomføre dem slik de er ment?"
        ),
        background=(
            "Skolene bruker ulike opplegg, ofte uten å vite om de virker. Ungdataundersøkelsen "
            "viser økt bruk av cannabis i de eldste årskullene."
        ),
        target_group="Alle elever på ungdomstrinnet",
        ages=(13, 16),
        prevention=PREVENTION.UNIVERSAL,
        use=USE.EVALUATE_MEASURE,
        fate="closed",
        profile=(3.3, 3.1, 2.6),
    ),
    DemoNeed(
        key="lavinntekt",
        municipality="4631",
        submitter="navleiar@demo.klynge.no",
        service="nav_alver",
        services=("nav_alver", "hs_bjorna"),
        title="Barn i familiar med låg inntekt",
        question=(
            "Korleis kan NAV og helsestasjonen saman nå familiar med varig låg inntekt, slik "
            "at barna får delta i fritidsaktivitetar og får tidleg hjelp ved behov?"
        ),
        background=(
            "Talet på barn i familiar med varig låg inntekt aukar. Familiane har kontakt med "
            "fleire tenester, men tilboda heng lite saman."
        ),
        target_group="Barn og foreldre i familiar med varig låg inntekt",
        ages=(0, 18),
        prevention=PREVENTION.SELECTED,
        use=USE.DECISION,
        fate="closed",
        language="nn",
        profile=(3.7, 3.4, 3.6),
    ),
    DemoNeed(
        key="barn_parorende",
        municipality="4601",
        submitter=ADVISER,
        service="hs_bergen",
        services=("hs_bergen", "bv_bergen"),
        title="Barn som pårørende",
        question=(
            "Hvordan bør helsestasjon og skolehelsetjeneste følge opp barn som pårørende til "
            "foreldre med rusproblemer eller psykisk sykdom, og hvilke samtaletilbud styrker "
            "barnas mestring?"
        ),
        background=(
            "Helsepersonell har plikt til å ivareta barn som pårørende, men rutinene varierer. "
            "Barna blir ofte ikke spurt om hvordan de har det."
        ),
        target_group="Barn og unge som er pårørende til foreldre med rus- eller psykiske "
        "helseproblemer",
        ages=(6, 18),
        prevention=PREVENTION.SELECTED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="closed",
        profile=(4.0, 4.0, 2.7),
    ),
    DemoNeed(
        key="skolehelse",
        municipality="4601",
        submitter=ADVISER,
        service="hs_bergen",
        services=("hs_bergen",),
        title="Skolehelsetjenestens rolle i psykisk helse",
        question=(
            "Hva bør skolehelsetjenesten gjøre for elever med lettere psykiske plager, og "
            "hvilke samtalebaserte tiltak har effekt?"
        ),
        background=(
            "Flere elever oppsøker helsesykepleier med stress, søvnvansker og nedstemthet. "
            "Tjenesten ønsker å vite hvilke tiltak som hjelper."
        ),
        target_group="Elever i grunnskole og videregående med lettere psykiske plager",
        ages=(10, 19),
        prevention=PREVENTION.SELECTED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="closed",
        profile=(3.9, 3.4, 2.6),
    ),
    # --- in the open round (spring 2027) ---------------------------------------------------
    DemoNeed(
        key="fosterhjem_skole",
        municipality="4627",
        submitter="rektor@demo.klynge.no",
        service="skole_askoy",
        services=("skole_askoy", "bv_askoy", "ppt_bergen"),
        title="Barn i fosterhjem og skolen",
        question=(
            "Hvilke tiltak i skolen styrker læringen og trivselen til barn i fosterhjem, og "
            "hvordan bør skole, barnevern og PPT samarbeide om dem?"
        ),
        background=(
            "Barn i fosterhjem har svakere skoleresultater enn jevnaldrende. Bytter av skole "
            "og lite informasjonsdeling gjør oppfølgingen vanskelig."
        ),
        target_group="Barn og unge i fosterhjem i grunnskolealder",
        ages=(6, 16),
        prevention=PREVENTION.INDICATED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="open",
        profile=(4.1, 4.0, 3.0),
        endorsements=(
            (
                "leder@demo.klynge.no",
                "bv_bergen",
                "Barnevernet i Bergen ønsker samme kunnskap.",
            ),
        ),
    ),
    DemoNeed(
        key="sma_kommunar",
        municipality="4626",
        submitter="barnehage@demo.klynge.no",
        service="bhg_oygarden",
        services=("bhg_oygarden", "hs_bjorna", "bv_askoy"),
        title="Tverrfagleg samarbeid i små kommunar",
        question=(
            "Kva for modellar for tverrfagleg samarbeid om utsette barn fungerer i små "
            "kommunar med få tilsette i kvar teneste og lange avstandar?"
        ),
        background=(
            "Modellane vi høyrer om er utvikla i store byar. Hos oss har kvar teneste få "
            "tilsette, og same fagperson har mange roller."
        ),
        target_group="Utsette barn og unge og tenestene rundt dei i små kommunar",
        ages=(0, 18),
        prevention=PREVENTION.SELECTED,
        use=USE.DECISION,
        fate="open",
        language="nn",
        profile=(3.9, 3.5, 3.2),
    ),
    DemoNeed(
        key="foreldrerettleiing",
        municipality="4624",
        submitter="helsesjukepleiar@demo.klynge.no",
        service="hs_bjorna",
        services=("hs_bjorna", "bhg_oygarden"),
        title="Foreldrerettleiing i grupper: ICDP og De utrolige åra",
        question=(
            "Kva for foreldrerettleiingsprogram, til dømes ICDP eller De utrolige åra, gir "
            "best effekt for foreldre til småbarn i ein kommune som vår, og kva krev dei av "
            "opplæring og ressursar?"
        ),
        background=(
            "Kommunen vurderer å byggje opp foreldrerettleiing i grupper. Vi treng kunnskap "
            "om effekt og om kva det kostar å halde programma ved like."
        ),
        target_group="Foreldre til barn 0–8 år",
        ages=(0, 8),
        prevention=PREVENTION.UNIVERSAL,
        use=USE.EVALUATE_MEASURE,
        fate="open",
        language="nn",
        profile=(3.6, 3.0, 3.1),
    ),
    DemoNeed(
        key="vold",
        municipality="4601",
        submitter="leder@demo.klynge.no",
        service="bv_bergen",
        services=("bv_bergen", "hs_bergen", "bhg_oygarden"),
        title="Vold i nære relasjoner – å fange opp barna",
        question=(
            "Hvordan kan barnehage, skole og helsestasjon oppdage og følge opp barn som lever "
            "med vold i nære relasjoner, og hvilke rutiner for samarbeid med barnevern og "
            "politi virker?"
        ),
        background=(
            "Barn som lever med vold oppdages ofte sent. Ansatte er usikre på hva de skal "
            "spørre om og når de skal melde bekymring."
        ),
        target_group="Barn og unge som lever med vold i familien",
        ages=(0, 18),
        prevention=PREVENTION.SELECTED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="open",
        profile=(4.5, 4.8, 3.2),
    ),
    DemoNeed(
        key="samtaler_barn",
        municipality="4601",
        submitter="leder@demo.klynge.no",
        service="bv_bergen",
        services=("bv_bergen",),
        title="Samtaler med barn i barnevernsundersøkelser",
        question=(
            "Hvilke metoder for samtaler med barn gir barn i barnevernsundersøkelser reell "
            "medvirkning, og hvordan påvirker samtalene beslutningene som tas?"
        ),
        background=(
            "Barn har rett til å bli hørt, men dokumentasjonen viser at samtalene ofte er korte "
            "og at barnas synspunkter sjelden blir synlige i vedtakene."
        ),
        target_group="Barn og unge i barnevernsundersøkelser",
        ages=(4, 18),
        prevention=PREVENTION.INDICATED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="open",
        profile=(3.9, 3.8, 2.5),
    ),
    DemoNeed(
        key="ungdomsmedverknad",
        municipality="4626",
        submitter="ungdom@demo.klynge.no",
        service=None,
        services=("bv_askoy", "hs_bjorna"),
        title="Ungdom som medverkar i utvikling av tenester",
        question=(
            "Korleis kan ungdom med erfaring frå barnevern og psykisk helsevern vere med og "
            "utvikle kommunale tenester, utan at det blir ei belastning for dei?"
        ),
        background=(
            "Ungdomsrådet blir spurt om å vere med i mange prosjekt, men får sjeldan vite "
            "kva innspela førte til."
        ),
        target_group="Ungdom med erfaring frå barnevern eller psykisk helsevern",
        ages=(13, 24),
        prevention=PREVENTION.UNIVERSAL,
        use=USE.SERVICE_DEVELOPMENT,
        fate="open",
        language="nn",
        profile=(3.4, 2.9, 2.2),
    ),
    DemoNeed(
        key="ppt_ventetid",
        municipality="4601",
        submitter=ADVISER,
        service="ppt_bergen",
        services=("ppt_bergen", "skole_askoy"),
        title="Ventetid i PPT og tidlig innsats i skolen",
        question=(
            "Hvordan påvirker ventetid på sakkyndig vurdering fra PPT elevenes læring, og "
            "hvilke tiltak kan skolen sette inn mens elevene venter?"
        ),
        background=(
            "Ventetiden på sakkyndig vurdering er flere måneder. Skolene venter ofte med "
            "tiltak til vurderingen foreligger."
        ),
        target_group="Elever som er henvist til PPT",
        ages=(6, 16),
        prevention=PREVENTION.INDICATED,
        use=USE.DECISION,
        fate="open",
        profile=(3.8, 3.3, 2.9),
    ),
    DemoNeed(
        key="skjerm_sovn",
        municipality="4627",
        submitter="ansatt@demo.klynge.no",
        service="skole_askoy",
        services=("skole_askoy", "hs_bergen"),
        title="Skjermbruk, søvn og skolefungering",
        question=(
            "Hva vet vi om sammenhengen mellom skjermbruk, søvn og skolefungering hos ungdom, "
            "og hvilke råd bør skolen og skolehelsetjenesten gi foreldre?"
        ),
        background=(
            "Lærere ser trøtte elever i første time. Foreldre spør skolen om råd, og rådene "
            "spriker."
        ),
        target_group="Elever på ungdomstrinnet og foreldrene deres",
        ages=(12, 18),
        prevention=PREVENTION.UNIVERSAL,
        use=USE.OTHER,
        fate="open",
        profile=(3.2, 2.8, 2.0),
    ),
    # --- submitted, waiting for a round ----------------------------------------------------
    DemoNeed(
        key="hybel",
        municipality="4631",
        submitter="navleiar@demo.klynge.no",
        service="nav_alver",
        services=("nav_alver", "hs_bjorna"),
        title="Hybelbuarar i vidaregåande skule",
        question=(
            "Korleis kan kommunen følgje opp ungdom som bur på hybel for å gå på vidaregåande, "
            "slik at færre fell frå og færre blir einsame?"
        ),
        background=(
            "Mange ungdomar frå distriktet må flytte på hybel som 15–16-åringar. Dei har lite "
            "vaksenkontakt i kvardagen."
        ),
        target_group="Ungdom som bur på hybel for å gå på vidaregåande",
        ages=(15, 19),
        prevention=PREVENTION.SELECTED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="submitted",
        language="nn",
        endorsements=(
            (
                "helsesjukepleiar@demo.klynge.no",
                "hs_bjorna",
                "Skulehelsetenesta i Bjørnafjorden møter mange hybelbuarar.",
            ),
        ),
    ),
    DemoNeed(
        key="fritid_funksjon",
        municipality="4627",
        submitter="ansatt@demo.klynge.no",
        service="skole_askoy",
        services=("skole_askoy",),
        title="Fritidsaktiviteter for barn med funksjonsnedsettelser",
        question=(
            "Hvilke tiltak gjør at barn med funksjonsnedsettelser deltar i ordinære "
            "fritidsaktiviteter, og hva hindrer dem i å delta?"
        ),
        background=(
            "Skolen ser at elever med funksjonsnedsettelser sjelden er med på aktiviteter "
            "etter skoletid."
        ),
        target_group="Barn og unge med funksjonsnedsettelser",
        ages=(6, 18),
        prevention=PREVENTION.UNIVERSAL,
        use=USE.DECISION,
        fate="submitted",
    ),
    DemoNeed(
        key="atferd_barnehage",
        municipality="4626",
        submitter="barnehage@demo.klynge.no",
        service="bhg_oygarden",
        services=("bhg_oygarden", "ppt_bergen"),
        title="Tidleg innsats i barnehagen ved åtferdsvanskar",
        question=(
            "Kva for tiltak i barnehagen førebyggjer at tidlege åtferdsvanskar utviklar seg, "
            "og kva rolle bør PPT ha i arbeidet?"
        ),
        background=(
            "Tilsette i barnehagane opplever fleire barn med utfordrande åtferd og ønskjer "
            "tiltak som kan brukast i kvardagen."
        ),
        target_group="Barnehagebarn med tidlege teikn på åtferdsvanskar",
        ages=(1, 6),
        prevention=PREVENTION.SELECTED,
        use=USE.EVALUATE_MEASURE,
        fate="submitted",
        language="nn",
    ),
    # --- a near-duplicate that the adviser merges into "digital_mobbing" -------------------
    DemoNeed(
        key="nettmobbing",
        municipality="4627",
        submitter="ansatt@demo.klynge.no",
        service="skole_askoy",
        services=("skole_askoy",),
        title="Nettmobbing på ungdomstrinnet",
        question=(
            "Hva virker mot mobbing på nett og i sosiale medier blant elever på "
            "ungdomstrinnet, og hvordan kan skolen samarbeide med foreldrene om det?"
        ),
        background=(
            "Lærerne får vite om nettmobbing først når konfliktene tar seg opp i skoletiden."
        ),
        target_group="Elever på ungdomstrinnet",
        ages=(12, 16),
        prevention=PREVENTION.UNIVERSAL,
        use=USE.SERVICE_DEVELOPMENT,
        fate="merge:digital_mobbing",
        endorsements=(
            (
                "ungdom@demo.klynge.no",
                None,
                "Ungdomsrådet i Øygarden er oppteke av dette.",
            ),
        ),
    ),
    # --- drafts and a withdrawn need --------------------------------------------------------
    DemoNeed(
        key="bup_vop",
        municipality="4601",
        submitter="bruker@demo.klynge.no",
        service=None,
        services=("hs_bergen",),
        title="Overgangen fra BUP til voksenpsykiatrien",
        question=(
            "Hvordan opplever ungdom overgangen fra BUP til voksenpsykiatrien ved 18 år, og "
            "hva kan kommunen gjøre for at færre faller ut av behandlingen?"
        ),
        background="Utkast fra ungdomsrådet – skal drøftes på neste møte.",
        target_group="Ungdom 16–24 år i psykisk helsevern",
        ages=(16, 24),
        prevention=PREVENTION.INDICATED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="draft",
    ),
    DemoNeed(
        key="aap_unge",
        municipality="4631",
        submitter="navleiar@demo.klynge.no",
        service="nav_alver",
        services=("nav_alver",),
        title="Unge under 25 år med arbeidsavklaringspengar",
        question=(
            "Kva kjenneteiknar forløpet til unge under 25 år som får arbeidsavklaringspengar, "
            "og kva tidleg hjelp kunne ha endra forløpet?"
        ),
        background="Utkast – vi hentar inn tal frå eige kontor før innsending.",
        target_group="Unge under 25 år med nedsett arbeidsevne",
        ages=(18, 24),
        prevention=PREVENTION.INDICATED,
        use=USE.DECISION,
        fate="draft",
        language="nn",
    ),
    DemoNeed(
        key="svangerskap",
        municipality="4624",
        submitter="helsesjukepleiar@demo.klynge.no",
        service="hs_bjorna",
        services=("hs_bjorna",),
        title="Tidleg kontakt med sårbare familiar i svangerskapet",
        question=(
            "Korleis kan jordmor og helsestasjon kome tidleg i kontakt med sårbare familiar "
            "allereie i svangerskapet?"
        ),
        background="Behovet vart meldt inn før vi kjende til eit regionalt prosjekt.",
        target_group="Vordande foreldre i sårbare livssituasjonar",
        ages=(0, 1),
        prevention=PREVENTION.SELECTED,
        use=USE.SERVICE_DEVELOPMENT,
        fate="withdrawn",
        language="nn",
    ),
]

WITHDRAW_REASON = (
    "Spørsmålet blir dekt av eit pågåande regionalt prosjekt i helseføretaket. "
    "Vi trekkjer behovet for å unngå dobbeltarbeid."
)
MERGE_REASON = (
    "Same spørsmål om digital mobbing frå Bergen og Askøy. Slått saman så begge kommunane står "
    "som innsendarar og alle tenestene følgjer med."
)

COMMENTS = [
    "Dette ser vi mye av hos oss.",
    "Usikker på hvor mye det vil koste å ta i bruk svaret.",
    "Viktig for dei minste kommunane.",
    "Kunnskapen finnes delvis – bør sjekkes mot oppsummert forskning.",
    "Ungdommene vi snakket med, løftet dette som viktig.",
    "Tiltaket krev samarbeid på tvers, det tek tid.",
]

# The adviser's decisions after the closed round, in the order of the computed rank: the
# first four are prioritised, «ettervern» is prioritised against its rank (with a reason),
# the next two not prioritised, one deferred, two left for the next meeting.
DEPARTURE = "ettervern"
DEPARTS_REASON = (
    "Ettervern er ranket lavere fordi gruppen er liten og ressursbehovet stort. Klyngens "
    "styringsgruppe legger vekt på at barnevernsloven av 2023 gir rett til ettervern til 25 "
    "år, at kommunene må bygge tjenesten nå, og at konsekvensene for de unge er alvorlige og "
    "varige. Behovet løftes derfor foran behov med høyere skår."
)

JUSTIFICATIONS = {
    "prioritised": (
        "Prioritert: høy samlet vurdering av nytte og alvorlighet, og panelet var i stor grad "
        "enig. Behovet deles av flere kommuner."
    ),
    "not_prioritised": (
        "Ikke prioritert nå: lavere samlet vurdering enn de prioriterte behovene, og mye av "
        "kunnskapen finnes i eksisterende oppsummeringer som kan formidles direkte."
    ),
    "deferred": (
        "Utsatt til neste runde: behovet er viktig, men bør ses i sammenheng med en nasjonal "
        "kunnskapsoppsummering som er varslet neste år."
    ),
}

FRAME = (
    "Kriteriene er inspirert av Blankholm-kriteriene (Meld. St. 38 (2020–2021)) og brukes "
    "analogt for skole, barnehage, barnevern og NAV. Klyngen har midler til to til fire "
    "FoU-prosjekter i 2027, i samarbeid med RKBU Vest og Høgskulen på Vestlandet."
)
PARTICIPATION = (
    "Panelet hadde ti deltakere i fire grupper: tjenesteledere, ansatte, ungdom og "
    "brukerrepresentanter, og forskere, fra Bergen, Askøy, Øygarden, Bjørnafjorden og Alver. "
    "Gruppene teller likt i rangeringen."
)
EQUAL_ACCESS = (
    "Svaret skal kunne brukes av både store og små kommuner i klyngen, også der tjenestene har "
    "få ansatte."
)


@dataclass
class _Ctx:
    cluster: int
    muni: dict[str, int]
    services: dict[str, int]
    actors: dict[str, Principal]
    need_ids: dict[str, int] = field(default_factory=dict)


async def _context() -> _Ctx | None:
    cluster = await Cluster.select(Cluster.id).where(Cluster.name == CLUSTER_NAME).first()
    if cluster is None:
        return None
    muni = {
        r["number"]: r["id"]
        for r in await Municipality.select(Municipality.id, Municipality.number).where(
            Municipality.valid_to.is_null()
        )
    }
    services = {r["name"]: r["id"] for r in await Service.select(Service.id, Service.name)}
    emails = {ADVISER, *(n.submitter for n in NEEDS), *(p[0] for p in PANEL)}
    emails |= {e[0] for n in NEEDS for e in n.endorsements}
    accounts = {
        r["email"]: r["id"]
        for r in await Account.select(Account.id, Account.email).where(
            Account.email.is_in(sorted(emails))
        )
    }
    actors: dict[str, Principal] = {}
    for email in sorted(emails):
        if email not in accounts:
            return None  # an older core demo without the panel accounts: nothing to build on
        principal = await load_principal(accounts[email])
        if principal is None:
            return None
        actors[email] = principal
    return _Ctx(
        cluster=cluster["id"],
        muni=muni,
        services={key: services[name] for key, name in SERVICES.items() if name in services},
        actors=actors,
    )


async def seed_demo() -> bool:
    """Seed the priorities demo once, on top of the core demo cluster. Returns False when the
    cluster already has knowledge needs (or the core demo is missing)."""
    ctx = await _context()
    if ctx is None or await Need.exists().where(Need.cluster == ctx.cluster):
        return False
    rng = random.Random(SEED)  # noqa: S311 (demo scores, not security)
    async with transaction():
        await _create_needs(ctx)
        closed = await _closed_round(ctx, rng)
        await _decide(ctx, closed)
        await _open_round(ctx, rng)
    return True


async def _create_needs(ctx: _Ctx) -> None:
    for need in NEEDS:
        actor = ctx.actors[need.submitter]
        out = await needs.create_need(
            actor,
            s.NeedCreate(
                cluster_id=ctx.cluster,
                municipality_id=ctx.muni[need.municipality],
                title=need.title,
                question=need.question,
                background=need.background,
                target_group=need.target_group,
                service_ids=[ctx.services[k] for k in need.services],
                service_id=ctx.services[need.service] if need.service else None,
                prevention_level=need.prevention,
                intended_use=need.use,
                age_from=need.ages[0],
                age_to=need.ages[1],
                language=need.language,
                submit=need.fate != "draft",
            ),
        )
        ctx.need_ids[need.key] = out.id
        for email, service, note in need.endorsements:
            endorser = ctx.actors[email]
            await needs.endorse(
                endorser,
                out.id,
                s.EndorsementCreate(
                    municipality_id=min(endorser.municipality_ids),
                    service_id=ctx.services[service] if service else None,
                    note=note,
                ),
            )
    adviser = ctx.actors[ADVISER]
    for need in NEEDS:
        if need.fate.startswith("merge:"):
            await needs.merge(
                adviser,
                s.MergeRequest(
                    target_id=ctx.need_ids[need.fate.removeprefix("merge:")],
                    source_ids=[ctx.need_ids[need.key]],
                    reason=MERGE_REASON,
                ),
            )
        elif need.fate == "withdrawn":
            await needs.withdraw_need(
                ctx.actors[need.submitter],
                ctx.need_ids[need.key],
                s.Transition(reason=WITHDRAW_REASON),
            )


def _raters(ctx: _Ctx) -> list[s.RaterIn]:
    return [
        s.RaterIn(
            account_id=ctx.actors[email].account_id,
            group=group,
            municipality_id=ctx.muni[number] if number else None,
        )
        for email, group, number in PANEL
    ]


def _answer(rng: random.Random, mean: float, bias: float, blank: float) -> int:
    if rng.random() < blank:
        return 0  # "kan ikke vurdere"
    return max(1, min(5, round(mean + bias + rng.gauss(0, 0.75))))


def _score(rng: random.Random, need: DemoNeed, group: s.StakeholderGroup) -> s.ScoreIn:
    nytte, alvorlighet, ressurs = need.profile
    # Youth and user representatives often cannot judge what an answer costs.
    blank_ressurs = 0.3 if group is s.StakeholderGroup.USERS else 0.05
    return s.ScoreIn(
        need_id=0,
        nytte=_answer(rng, nytte, rng.gauss(0, 0.25), 0.03),
        alvorlighet=_answer(rng, alvorlighet, rng.gauss(0, 0.25), 0.03),
        ressurs=_answer(rng, ressurs, rng.gauss(0, 0.25), blank_ressurs),
        comment=rng.choice(COMMENTS) if rng.random() < 0.12 else "",
    )


async def _score_round(
    ctx: _Ctx,
    rng: random.Random,
    round_id: int,
    round_needs: list[DemoNeed],
    progress: dict[str, tuple[float, bool]] | None = None,
) -> None:
    for email, group, _number in PANEL:
        share, finished = progress[email] if progress else (1.0, True)
        count = round(share * len(round_needs))
        items = []
        for need in round_needs[:count]:
            item = _score(rng, need, group)
            items.append(
                s.ScoreIn(
                    need_id=ctx.need_ids[need.key],
                    nytte=item.nytte,
                    alvorlighet=item.alvorlighet,
                    ressurs=item.ressurs,
                    comment=item.comment,
                )
            )
        if items or finished:
            await rounds.put_scores(
                ctx.actors[email], round_id, s.ScoresIn(scores=items, finished=finished)
            )


async def _closed_round(ctx: _Ctx, rng: random.Random) -> int:
    adviser = ctx.actors[ADVISER]
    round_needs = [n for n in NEEDS if n.fate == "closed"]
    created = await rounds.create_round(
        adviser,
        s.RoundCreate(
            cluster_id=ctx.cluster,
            name=CLOSED_ROUND,
            need_ids=[ctx.need_ids[n.key] for n in round_needs],
            raters=_raters(ctx),
            deadline=dt.datetime.now(dt.UTC) - dt.timedelta(days=7),
            publish_public=True,
        ),
    )
    await _score_round(ctx, rng, created.id, round_needs)
    await rounds.close_round(adviser, created.id)
    return created.id


async def _decide(ctx: _Ctx, round_id: int) -> None:
    adviser = ctx.actors[ADVISER]
    ranking = await rounds.ranking(adviser, round_id)
    by_id = {ctx.need_ids[n.key]: n for n in NEEDS}
    order = sorted(ranking.items, key=lambda i: (i.rank is None, i.rank or 0, i.need_id))
    ranks = {i.need_id: i.rank for i in ranking.items}
    plan: list[tuple[int, s.DecisionKind]] = []
    others = [i.need_id for i in order if by_id[i.need_id].key != DEPARTURE]
    for position, need_id in enumerate(others):
        if position < 4:
            plan.append((need_id, s.DecisionKind.PRIORITISED))
        elif position < 6:
            plan.append((need_id, s.DecisionKind.NOT_PRIORITISED))
        elif position == 6:
            plan.append((need_id, s.DecisionKind.DEFERRED))
        elif position < len(others) - 2:
            plan.append((need_id, s.DecisionKind.NOT_PRIORITISED))
        # the last two wait for the next meeting of the steering group
    plan.append((ctx.need_ids[DEPARTURE], s.DecisionKind.PRIORITISED))
    decided: dict[int, str] = {}
    for need_id, kind in plan:
        need = by_id[need_id]
        item = next(i for i in ranking.items if i.need_id == need_id)
        departs = rounds.departs_from_rank(ranks, decided, need_id, kind.value)
        await rounds.record_decision(
            adviser,
            round_id,
            s.DecisionIn(
                need_id=need_id,
                decision=kind,
                justification=JUSTIFICATIONS[kind.value]
                if not departs
                else "Prioritert etter en samlet vurdering; se begrunnelsen for avviket.",
                situation=need.background,
                frame=FRAME,
                assessment=_assessment(item),
                knowledge_base=(
                    "Panelets skår og enighet (AEA) i runden. Litteratursjekken mot "
                    "oppsummert forskning er ikke gjort ennå, så usikkerheten om "
                    "kunnskapsgapet er stor."
                ),
                participation=PARTICIPATION,
                child_best_interest=(
                    f"Behovet gjelder {need.target_group[0].lower()}"
                    f"{need.target_group[1:]}. Barnets beste er vurdert ut fra hvor alvorlig "
                    "og varig situasjonen er for barna."
                ),
                local_conditions=(
                    "Behovet er meldt inn fra klyngens kommuner og er relevant for både "
                    "motorkommunen og de mindre kommunene."
                ),
                equal_access=EQUAL_ACCESS,
                departs_reason=DEPARTS_REASON if departs else "",
            ),
        )
        decided[need_id] = kind.value


def _assessment(item: s.RankingItem) -> str:
    def fmt(value: float | None) -> str:
        return "–" if value is None else f"{value:.0f}"

    c = item.criteria
    return (
        f"Rangert som nr. {item.rank} med samlet skår {fmt(item.score)} av 100. "
        f"Nytte {fmt(c.get('nytte'))}, alvorlighet {fmt(c.get('alvorlighet'))}, "
        f"ressurs {fmt(c.get('ressurs'))} (høy skår = lite ressurskrevende). "
        f"Enighet i panelet (AEA): {fmt(None if item.aea is None else item.aea * 100)} %."
    )


async def _open_round(ctx: _Ctx, rng: random.Random) -> int:
    adviser = ctx.actors[ADVISER]
    round_needs = [n for n in NEEDS if n.fate == "open"]
    created = await rounds.create_round(
        adviser,
        s.RoundCreate(
            cluster_id=ctx.cluster,
            name=OPEN_ROUND,
            need_ids=[ctx.need_ids[n.key] for n in round_needs],
            raters=_raters(ctx),
            deadline=(dt.datetime.now(dt.UTC) + dt.timedelta(days=60)).replace(
                hour=12, minute=0, second=0, microsecond=0
            ),
            publish_public=False,
        ),
    )
    await _score_round(ctx, rng, created.id, round_needs, OPEN_PROGRESS)
    return created.id
