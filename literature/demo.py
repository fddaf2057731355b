"""Demo literature for `klynge demo`: the six sample files in literature/demo_data (one per
format, ~310 fictional references with duplicates across files) imported into the demo
cluster, two completed literature checks on demo needs, and the knowledge bank's measures
with a few adoptions. Idempotent: does nothing once the cluster has imports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.service import load_principal
from klynge.auth.tables import Account
from klynge.db import transaction
from klynge.demo import CLUSTER_NAME
from klynge.orgs.tables import Cluster, Municipality, Service
from literature import check_screening, checks, imports, measures, verdicts
from literature import schemas as s
from literature.tables import LiteratureImport, Measure, Reference, ReferenceSource
from priorities import api as priorities

DATA = Path(__file__).resolve().parent / "demo_data"
ADVISER = "fou@demo.klynge.no"
# The measure data uses a few service names of its own; the platform's list has these.
SERVICE_TYPES = {"politi": "justis", "kultur_fritid": "annet"}

CHECKS = (
    {
        "need": "Foreldrerettleiing i grupper: ICDP og De utrolige åra",
        "files": ("pubmed_2026-10-02.nbib", "cochrane_2026-10-02.ris"),
        "question": "Betrar foreldrerettleiing i grupper åtferda til barn med åtferdsvanskar?",
        "population": "Foreldre til barn 3–12 år med åtferdsvanskar",
        "intervention": "Foreldrerettleiing i grupper (PMTO, De utrolige åra, ICDP)",
        "comparison": "Vanleg oppfølging eller venteliste",
        "outcome": "Åtferdsvanskar hos barnet, foreldreferdigheiter",
        "topic": ("parent", "foreldre", "conduct", "atferd", "åtferd", "incredible", "pmto"),
        "verdict": s.Verdict.ANSWERED,
        "reason_code": None,
        "certainty": s.Certainty.MODERATE,
        "summary": "Fleire systematiske oversikter med metaanalysar viser at strukturert "
        "foreldrerettleiing reduserer åtferdsvanskar hos barn. Effekten er moderat og best "
        "dokumentert for program med opplæring og rettleiing av gruppeleiarane.",
        "public": True,
    },
    {
        "need": "Skolefravær og samarbeid mellom skole og barnevern",
        "files": ("campbell_2026-10-03.bib", "epistemonikos_2026-10-03.ris"),
        "question": "Hvilke samarbeidstiltak mellom skole og barnevern reduserer skolefravær?",
        "population": "Elever 6–16 år med høyt fravær",
        "intervention": "Tverrfaglige tiltak mellom skole og barnevern",
        "comparison": "Ordinær oppfølging",
        "outcome": "Skolefravær, frafall",
        "topic": ("absence", "absentee", "fravær", "dropout", "drop-out", "frafall", "attendance"),
        "verdict": s.Verdict.PARTLY,
        "reason_code": s.ReasonCode.D,
        "certainty": s.Certainty.LOW,
        "summary": "Oversikter viser små effekter av skolebaserte tiltak mot fravær, men få "
        "studier gjelder samarbeid med barnevernet. Usikkerheten består for denne gruppen.",
        "public": False,
    },
)
GENERAL_FILES = ("zotero_nordic_2026-10-04.json", "fhi_oversikt_2026-10-05.xlsx")

# (measure slug, kommunenummer, service name or None, since)
ADOPTIONS = (
    ("pmto", "4601", "Barnevernstjenesten i Bergen", dt.date(2012, 3, 1)),
    ("pmto", "4627", "Askøy barneverntjeneste", dt.date(2018, 8, 15)),
    (
        "de-utrolige-arene",
        "4601",
        "Helsestasjon og skolehelsetjeneste, Bergen",
        dt.date(2015, 1, 1),
    ),
    ("de-utrolige-arene", "4626", "Barnehagane i Øygarden", dt.date(2020, 9, 1)),
    ("icdp", "4624", "Helsestasjonen i Bjørnafjorden", dt.date(2016, 5, 1)),
    ("icdp", "4631", None, dt.date(2019, 1, 1)),
    ("pals", "4627", "Askøy-skolen", dt.date(2014, 8, 1)),
    ("familie-for-forste-gang", "4601", None, dt.date(2021, 2, 1)),
)


def _manifest() -> dict[str, Any]:
    return json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))


async def _import(
    actor: Principal, cluster: int, entry: dict[str, Any], check_id: int | None = None
) -> int:
    data = (DATA / entry["filename"]).read_bytes()
    async with transaction():
        import_id = await imports.create_import(
            actor,
            cluster_id=cluster,
            fmt=s.ImportFormat(entry["format"]),
            source=entry["source"],
            filename=entry["filename"],
            size=len(data),
            max_bytes=len(data) + 1,
            query=entry.get("query", ""),
            searched_on=dt.date.fromisoformat(entry["searched_on"]),
            check_id=check_id,
        )
    await imports.run_import(import_id, data)
    return import_id


def _on_topic(ref: s.ReferenceOut, words: tuple[str, ...]) -> bool:
    text = f"{ref.title} {ref.abstract} {' '.join(ref.keywords)}".casefold()
    return any(word in text for word in words)


async def _run_check(actor: Principal, spec: dict[str, Any], files: dict[str, Any]) -> None:
    need_id = (await priorities.need_ids_by_title()).get(spec["need"])
    if need_id is None:
        return
    check = await checks.create_check(
        actor,
        need_id,
        s.CheckCreate(
            question=spec["question"],
            population=spec["population"],
            intervention=spec["intervention"],
            comparison=spec["comparison"],
            outcome=spec["outcome"],
        ),
    )
    for name in spec["files"]:
        await _import(actor, check.cluster_id, files[name], check.id)
    candidates = await check_screening.candidates(actor, check.id)
    included: list[int] = []
    for c in candidates:
        ref = c.reference
        if ref.summarised and _on_topic(ref, spec["topic"]):
            choice, reason = s.ScreeningChoice.INCLUDE, ""
            included.append(ref.id)
        elif _on_topic(ref, spec["topic"]):
            choice, reason = s.ScreeningChoice.EXCLUDE, "Ikke en systematisk oversikt"
        else:
            choice, reason = s.ScreeningChoice.EXCLUDE, "Feil populasjon"
        await check_screening.decide(
            actor,
            check.id,
            s.DecisionCreate(reference_id=ref.id, decision=choice, reason=reason),
        )
    reviews: list[int] = []
    for i, ref_id in enumerate(included):
        if i == len(included) - 1 and i >= 2:
            choice, reason = s.ScreeningChoice.EXCLUDE, "not_retrieved"
        elif i == len(included) - 2 and i >= 3:
            choice, reason = s.ScreeningChoice.EXCLUDE, "Utdatert (nyere oversikt finnes)"
        else:
            choice, reason = s.ScreeningChoice.INCLUDE, ""
            reviews.append(ref_id)
        await check_screening.decide(
            actor,
            check.id,
            s.DecisionCreate(
                reference_id=ref_id, decision=choice, stage=s.Stage.FULLTEXT, reason=reason
            ),
        )
    await verdicts.set_verdict(
        actor,
        check.id,
        s.VerdictCreate(
            verdict=spec["verdict"],
            reason_code=spec["reason_code"],
            certainty=spec["certainty"],
            summary=spec["summary"],
            public=spec["public"],
            reviews=[
                s.ReviewIn(
                    reference_id=ref_id,
                    certainty=spec["certainty"],
                    reliability="Vurdert med AMSTAR 2 (demo).",
                    supports=spec["verdict"],
                )
                for ref_id in reviews[:4]
            ],
        ),
    )


async def _reference_at(import_id: int, position: int) -> int | None:
    row = (
        await ReferenceSource.select(ReferenceSource.reference)
        .where(ReferenceSource.literature_import == import_id, ReferenceSource.position == position)
        .first()
    )
    if row is None:
        return None
    ref = (
        await Reference.select(Reference.id, Reference.merged_into)
        .where(Reference.id == row["reference"])
        .first()
    )
    return None if ref is None else (ref["merged_into"] or ref["id"])


async def _measures(actor: Principal, import_ids: dict[str, int]) -> None:
    data = json.loads((DATA / "measures.json").read_text(encoding="utf-8"))
    for item in data["measures"]:
        refs = [
            ref
            for pointer in item.get("references", [])
            if pointer["file"] in import_ids
            and (ref := await _reference_at(import_ids[pointer["file"]], pointer["record"]))
        ]
        evidence = item["evidence"]
        await measures.create_measure(
            actor,
            s.MeasureCreate(
                name=item["name"],
                scale=s.EvidenceScale(evidence["scale"]),
                level=str(evidence["level"]),
                description=item["description"],
                target_group=item["target_group"],
                age_from=item["age_from"],
                age_to=item["age_to"],
                service_types=list(
                    dict.fromkeys(SERVICE_TYPES.get(t, t) for t in item["service_types"])
                ),
                links=[s.LinkIn(title=x["title"], url=x["url"]) for x in item["links"]],
                reference_ids=list(dict.fromkeys(refs)),
            ),
        )


async def _adoptions(actor: Principal) -> None:
    munis = {
        r["number"]: r["id"]
        for r in await Municipality.select(Municipality.id, Municipality.number).where(
            Municipality.valid_to.is_null()
        )
    }
    services = {r["name"]: r["id"] for r in await Service.select(Service.id, Service.name)}
    by_name = {r["name"]: r["id"] for r in await Measure.select(Measure.id, Measure.name)}
    data = json.loads((DATA / "measures.json").read_text(encoding="utf-8"))
    slugs = {m["slug"]: by_name[m["name"]] for m in data["measures"] if m["name"] in by_name}
    for slug, number, service, since in ADOPTIONS:
        if slug not in slugs or number not in munis:
            continue
        await measures.add_adoption(
            actor,
            slugs[slug],
            s.AdoptionCreate(
                municipality_id=munis[number],
                service_id=services.get(service) if service else None,
                since=since,
            ),
        )


async def seed_demo() -> bool:
    cluster = await Cluster.select(Cluster.id).where(Cluster.name == CLUSTER_NAME).first()
    account = await Account.select(Account.id).where(Account.email == ADVISER).first()
    if cluster is None or account is None:
        return False
    if await LiteratureImport.exists().where(LiteratureImport.cluster == cluster["id"]):
        return False
    actor = await load_principal(account["id"])
    if actor is None:
        return False
    files = {f["filename"]: f for f in _manifest()["files"]}
    for spec in CHECKS:
        await _run_check(actor, spec, files)
    for name in GENERAL_FILES:
        await _import(actor, cluster["id"], files[name])
    import_ids = {
        r["filename"]: r["id"]
        for r in await LiteratureImport.select(
            LiteratureImport.id, LiteratureImport.filename
        ).where(LiteratureImport.cluster == cluster["id"])
    }
    await _measures(actor, import_ids)
    await _adoptions(actor)
    return True
