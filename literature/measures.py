"""The knowledge bank of evidence-based measures (tiltak): shared and public; municipalities
record that they use a measure, giving adoption counts per measure and per cluster."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from klynge import audit, privacy
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.i18n import N_
from klynge.orgs.schemas import ServiceType
from klynge.orgs.tables import ClusterMembership, Municipality, Service
from klynge.schemas import ensure_publishable
from klynge.text import contains
from literature import evidence, references
from literature import schemas as s
from literature.tables import Adoption, Measure, MeasureReference, Reference


def slugify(name: str) -> str:
    text = name.casefold().translate(str.maketrans({"ø": "o", "æ": "ae", "å": "a"}))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:180] or "tiltak"


def may_edit(actor: Principal) -> bool:
    return access.holds_any(actor, Role.ADVISER)


def _validate(data: s.MeasureCreate) -> tuple[str, list[FieldError]]:
    errors: list[FieldError] = []
    level = evidence.normalise_level(data.scale.value, data.level)
    if level is None:
        valid = ", ".join(evidence.SCALES[data.scale.value].levels)
        errors.append(
            FieldError(
                "level",
                N_("The level does not exist on the scale (valid: %(valid)s)."),
                params={"valid": valid},
            )
        )
    if data.age_from > data.age_to:
        errors.append(FieldError("age_to", N_("Age to must be equal to or greater than age from.")))
    known = {t.value for t in ServiceType}
    for i, value in enumerate(data.service_types):
        if value not in known:
            errors.append(
                FieldError(
                    f"service_types.{i}",
                    N_("Unknown service «%(service)s»."),
                    params={"service": value},
                )
            )
    blocking = [
        p
        for p in privacy.check_fields(
            {"description": data.description, "target_group": data.target_group}
        )
        if p.blocking
    ]
    errors += [FieldError(p.field, p.message) for p in blocking]
    return level or "", errors


async def create_measure(actor: Principal, data: s.MeasureCreate) -> s.MeasureOut:
    if not may_edit(actor):
        raise Forbidden(N_("Only R&D advisers can add measures to the knowledge bank."))
    level, errors = _validate(data)
    refs = await _visible_references(actor, data.reference_ids)
    missing = set(data.reference_ids) - set(refs)
    if missing:
        errors.append(
            FieldError(
                "reference_ids",
                N_("Unknown references: %(ids)s"),
                params={"ids": ", ".join(str(i) for i in sorted(missing))},
            )
        )
    if errors:
        raise Invalid(N_("The measure cannot be saved."), errors)
    # A measure is public the moment it is stored: every free-text field is published.
    confirmed = ensure_publishable(data.free_texts(), confirmed=data.confirm_warnings)
    slug = slugify(data.name)
    async with transaction():
        if await Measure.exists().where(Measure.slug == slug):
            raise Conflict(N_("A measure with the same name already exists."))
        inserted = await Measure.insert(
            Measure(
                name=data.name.strip(),
                slug=slug,
                description=data.description,
                target_group=data.target_group,
                age_from=data.age_from,
                age_to=data.age_to,
                service_types=list(dict.fromkeys(data.service_types)),
                scale=data.scale.value,
                level=level,
                links=[{"title": link.title, "url": link.url} for link in data.links],
                created_by=actor.account_id,
            )
        ).returning(Measure.id)
        measure_id = int(inserted[0]["id"])
        if refs:
            await MeasureReference.insert(
                *[MeasureReference(measure=measure_id, reference=r) for r in refs]
            )
        await audit.record(
            actor,
            "literature.measure.create",
            "literature_measure",
            measure_id,
            after={
                "name": data.name,
                "scale": data.scale.value,
                "level": level,
                "confirmed_warnings": confirmed,
            },
        )
    return await get_measure(actor, measure_id)


async def _visible_references(actor: Principal, ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    rows = await Reference.select(Reference.id, Reference.cluster).where(
        Reference.id.is_in(wanted), Reference.merged_into.is_null()
    )
    ok = {r["id"] for r in rows if actor.is_admin or r["cluster"] in actor.cluster_ids}
    return [i for i in wanted if i in ok]


async def _adoption_counts(
    measure_ids: Iterable[int],
) -> tuple[dict[int, int], dict[int, dict[str, int]]]:
    ids = list(measure_ids)
    if not ids:
        return {}, {}
    rows = await Adoption.select(Adoption.measure, Adoption.municipality).where(
        Adoption.measure.is_in(ids)
    )
    per_measure: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        per_measure[r["measure"]].add(r["municipality"])
    members = await ClusterMembership.select(
        ClusterMembership.cluster, ClusterMembership.municipality
    ).where(ClusterMembership.status == "member")
    clusters_of: dict[int, set[int]] = defaultdict(set)
    for m in members:
        clusters_of[m["municipality"]].add(m["cluster"])
    per_cluster: dict[int, dict[str, int]] = {}
    for measure_id, municipalities in per_measure.items():
        counter: Counter[int] = Counter()
        for municipality in municipalities:
            counter.update(clusters_of.get(municipality, ()))
        per_cluster[measure_id] = {str(k): v for k, v in sorted(counter.items())}
    return {k: len(v) for k, v in per_measure.items()}, per_cluster


async def _measure_outs(
    rows: list[dict[str, Any]], *, detail: bool = False, public: bool = False
) -> list[s.MeasureOut]:
    ids = [r["id"] for r in rows]
    links = await MeasureReference.select(
        MeasureReference.measure, MeasureReference.reference
    ).where(MeasureReference.measure.is_in(ids or [-1]))
    ref_ids: dict[int, list[int]] = defaultdict(list)
    for link in links:
        ref_ids[link["measure"]].append(link["reference"])
    refs = {
        r.id: r for r in await references.load_many(i for ids_ in ref_ids.values() for i in ids_)
    }
    counts, per_cluster = await _adoption_counts(ids)
    adoption_lists: dict[int, list[s.AdoptionOut]] = defaultdict(list)
    if detail and not public:
        for adoption in await adoptions_of(ids):
            adoption_lists[adoption.measure_id].append(adoption)
    out = []
    for r in rows:
        scale = evidence.SCALES[r["scale"]]
        out.append(
            s.MeasureOut(
                id=r["id"],
                slug=r["slug"],
                name=r["name"],
                description=r["description"],
                target_group=r["target_group"],
                age_from=r["age_from"],
                age_to=r["age_to"],
                service_types=[str(v) for v in json_value(r["service_types"], [])],
                scale=s.EvidenceScale(r["scale"]),
                scale_name=scale.name,
                level=r["level"],
                level_label=scale.levels.get(r["level"], ""),
                links=[s.LinkIn(**link) for link in json_value(r["links"], [])],
                references=[refs[i] for i in ref_ids.get(r["id"], []) if i in refs],
                adoptions=counts.get(r["id"], 0),
                adoptions_in_cluster=per_cluster.get(r["id"], {}),
                adoption_list=adoption_lists.get(r["id"], []),
            )
        )
    return out


async def adoptions_of(measure_ids: Iterable[int]) -> list[s.AdoptionOut]:
    rows = (
        await Adoption.select(
            Adoption.id,
            Adoption.measure,
            Adoption.municipality,
            Adoption.municipality.name.as_alias("municipality_name"),
            Adoption.service,
            Adoption.service.name.as_alias("service_name"),
            Adoption.since,
            Adoption.note,
        )
        .where(Adoption.measure.is_in(list(measure_ids) or [-1]))
        .order_by(Adoption.id)
    )
    return [
        s.AdoptionOut(
            id=r["id"],
            measure_id=r["measure"],
            municipality_id=r["municipality"],
            municipality=r["municipality_name"],
            service_id=r["service"],
            service=r["service_name"] or "",
            since=r["since"],
            note=r["note"],
        )
        for r in rows
    ]


def _matches(row: Mapping[str, Any], q: str, target_group: str, service_type: str) -> bool:
    if q and not contains(q, row["name"], row["description"], row["target_group"]):
        return False
    if target_group and not contains(target_group, row["target_group"]):
        return False
    return not service_type or service_type in json_value(row["service_types"], [])


async def list_measures(
    actor: Principal | None,
    *,
    q: str = "",
    target_group: str = "",
    service_type: str = "",
    scale: str = "",
) -> s.MeasurePage:
    """Measures are public: anyone may list them (adoption names only for members)."""
    query = Measure.select().order_by(Measure.name)
    if scale:
        query = query.where(Measure.scale == scale)
    rows = [r for r in await query if _matches(r, q.strip(), target_group.strip(), service_type)]
    items = await _measure_outs(rows, public=actor is None)
    return s.MeasurePage(total=len(items), items=items)


async def get_measure(actor: Principal | None, measure_id: int | str) -> s.MeasureOut:
    where = (
        Measure.id == measure_id if isinstance(measure_id, int) else Measure.slug == str(measure_id)
    )
    row = await Measure.select().where(where).first()
    if row is None:
        raise NotFound(N_("We could not find the measure."))
    return (await _measure_outs([row], detail=True, public=actor is None))[0]


async def _may_adopt_for(actor: Principal, municipality_id: int, service_id: int | None) -> bool:
    """The municipality's coordinator, the service's leader, or an adviser of a cluster the
    municipality is a member of."""
    if access.coordinates(actor, municipality_id):
        return True
    if service_id is not None and actor.has(Role.SERVICE_LEADER, service_id):
        return True
    advised = actor.org_ids(Role.ADVISER)
    if not advised:
        return False
    return await ClusterMembership.exists().where(
        ClusterMembership.municipality == municipality_id,
        ClusterMembership.status == "member",
        ClusterMembership.cluster.is_in(list(advised)),
    )


async def add_adoption(actor: Principal, measure_id: int, data: s.AdoptionCreate) -> s.MeasureOut:
    """ "We use this measure": by the municipality's coordinator or the service's leader."""
    measure = await Measure.select(Measure.id).where(Measure.id == measure_id).first()
    if measure is None:
        raise NotFound(N_("We could not find the measure."))
    municipality = (
        await Municipality.select(Municipality.id)
        .where(Municipality.id == data.municipality_id)
        .first()
    )
    if municipality is None:
        raise Invalid(
            N_("Unknown municipality."),
            [FieldError("municipality_id", N_("The municipality does not exist."))],
        )
    if data.service_id is not None:
        service = (
            await Service.select(Service.municipality).where(Service.id == data.service_id).first()
        )
        if service is None or service["municipality"] != data.municipality_id:
            raise Invalid(
                N_("Unknown service."),
                [FieldError("service_id", N_("The service does not belong to the municipality."))],
            )
    if not await _may_adopt_for(actor, data.municipality_id, data.service_id):
        raise Forbidden(N_("You cannot record measures for this municipality."))
    if data.since is not None and data.since > dt.date.today():
        raise Invalid(
            N_("Invalid date."), [FieldError("since", N_("The date cannot be in the future."))]
        )
    privacy.guard_text({"note": data.note})
    async with transaction():
        exists = await Adoption.exists().where(
            Adoption.measure == measure_id,
            Adoption.municipality == data.municipality_id,
            Adoption.service == data.service_id
            if data.service_id is not None
            else Adoption.service.is_null(),
        )
        if exists:
            raise Conflict(N_("The municipality has already recorded that it uses the measure."))
        inserted = await Adoption.insert(
            Adoption(
                measure=measure_id,
                municipality=data.municipality_id,
                service=data.service_id,
                since=data.since,
                note=data.note,
                created_by=actor.account_id,
            )
        ).returning(Adoption.id)
        await audit.record(
            actor,
            "literature.measure.adopt",
            "literature_adoption",
            inserted[0]["id"],
            after={"measure": measure_id, "municipality": data.municipality_id},
        )
    return await get_measure(actor, measure_id)


async def measure_choices() -> list[tuple[int, str]]:
    """(id, name) of every measure in the knowledge bank, by name: for other apps' pickers."""
    rows = await Measure.select(Measure.id, Measure.name).order_by(Measure.name)
    return [(int(r["id"]), r["name"]) for r in rows]
