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
from klynge.i18n import N_
from klynge.orgs import service as orgs
from klynge.orgs import validators
from klynge.orgs.schemas import ResearchGroupCreate, ServiceType
from klynge.orgs.tables import ResearchGroup, Service
from projects import schemas as s
from projects.paging import PAGE_SIZE, Page, pages_for
from projects.tables import GroupMember, GroupProfile, GroupPublication, Project, Proposal


def may_edit(actor: Principal, group_id: int) -> bool:
    return access.holds(actor, Role.RESEARCHER, group_id)


def may_create(actor: Principal) -> bool:
    """Administrators and R&D advisers register research groups."""
    return access.holds_any(actor, Role.ADVISER)


def _ensure_editor(actor: Principal, group_id: int) -> None:
    if not may_edit(actor, group_id):
        raise Forbidden(N_("Only the group's researchers can edit the profile."))


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
            errors.append(
                FieldError(
                    f"service_types.{i}",
                    N_("Unknown service type «%(value)s»."),
                    params={"value": value},
                )
            )
    if (data.latitude is None) != (data.longitude is None):
        errors.append(FieldError("longitude", N_("Give both latitude and longitude, or neither.")))
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
    if not may_create(actor):
        raise Forbidden(N_("Only administrators and R&D advisers can register research groups."))
    errors = _profile_errors(data)
    if not data.name.strip():
        errors.append(FieldError("name", N_("Give the group's name.")))
    if not data.institution.strip():
        errors.append(FieldError("institution", N_("Give the institution.")))
    if errors:
        raise Invalid(N_("The research group cannot be saved."), errors)
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
                N_("Unknown service."),
                [FieldError(f"members.{i}.employer_service_id", N_("The service does not exist."))],
            )


async def update_profile(actor: Principal, group_id: int, data: s.ProfileIn) -> s.GroupOut:
    await _group_row(group_id)
    _ensure_editor(actor, group_id)
    errors = _profile_errors(data)
    if errors:
        raise Invalid(N_("The profile cannot be saved."), errors)
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
        raise NotFound(N_("We could not find the research group."))
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


async def count_groups() -> int:
    return await ResearchGroup.count()


async def page_groups(number: int, size: int = PAGE_SIZE) -> Page:
    """One page of the groups list (a count and five queries, whatever the page size)."""
    total = await count_groups()
    number = min(number, pages_for(total, size))
    items = await list_groups(limit=size, offset=(number - 1) * size)
    return Page(items, number, pages_for(total, size), total)


async def list_groups(
    ids: Sequence[int] | None = None, *, limit: int | None = None, offset: int = 0
) -> list[s.GroupOut]:
    """Groups by name (those in `ids`, or a page of all); five queries whatever the number."""
    query = ResearchGroup.select().order_by(ResearchGroup.name).order_by(ResearchGroup.id)
    if ids is not None:
        query = query.where(ResearchGroup.id.is_in(list(ids) or [-1]))
    if limit is not None:
        query = query.limit(limit).offset(offset)
    rows = await query
    if ids is not None and len(rows) != len(set(ids)):
        raise NotFound(N_("We could not find the research group."))
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
    return [
        _group_out(
            r,
            profiles.get(r["id"]) or {},
            members.get(r["id"], []),
            [x for x in pubs if x["group"] == r["id"]],
            used.get(r["id"], 0),
            today,
        )
        for r in rows
    ]


def _group_out(
    r: Mapping[str, Any],
    p: Mapping[str, Any],
    members: list[s.MemberOut],
    own: list[dict[str, Any]],
    used: int,
    today: dt.date,
) -> s.GroupOut:
    window = p.get("recency_years")
    capacity = int(p.get("capacity") or 0)
    return s.GroupOut(
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
        capacity_left=max(0, capacity - used),
        recency_years=window,
        members=members,
        publications=len(own),
        publications_included=sum(
            1 for x in own if x["included"] and _in_window(x["year"], window, today)
        ),
    )


async def groups_of_researcher(actor: Principal) -> list[int]:
    return sorted(actor.org_ids(Role.RESEARCHER))


async def proposal_load(group_id: int) -> int:
    return await Proposal.count().where(Proposal.group == group_id, Proposal.status == "submitted")
