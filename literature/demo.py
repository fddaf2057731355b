"""Demo literature for `klynge demo`, seeded from literature/demo_data: the sample files imported,
the literature checks (checks.json), measures and adoptions. Idempotent once imports exist."""

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


def _data(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _manifest() -> dict[str, Any]:
    return _data("manifest.json")


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
    included = await _screen_titles(actor, check.id, tuple(spec["topic"]))
    reviews = await _screen_fulltext(actor, check.id, included)
    await _verdict(actor, check.id, spec, reviews)


async def _screen_titles(actor: Principal, check_id: int, topic: tuple[str, ...]) -> list[int]:
    """Include the summarised research on the topic; the records included."""
    included: list[int] = []
    for c in await check_screening.candidates(actor, check_id):
        ref = c.reference
        if ref.summarised and _on_topic(ref, topic):
            choice, reason = s.ScreeningChoice.INCLUDE, ""
            included.append(ref.id)
        elif _on_topic(ref, topic):
            choice, reason = s.ScreeningChoice.EXCLUDE, "Ikke en systematisk oversikt"
        else:
            choice, reason = s.ScreeningChoice.EXCLUDE, "Feil populasjon"
        await check_screening.decide(
            actor,
            check_id,
            s.DecisionCreate(reference_id=ref.id, decision=choice, reason=reason),
        )
    return included


async def _screen_fulltext(actor: Principal, check_id: int, included: list[int]) -> list[int]:
    """Full text: all included but one not retrieved and one outdated; the reviews kept."""
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
            check_id,
            s.DecisionCreate(
                reference_id=ref_id, decision=choice, stage=s.Stage.FULLTEXT, reason=reason
            ),
        )
    return reviews


async def _verdict(
    actor: Principal, check_id: int, spec: dict[str, Any], reviews: list[int]
) -> None:
    verdict = s.Verdict(spec["verdict"])
    certainty = s.Certainty(spec["certainty"])
    await verdicts.set_verdict(
        actor,
        check_id,
        s.VerdictCreate(
            verdict=verdict,
            reason_code=s.ReasonCode(spec["reason_code"]) if spec["reason_code"] else None,
            certainty=certainty,
            summary=spec["summary"],
            public=spec["public"],
            reviews=[
                s.ReviewIn(
                    reference_id=ref_id,
                    certainty=certainty,
                    reliability="Vurdert med AMSTAR 2 (demo).",
                    supports=verdict,
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
    data = _data("measures.json")
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
    data = _data("measures.json")
    slugs = {m["slug"]: by_name[m["name"]] for m in data["measures"] if m["name"] in by_name}
    for item in _data("adoptions.json")["adoptions"]:
        slug, number, service = item["measure"], item["municipality"], item["service"]
        since = dt.date.fromisoformat(item["since"])
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
    demo = _data("checks.json")
    for spec in demo["checks"]:
        await _run_check(actor, spec, files)
    for name in demo["general_files"]:
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
