"""Made-up names for the national-scale demo's accounts and organisations: common Norwegian first
and family names combined at random (no real person), and organisation numbers with a valid
check digit."""

from __future__ import annotations

import random

from stdnum.no import orgnr

FIRST = (
    "Anne",
    "Kari",
    "Ingrid",
    "Marit",
    "Liv",
    "Eva",
    "Hilde",
    "Silje",
    "Ida",
    "Nora",
    "Emma",
    "Sara",
    "Tone",
    "Randi",
    "Solveig",
    "Guro",
    "Mari",
    "Ragnhild",
    "Åse",
    "Siri",
    "Jon",
    "Per",
    "Ole",
    "Lars",
    "Knut",
    "Arne",
    "Bjørn",
    "Erik",
    "Hans",
    "Nils",
    "Olav",
    "Kjetil",
    "Sindre",
    "Magnus",
    "Jonas",
    "Eirik",
    "Håkon",
    "Torbjørn",
    "Ivar",
    "Ali",
    "Amir",
    "Fatima",
    "Leila",
    "Mikkel",
    "Ánde",
    "Elle",
    "Johan",
    "Vebjørn",
    "Trine",
    "Ane",
)
LAST = (
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Rasmussen",
    "Amundsen",
    "Lunde",
    "Kristensen",
    "Bakke",
    "Berge",
    "Moe",
    "Nygård",
    "Fredriksen",
    "Solheim",
    "Vik",
    "Aasen",
    "Myklebust",
    "Sæther",
    "Hætta",
    "Somby",
    "Haugland",
    "Rønning",
    "Aune",
    "Tveit",
)

SERVICE_NAME = {
    "barnevern": ("Barnevernstjenesten i {m}", "Barnevernstenesta i {m}"),
    "skole": ("Grunnskolen i {m}", "Grunnskulen i {m}"),
    "barnehage": ("Barnehagene i {m}", "Barnehagane i {m}"),
    "helsestasjon": (
        "Helsestasjon og skolehelsetjeneste, {m}",
        "Helsestasjon og skulehelseteneste, {m}",
    ),
    "ppt": ("PPT {m}", "PPT {m}"),
    "nav": ("NAV {m}", "NAV {m}"),
    "fastlege": ("Legetjenesten i {m}", "Legetenesta i {m}"),
    "annet": ("Ungdomstjenesten i {m}", "Ungdomstenesta i {m}"),
    "bup": ("BUP {m} og omland", "BUP {m} og omland"),
    "tsb": ("Ungdomsteamet for rus, {m}", "Ungdomsteamet for rus, {m}"),
    "justis": ("Politiets forebyggende enhet, {m}", "Politiet si førebyggjande eining, {m}"),
}
INSTITUTIONS = (
    ("Universitetet i Bergen", "Vest"),
    ("Universitetet i Oslo", "Øst"),
    ("NTNU", "Midt"),
    ("UiT Norges arktiske universitet", "Nord"),
    ("OsloMet", "Øst"),
    ("Høgskulen på Vestlandet", "Vest"),
    ("NORCE Norwegian Research Centre", "Vest"),
    ("Universitetet i Agder", "Sør"),
    ("Universitetet i Stavanger", "Vest"),
    ("Universitetet i Sørøst-Norge", "Øst"),
    ("Nord universitet", "Nord"),
    ("Høgskolen i Innlandet", "Øst"),
    ("Høgskulen i Volda", "Vest"),
    ("VID vitenskapelige høgskole", "Øst"),
    ("NUBU – Nasjonalt utviklingssenter for barn og unge", "Øst"),
    ("RKBU Nord", "Nord"),
    ("RBUP Øst og Sør", "Øst"),
    ("RKBU Midt-Norge", "Midt"),
    ("Folkehelseinstituttet", "Øst"),
    ("NOVA, OsloMet", "Øst"),
)
GROUP_PREFIX = (
    "Forskergruppe for",
    "Senter for forskning på",
    "Nettverk for",
    "Kompetansemiljø for",
)
FUNDERS = (
    "Barne-, ungdoms- og familiedirektoratet",
    "Helsedirektoratet",
    "Stiftelsen Dam",
    "KS – Kommunesektorens organisasjon",
    "Sparebankstiftelsen DNB",
    "Regionalt forskningsfond Vestland",
    "Regionalt forskningsfond Nord-Norge",
    "Regionalt forskningsfond Innlandet",
    "Kompetansesenter rus – region sør",
)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def org_number(serial: int) -> str:
    """A nine-digit organisation number with a valid MOD11 check digit (not a real unit's)."""
    for base in range(serial * 10, serial * 10 + 10):
        digits = f"9{base % 10_000_000:07d}"
        for check in "0123456789":  # one digit makes the MOD11 sum 0, unless none can
            if orgnr.is_valid(digits + check):
                return digits + check
    raise ValueError(f"no organisation number for {serial}")


def short_name(official: str) -> str:
    """The first form of a municipality's official name ("Oslo - Oslove" -> "Oslo")."""
    return official.split(" - ")[0]
