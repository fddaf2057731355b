"""Research group profiles: members (ORCID checked), expertise, methods, services, capacity,
location, and publications (imported with the literature parsers or typed in) with the
group's curation of which of them represent it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from klynge import audit
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value, transaction
from klynge.errors import FieldError, Forbidden, Invalid, NotFound
from klynge.jobs import runner
from klynge.orgs import service as orgs
from klynge.orgs import validators
from klynge.orgs.schemas import ResearchGroupCreate, ServiceType
from klynge.orgs.tables import ResearchGroup, Service
from literature.dedup import DedupRecord, find_duplicates
from literature.formats import FormatError
from projects import schemas as s
from projects.tables import GroupMember, GroupProfile, GroupPublication, Project, Proposal

IMPORT_PUBLICATIONS = "projects.import_publications"
PUBLICATION_FORMATS = ("ris", "bibtex", "medline", "csljson", "xlsx", "csv")


def may_edit(actor: Principal, group_id: int) -> bool:
    return access.holds(actor, Role.RESEARCHER, group_id)


def _ensure_editor(actor: Principal, group_id: int) -> None:
    if not may_edit(actor, group_id):
        raise Forbidden("Bare gruppens forskere kan endre profilen.")


def _orcid(value: str, index: int) -> str:
    if not value.strip():
        return ""
    try:
        return validators.validate_orcid(value)
    except validators.ValidationError as exc:
        raise Invalid(exc.message, [FieldError(f"members.{index}.orcid", exc.message)]) from None


def _profile_errors(data: s.ProfileIn) -> list[FieldError]:
    errors = []
    known = {t.value for t in ServiceType}
    for i, value in enumerate(data.service_types):
        if value not in known:
            errors.append(FieldError(f"service_types.{i}", f"Ukjent tjeneste «{value}»."))
    if (data.latitude is None) != (data.longitude is None):
        errors.append(FieldError("longitude", "Oppgi både breddegrad og lengdegrad, eller ingen."))
    return errors


async def _write_profile(group_id: int, data: s.ProfileIn) -> None:
    members = [(i, m, _orcid(m.orcid, i)) for i, m in enumerate(data.members)]
    orgs.guard_text({"expertise": data.expertise})
    values = {
        GroupProfile.expertise: data.expertise,
        GroupProfile.keywords: _clean(data.keywords),
        GroupProfile.methods: [m.value for m in dict.fromkeys(data.methods)],
        GroupProfile.target_groups: _clean(data.target_groups),
        GroupProfile.service_types: list(dict.fromkeys(data.service_types)),
        GroupProfile.languages: _clean([lang.lower() for lang in data.languages]),
        GroupProfile.region: data.region.strip(),
        GroupProfile.location: data.location.strip(),
        GroupProfile.latitude: data.latitude,
        GroupProfile.longitude: data.longitude,
        GroupProfile.capacity: data.capacity,
        GroupProfile.recency_years: data.recency_years,
        GroupProfile.updated_at: dt.datetime.now(dt.UTC),
    }
    if await GroupProfile.exists().where(GroupProfile.group == group_id):
        await GroupProfile.update(values).where(GroupProfile.group == group_id)
    else:
        await GroupProfile.insert(
            GroupProfile(group=group_id, **{col._meta.name: v for col, v in values.items()})
        )
    # Members keep their ids (and account links) when the form sends them back; members not
    # sent are removed.
    existing = {r["id"]: r for r in await GroupMember.select().where(GroupMember.group == group_id)}
    kept: set[int] = set()
    for _, member, orcid in members:
        values = {
            GroupMember.name: member.name.strip(),
            GroupMember.role: member.role.strip(),
            GroupMember.orcid: orcid,
            GroupMember.employer_service: member.employer_service_id,
        }
        if member.id is not None and member.id in existing:
            kept.add(member.id)
            if member.account_id is not None:
                values[GroupMember.account] = member.account_id
            await GroupMember.update(values).where(GroupMember.id == member.id)
            continue
        await GroupMember.insert(
            GroupMember(
                group=group_id,
                name=member.name.strip(),
                role=member.role.strip(),
                orcid=orcid,
                account=member.account_id,
                employer_service=member.employer_service_id,
            )
        )
    removed = [i for i in existing if i not in kept]
    if removed:
        await GroupMember.delete().where(GroupMember.id.is_in(removed))


def _clean(values: Sequence[str]) -> list[str]:
    out: dict[str, str] = {}
    for value in values:
        text = " ".join(value.split())
        if text and text.casefold() not in out:
            out[text.casefold()] = text
    return list(out.values())


async def create_group(actor: Principal, data: s.GroupCreate) -> s.GroupOut:
    if not access.holds_any(actor, Role.ADVISER):
        raise Forbidden("Bare administratorer og FoU-rådgivere kan registrere forskergrupper.")
    errors = _profile_errors(data)
    if not data.name.strip():
        errors.append(FieldError("name", "Oppgi gruppens navn."))
    if not data.institution.strip():
        errors.append(FieldError("institution", "Oppgi institusjonen."))
    if errors:
        raise Invalid("Forskergruppen kan ikke lagres.", errors)
    await _check_services(data.members)
    async with transaction():
        core = await orgs.create_research_group(
            actor,
            ResearchGroupCreate(
                name=data.name,
                institution=data.institution,
                org_number=data.org_number,
                sector=data.sector,
                unit=data.unit,
                description=data.description,
            ),
        )
        await _write_profile(core.id, data)
    return await get_group(core.id)


async def _check_services(members: Sequence[s.MemberIn]) -> None:
    ids = [m.employer_service_id for m in members if m.employer_service_id is not None]
    if not ids:
        return
    found = {r["id"] for r in await Service.select(Service.id).where(Service.id.is_in(ids))}
    for i, member in enumerate(members):
        if member.employer_service_id is not None and member.employer_service_id not in found:
            raise Invalid(
                "Ukjent tjeneste.",
                [FieldError(f"members.{i}.employer_service_id", "Tjenesten finnes ikke.")],
            )


async def update_profile(actor: Principal, group_id: int, data: s.ProfileIn) -> s.GroupOut:
    await _group_row(group_id)
    _ensure_editor(actor, group_id)
    errors = _profile_errors(data)
    if errors:
        raise Invalid("Profilen kan ikke lagres.", errors)
    await _check_services(data.members)
    async with transaction():
        before = await get_group(group_id)
        await _write_profile(group_id, data)
        await audit.record(
            actor,
            "research_group.profile",
            "research_group",
            group_id,
            before={"capacity": before.capacity, "keywords": before.keywords},
            after={"capacity": data.capacity, "keywords": data.keywords},
        )
    return await get_group(group_id)


async def _group_row(group_id: int) -> dict[str, Any]:
    row = await ResearchGroup.select().where(ResearchGroup.id == group_id).first()
    if row is None:
        raise NotFound("Fant ikke forskergruppen.")
    return row


async def load_used_capacity(group_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Projects taken this year per group: planned projects created this calendar year."""
    start = dt.datetime(dt.datetime.now(dt.UTC).year, 1, 1, tzinfo=dt.UTC)
    query = Project.select(Project.group).where(Project.created_at >= start)
    if group_ids is not None:
        query = query.where(Project.group.is_in(list(group_ids) or [-1]))
    used: dict[int, int] = {}
    for row in await query:
        used[row["group"]] = used.get(row["group"], 0) + 1
    return used


def _in_window(year: int | None, window: int | None, today: dt.date) -> bool:
    return window is None or (year is not None and year > today.year - window)


async def get_group(group_id: int) -> s.GroupOut:
    return (await list_groups([group_id]))[0]


async def list_groups(ids: Sequence[int] | None = None) -> list[s.GroupOut]:
    query = ResearchGroup.select().order_by(ResearchGroup.name)
    if ids is not None:
        query = query.where(ResearchGroup.id.is_in(list(ids) or [-1]))
    rows = await query
    if ids is not None and len(rows) != len(set(ids)):
        raise NotFound("Fant ikke forskergruppen.")
    group_ids = [r["id"] for r in rows]
    profiles = {
        p["group"]: p
        for p in await GroupProfile.select().where(GroupProfile.group.is_in(group_ids or [-1]))
    }
    members: dict[int, list[s.MemberOut]] = {}
    for m in await GroupMember.select().where(GroupMember.group.is_in(group_ids or [-1])):
        members.setdefault(m["group"], []).append(
            s.MemberOut(
                id=m["id"],
                name=m["name"],
                role=m["role"],
                orcid=m["orcid"],
                account_id=m["account"],
                employer_service_id=m["employer_service"],
            )
        )
    pubs = await GroupPublication.select(
        GroupPublication.group, GroupPublication.year, GroupPublication.included
    ).where(GroupPublication.group.is_in(group_ids or [-1]))
    used = await load_used_capacity(group_ids)
    today = dt.date.today()
    out = []
    for r in rows:
        p: Mapping[str, Any] = profiles.get(r["id"]) or {}
        window = p.get("recency_years")
        own = [x for x in pubs if x["group"] == r["id"]]
        capacity = int(p.get("capacity") or 0)
        out.append(
            s.GroupOut(
                id=r["id"],
                name=r["name"],
                institution=r["institution"],
                unit=r["unit"],
                org_number=r["org_number"],
                sector=r["sector"],
                description=r["description"],
                expertise=p.get("expertise", ""),
                keywords=json_value(p.get("keywords"), []),
                methods=json_value(p.get("methods"), []),
                target_groups=json_value(p.get("target_groups"), []),
                service_types=json_value(p.get("service_types"), []),
                languages=json_value(p.get("languages"), []),
                region=p.get("region", ""),
                location=p.get("location", ""),
                latitude=p.get("latitude"),
                longitude=p.get("longitude"),
                capacity=capacity,
                capacity_left=max(0, capacity - used.get(r["id"], 0)),
                recency_years=window,
                members=members.get(r["id"], []),
                publications=len(own),
                publications_included=sum(
                    1 for x in own if x["included"] and _in_window(x["year"], window, today)
                ),
            )
        )
    return out


# --- Publications ------------------------------------------------------------------------------


def _publication_out(row: Mapping[str, Any], window: int | None) -> s.PublicationOut:
    authors = json_value(row["authors"], [])
    return s.PublicationOut(
        id=row["id"],
        title=row["title"],
        abstract=row["abstract"],
        year=row["year"],
        doi=row["doi"],
        container=row["container"],
        authors=[a if isinstance(a, str) else ", ".join(a) for a in authors],
        language=row["language"],
        included=row["included"],
        in_window=_in_window(row["year"], window, dt.date.today()),
        source=row["source"],
    )


async def _window(group_id: int) -> int | None:
    row = (
        await GroupProfile.select(GroupProfile.recency_years)
        .where(GroupProfile.group == group_id)
        .first()
    )
    return row["recency_years"] if row else None


async def list_publications(group_id: int) -> list[s.PublicationOut]:
    await _group_row(group_id)
    window = await _window(group_id)
    rows = (
        await GroupPublication.select()
        .where(GroupPublication.group == group_id)
        .order_by(GroupPublication.year, ascending=False)
        .order_by(GroupPublication.id)
    )
    return [_publication_out(r, window) for r in rows]


async def curated_publications(group_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """What represents each group for matching: included publications inside its window."""
    windows = {
        p["group"]: p["recency_years"]
        for p in await GroupProfile.select(GroupProfile.group, GroupProfile.recency_years).where(
            GroupProfile.group.is_in(list(group_ids) or [-1])
        )
    }
    today = dt.date.today()
    out: dict[int, list[dict[str, Any]]] = {g: [] for g in group_ids}
    rows = await GroupPublication.select(
        GroupPublication.id,
        GroupPublication.group,
        GroupPublication.title,
        GroupPublication.abstract,
        GroupPublication.year,
    ).where(
        GroupPublication.group.is_in(list(group_ids) or [-1]),
        GroupPublication.included == True,  # noqa: E712
    )
    for r in rows:
        if _in_window(r["year"], windows.get(r["group"]), today):
            out[r["group"]].append(r)
    return out


async def add_publication(
    actor: Principal, group_id: int, data: s.PublicationIn
) -> s.PublicationOut:
    await _group_row(group_id)
    _ensure_editor(actor, group_id)
    from literature.formats.record import normalise_doi

    async with transaction():
        inserted = await GroupPublication.insert(
            GroupPublication(
                group=group_id,
                title=" ".join(data.title.split()),
                abstract=data.abstract,
                year=data.year,
                doi=normalise_doi(data.doi),
                container=data.container,
                authors=[[a, ""] for a in data.authors if a.strip()],
                keywords=_clean(data.keywords),
                language=data.language,
                url=data.url,
                source="manual",
            )
        ).returning(*GroupPublication.all_columns())
    return _publication_out(inserted[0], await _window(group_id))


async def curate(actor: Principal, group_id: int, data: s.CurationIn) -> list[s.PublicationOut]:
    """Include/exclude publications and set the recency window; remembered across imports."""
    await _group_row(group_id)
    _ensure_editor(actor, group_id)
    async with transaction():
        for ids, value in ((data.include, True), (data.exclude, False)):
            if ids:
                await GroupPublication.update({GroupPublication.included: value}).where(
                    GroupPublication.group == group_id, GroupPublication.id.is_in(ids)
                )
        if data.recency_years is not None or data.clear_recency:
            if not await GroupProfile.exists().where(GroupProfile.group == group_id):
                await GroupProfile.insert(GroupProfile(group=group_id))
            await GroupProfile.update(
                {GroupProfile.recency_years: None if data.clear_recency else data.recency_years}
            ).where(GroupProfile.group == group_id)
        await audit.record(
            actor,
            "research_group.curate",
            "research_group",
            group_id,
            after={"include": data.include, "exclude": data.exclude},
        )
    return await list_publications(group_id)


async def start_publication_import(
    actor: Principal,
    dispatcher: runner.Dispatcher,
    group_id: int,
    fmt: str,
    filename: str,
    data: bytes,
) -> Any:
    from klynge.jobs.service import get_job

    await _group_row(group_id)
    _ensure_editor(actor, group_id)
    if fmt not in PUBLICATION_FORMATS:
        raise Invalid(
            "Ukjent format.",
            [FieldError("format", "Formatet må være ett av: " + ", ".join(PUBLICATION_FORMATS))],
        )
    job_id = await runner.submit(
        IMPORT_PUBLICATIONS,
        {"group_id": group_id, "format": fmt, "filename": filename},
        dispatcher=dispatcher,
        payload=data,
        created_by=actor.account_id,
    )
    return await get_job(actor, str(job_id))


async def import_publications(
    group_id: int, fmt: str, filename: str, data: bytes
) -> s.PublicationImportOut:
    """Parse with the literature importers; skip what the group already has (DOI/PMID or
    title+author+year), so a re-import keeps the group's curation."""
    from literature import schemas as ls
    from literature.imports import parse_file

    parsed = parse_file(data, ls.ImportFormat(fmt), filename)
    existing = await GroupPublication.select(
        GroupPublication.id,
        GroupPublication.title,
        GroupPublication.authors,
        GroupPublication.year,
        GroupPublication.doi,
        GroupPublication.pmid,
    ).where(GroupPublication.group == group_id)
    stored = [
        DedupRecord(
            key=r["id"],
            title=r["title"],
            authors=tuple(
                (str(a[0]), str(a[1])) for a in json_value(r["authors"], []) if len(a) == 2
            ),
            year=r["year"],
            doi=r["doi"],
            pmid=r["pmid"],
        )
        for r in existing
    ]
    new = [
        DedupRecord(
            key=-(i + 1),
            title=r.title,
            authors=tuple((a.family, a.given) for a in r.authors),
            year=r.year,
            doi=r.doi,
            pmid=r.pmid,
            container=r.container,
        )
        for i, r in enumerate(parsed.records)
    ]
    duplicates = {m.key for m in find_duplicates(new, stored).exact}
    rows = [
        GroupPublication(
            group=group_id,
            title=r.title,
            abstract=r.abstract,
            authors=[[a.family, a.given] for a in r.authors],
            year=r.year,
            container=r.container,
            doi=r.doi,
            pmid=r.pmid,
            keywords=list(r.keywords),
            language=r.language,
            url=r.url,
            source=fmt,
        )
        for i, r in enumerate(parsed.records)
        if -(i + 1) not in duplicates
    ]
    async with transaction():
        if rows:
            await GroupPublication.insert(*rows)
    return s.PublicationImportOut(
        read=parsed.read,
        imported=len(rows),
        duplicates=len(duplicates),
        problems=[{"record": p.record, "reason": p.reason} for p in parsed.problems],
    )


@runner.job(IMPORT_PUBLICATIONS)
async def import_publications_job(ctx: runner.JobContext) -> dict[str, Any] | None:
    if ctx.payload is None:
        raise runner.JobFailed("Jobben mangler filen den skulle importere.")
    group_id = int(ctx.params["group_id"])
    await ctx.progress(10, "Leser filen")
    try:
        report = await import_publications(
            group_id, str(ctx.params["format"]), str(ctx.params["filename"]), bytes(ctx.payload)
        )
    except FormatError as exc:
        raise runner.JobFailed(f"Filen ble ikke importert: {exc}") from None
    result = {
        "read": report.read,
        "imported": report.imported,
        "duplicates": report.duplicates,
        "problems": report.problems,
    }
    message = (
        f"{report.read} lest, {report.imported} nye publikasjoner, "
        f"{report.duplicates} fantes fra før, {len(report.problems)} problemer."
    )
    async with transaction():
        await ctx.finish(result, message, f"/forskergrupper/{group_id}")
    return None


async def groups_of_researcher(actor: Principal) -> list[int]:
    return sorted(actor.org_ids(Role.RESEARCHER))


async def proposal_load(group_id: int) -> int:
    return await Proposal.count().where(Proposal.group == group_id, Proposal.status == "submitted")
