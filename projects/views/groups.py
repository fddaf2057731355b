"""Research groups in the browser: the list, registering a group, the profile page and its
edit form (expertise, methods, services, capacity, members with ORCID), and the group's
publications: curation, adding one by hand, and importing a file as a job."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth import access
from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import gettext as _
from klynge.jobs import runner
from klynge.orgs.importing import read_upload
from klynge.orgs.schemas import Sector, ServiceType
from klynge.settings import Settings
from klynge.views.common import (
    N_,
    NOTICES,
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)
from projects import groups
from projects import schemas as s
from projects.views import common as c

EMPTY_MEMBER_ROWS = 3
PROFILE_FIELDS = (
    "expertise",
    "keywords",
    "methods",
    "target_groups",
    "service_types",
    "languages",
    "region",
    "location",
    "latitude",
    "longitude",
    "capacity",
    "recency_years",
)
GROUP_FIELDS = ("name", "institution", "org_number", "sector", "unit", "description")
PUBLICATION_FIELDS = ("title", "year", "authors", "doi", "container", "abstract")
UPLOAD_FIELDS = ("file", "format")
NOTICES.update(
    {
        "profile-saved": N_("The profile was saved."),
        "publication-added": N_("The publication was added."),
        "curation-saved": N_("The choice of publications was saved."),
    }
)


def _messages() -> dict[str, str]:
    return {
        "name": _("Write the group's name."),
        "institution": _("Write the institution."),
        "capacity": _("Write a whole number from 0 to 100."),
        "recency_years": _("Write a whole number of years from 1 to 100, or leave it empty."),
        "latitude": _("Write a latitude between -90 and 90, for example 60.39."),
        "longitude": _("Write a longitude between -180 and 180, for example 5.32."),
        "methods": _("Choose from the list."),
        "service_types": _("Choose from the list."),
        "sector": _("Choose the sector."),
        "title": _("Write the title."),
        "year": _("Write the year with four digits."),
    }


def _member_rows(values: dict[str, Any]) -> int:
    count = 0
    while f"members-{count}-name" in values or f"members-{count}-orcid" in values:
        count += 1
    return count


def _profile_values(group: s.GroupOut | None) -> dict[str, Any]:
    if group is None:
        return {"capacity": "1"}
    values: dict[str, Any] = {
        "expertise": group.expertise,
        "keywords": "\n".join(group.keywords),
        "methods": list(group.methods),
        "target_groups": "\n".join(group.target_groups),
        "service_types": list(group.service_types),
        "languages": ", ".join(group.languages),
        "region": group.region,
        "location": group.location,
        "latitude": "" if group.latitude is None else str(group.latitude),
        "longitude": "" if group.longitude is None else str(group.longitude),
        "capacity": str(group.capacity),
        "recency_years": "" if group.recency_years is None else str(group.recency_years),
    }
    for i, m in enumerate(group.members):
        values[f"members-{i}-name"] = m.name
        values[f"members-{i}-role"] = m.role
        values[f"members-{i}-orcid"] = m.orcid
        values[f"members-{i}-account_id"] = "" if m.account_id is None else str(m.account_id)
        values[f"members-{i}-employer_service_id"] = (
            "" if m.employer_service_id is None else str(m.employer_service_id)
        )
    return values


def _profile_body(data: dict[str, Any]) -> dict[str, Any]:
    """The form's fields in the shape of ProfileIn (strings left for `parse` to convert)."""
    body: dict[str, Any] = {
        "expertise": text(data, "expertise", strip=False).strip(),
        "keywords": c.lines(data.get("keywords")),
        "methods": c.as_list(data, "methods"),
        "target_groups": c.lines(data.get("target_groups")),
        "service_types": c.as_list(data, "service_types"),
        "languages": [x.strip() for x in text(data, "languages").split(",") if x.strip()],
    }
    for name in ("region", "location", "latitude", "longitude", "capacity", "recency_years"):
        body[name] = text(data, name)
    members = []
    for i in range(_member_rows(data)):
        name = text(data, f"members-{i}-name")
        orcid = text(data, f"members-{i}-orcid")
        role = text(data, f"members-{i}-role")
        if not (name or orcid or role):
            continue
        member: dict[str, Any] = {"name": name, "role": role, "orcid": orcid}
        for key in ("account_id", "employer_service_id"):
            member[key] = c.int_or_none(text(data, f"members-{i}-{key}"))
        members.append((i, member))
    body["members"] = [m for _, m in members]
    body["_rows"] = [i for i, _ in members]
    return body


def _member_errors(body: dict[str, Any]) -> list[FieldError]:
    return [
        FieldError(f"members.{pos}.name", _("Write the member's name."))
        for pos, m in enumerate(body["members"])
        if not m["name"]
    ]


def _remap(form: Form, rows: list[int]) -> Form:
    """Field paths of the use case ("members.1.orcid") to the form's fields; a member's
    position among the filled rows back to its row on the page."""
    errors: dict[str, str] = {}
    for name, message in form.errors.items():
        parts = name.split(".")
        if parts[0] == "members" and len(parts) == 3 and parts[1].isdigit():
            pos = int(parts[1])
            row = rows[pos] if pos < len(rows) else pos
            name = f"members.{row}.{parts[2]}"
        elif len(parts) == 2 and parts[1].isdigit():
            name = parts[0]
        errors[c.field_of(name)] = message
    form.errors = errors
    return form


def _fields(values: dict[str, Any], extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    rows = max(_member_rows(values), 0) + EMPTY_MEMBER_ROWS
    members = tuple(
        f"members-{i}-{part}" for i in range(rows) for part in ("name", "role", "orcid")
    )
    return extra + PROFILE_FIELDS + members


def _choices() -> dict[str, Any]:
    return {
        "method_choices": list(s.Method),
        "service_choices": list(ServiceType),
        "sector_choices": list(Sector),
    }


# --- the list and a new group ---------------------------------------------------------------


@get("/forskergrupper", guards=[requires_authenticated], include_in_schema=False, name="groups")
async def groups_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    from klynge.auth.roles import Role

    return render(
        "projects/groups.html",
        groups=await groups.list_groups(),
        may_create=access.holds_any(actor, Role.ADVISER),
        mine=set(actor.org_ids(Role.RESEARCHER)),
        notice=notice_text(request.query_params.get("notice")),
        **c.labels(),
    )


def _new_page(form: Form, *, status: int = 200) -> Template:
    return render(
        "projects/group_form.html",
        form=form,
        failed=form if form.failed else None,
        group=None,
        rows=_member_rows(form.values) + EMPTY_MEMBER_ROWS,
        action="/forskergrupper/ny",
        here="/forskergrupper/ny",
        status=status,
        **_choices(),
        **c.labels(),
    )


@get("/forskergrupper/ny", guards=[c.ADVISERS], include_in_schema=False, name="group_new")
async def group_new() -> Template:
    values = {**_profile_values(None), "sector": "uoh"}
    return _new_page(Form("profile", _fields(values, GROUP_FIELDS), values=values))


@post("/forskergrupper/ny", guards=[c.ADVISERS], include_in_schema=False, name="group_create")
async def group_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    values = form_values(data)
    form = Form("profile", _fields(values, GROUP_FIELDS), values=values)
    body = _profile_body(data)
    rows = body.pop("_rows")
    for name in GROUP_FIELDS:
        body[name] = text(data, name, strip=False).strip()
    try:
        errors = _member_errors(body)
        if errors:
            raise Invalid(_("Some fields need attention."), errors)
        out = await groups.create_group(actor, parse(s.GroupCreate, body, _messages()))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return _new_page(_remap(form.fail(exc), rows), status=exc.status)
    return see_other(f"/forskergrupper/{out.id}", notice="group-created")


# --- the profile -----------------------------------------------------------------------------


@get(
    "/forskergrupper/{group_id:int}",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="group",
)
async def group_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], group_id: FromPath[int]
) -> Template:
    group = await groups.get_group(group_id)
    return render(
        "projects/group.html",
        group=group,
        may_edit=groups.may_edit(actor, group_id),
        notice=notice_text(request.query_params.get("notice")),
        **c.labels(),
    )


def _edit_page(group: s.GroupOut, form: Form, *, status: int = 200) -> Template:
    return render(
        "projects/group_form.html",
        form=form,
        failed=form if form.failed else None,
        group=group,
        rows=_member_rows(form.values) + EMPTY_MEMBER_ROWS,
        action=f"/forskergrupper/{group.id}/rediger",
        here=f"/forskergrupper/{group.id}/rediger",
        status=status,
        **_choices(),
        **c.labels(),
    )


def _ensure_editor(actor: Principal, group_id: int) -> None:
    from klynge.errors import Forbidden

    if not groups.may_edit(actor, group_id):
        raise Forbidden("Bare gruppens forskere kan endre profilen.")


@get(
    "/forskergrupper/{group_id:int}/rediger",
    guards=[c.RESEARCHERS],
    include_in_schema=False,
    name="group_edit",
)
async def group_edit(actor: NamedDependency[Principal], group_id: FromPath[int]) -> Template:
    group = await groups.get_group(group_id)
    _ensure_editor(actor, group_id)
    values = _profile_values(group)
    return _edit_page(group, Form("profile", _fields(values), values=values))


@post(
    "/forskergrupper/{group_id:int}/rediger",
    guards=[c.RESEARCHERS],
    include_in_schema=False,
    name="group_update",
)
async def group_update(
    actor: NamedDependency[Principal],
    group_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    group = await groups.get_group(group_id)
    values = form_values(data)
    form = Form("profile", _fields(values), values=values)
    body = _profile_body(data)
    rows = body.pop("_rows")
    try:
        errors = _member_errors(body)
        if errors:
            raise Invalid(_("Some fields need attention."), errors)
        await groups.update_profile(actor, group_id, parse(s.ProfileIn, body, _messages()))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return _edit_page(group, _remap(form.fail(exc), rows), status=exc.status)
    return see_other(f"/forskergrupper/{group_id}", notice="profile-saved")


# --- publications ----------------------------------------------------------------------------


async def _publications_page(
    actor: Principal,
    group_id: int,
    *,
    job_id: str | None = None,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    group = await groups.get_group(group_id)
    forms = {
        "curation": Form(
            "curation",
            ("recency_years",),
            values={"recency_years": "" if group.recency_years is None else group.recency_years},
        ),
        "publication": Form("publication", PUBLICATION_FIELDS),
        "upload": Form("upload", UPLOAD_FIELDS, values={"format": "ris"}),
    }
    if failed is not None:
        forms[failed.id] = failed
    return render(
        "projects/publications.html",
        group=group,
        publications=await groups.list_publications(group_id),
        may_edit=groups.may_edit(actor, group_id),
        forms=forms,
        failed=failed,
        job=await c.job_or_none(actor, job_id),
        notice=notice,
        here=f"/forskergrupper/{group_id}/publikasjoner",
        status=status,
        **c.labels(),
    )


@get(
    "/forskergrupper/{group_id:int}/publikasjoner",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="group_publications",
)
async def publications_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], group_id: FromPath[int]
) -> Template:
    return await _publications_page(
        actor,
        group_id,
        job_id=request.query_params.get("jobb"),
        notice=notice_text(request.query_params.get("notice")),
    )


@post(
    "/forskergrupper/{group_id:int}/publikasjoner/utvalg",
    guards=[c.RESEARCHERS],
    include_in_schema=False,
    name="group_curate",
)
async def publications_curate(
    actor: NamedDependency[Principal],
    group_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    shown = c.int_list(data.get("shown", []))
    include = [i for i in c.int_list(data.get("include", [])) if i in shown]
    form = Form("curation", ("recency_years",), values=form_values(data))
    recency = text(data, "recency_years")
    try:
        body: dict[str, Any] = {
            "include": include,
            "exclude": [i for i in shown if i not in include],
            "clear_recency": not recency,
        }
        if recency:
            body["recency_years"] = recency
        await groups.curate(actor, group_id, parse(s.CurationIn, body, _messages()))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _publications_page(
            actor, group_id, failed=form.fail(exc, "recency_years"), status=exc.status
        )
    return see_other(
        f"/forskergrupper/{group_id}/publikasjoner", notice="curation-saved", fragment="utvalg"
    )


@post(
    "/forskergrupper/{group_id:int}/publikasjoner/ny",
    guards=[c.RESEARCHERS],
    include_in_schema=False,
    name="group_publication_add",
)
async def publication_add(
    actor: NamedDependency[Principal],
    group_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("publication", PUBLICATION_FIELDS, values=form_values(data))
    body: dict[str, Any] = {
        name: text(data, name, strip=False).strip() for name in ("title", "doi", "container")
    }
    body["abstract"] = text(data, "abstract", strip=False).strip()
    body["year"] = text(data, "year")
    body["authors"] = c.lines(data.get("authors"))
    try:
        await groups.add_publication(actor, group_id, parse(s.PublicationIn, body, _messages()))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _publications_page(actor, group_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/forskergrupper/{group_id}/publikasjoner",
        notice="publication-added",
        fragment="publikasjoner",
    )


@post(
    "/forskergrupper/{group_id:int}/publikasjoner/import",
    guards=[c.RESEARCHERS],
    include_in_schema=False,
    name="group_publication_import",
)
async def publication_import(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    dispatcher: NamedDependency[runner.Dispatcher],
    group_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    values = {k: v for k, v in data.items() if isinstance(v, str)}
    form = Form("upload", UPLOAD_FIELDS, values=form_values(values))
    upload = data.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Invalid(
                _("Some fields need attention."), [FieldError("file", _("Choose the file."))]
            )
        allowed = (".ris", ".txt", ".bib", ".nbib", ".json", ".xlsx", ".csv")
        name, content = await read_upload(upload, settings, allowed=allowed)
        job = await groups.start_publication_import(
            actor, dispatcher, group_id, text(values, "format").lower(), name, content
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _publications_page(
            actor, group_id, failed=form.fail(exc, "file"), status=exc.status
        )
    return see_other(f"/forskergrupper/{group_id}/publikasjoner?jobb={job.id}", fragment="import")


HANDLERS = [
    groups_page,
    group_new,
    group_create,
    group_page,
    group_edit,
    group_update,
    publications_page,
    publications_curate,
    publication_add,
    publication_import,
]
