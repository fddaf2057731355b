"""Admin page for organisations: municipalities (one by one or a bulk import that runs as a
job), clusters, research groups and funders."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth import accounts
from klynge.auth.guards import requires_admin
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.jobs.runner import Dispatcher
from klynge.orgs import importing
from klynge.orgs import schemas as s
from klynge.orgs import service as orgs
from klynge.settings import Settings
from klynge.views.common import (
    FieldMessage,
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)

PAGE = "/admin/organisations"
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "municipality": ("number", "name", "population", "language", "valid_from"),
    "import": ("file",),
    "cluster": ("name", "motor_municipality_id", "description", "adviser_ids", "is_public"),
    "group": ("name", "institution", "unit", "org_number", "sector", "description"),
    "funder": ("name", "org_number", "description"),
}


def _sector(sector: s.Sector) -> str:
    return _(s.SECTOR_LABELS[sector])


def _messages() -> dict[str, FieldMessage]:
    return {
        "number": N_("Enter a four-digit municipality number, like 4601."),
        "name": N_("Enter the name."),
        "population": N_("Enter the population as a whole number, or leave the field empty."),
        "language": N_("Choose the municipality's language decision."),
        "valid_from": N_("Enter a date like 2024-01-01."),
        "motor_municipality_id": N_("Choose the motor municipality."),
        "description": N_("The description can be at most 10,000 characters."),
        "adviser_ids": N_("Choose advisers from the list."),
        "institution": N_("Enter the institution, like Universitetet i Bergen."),
        "org_number": N_("Enter the nine-digit organisation number."),
        "sector": N_("Choose the sector."),
    }


async def _page(
    actor: Principal,
    search: str = "",
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    forms = {key: Form(key, fields) for key, fields in FORM_FIELDS.items()}
    if failed is not None:
        forms[failed.id] = failed
    everyone = await orgs.list_municipalities()
    municipalities = await orgs.list_municipalities(search) if search else everyone
    return render(
        "core/admin/organisations.html",
        municipalities=municipalities,
        motor_options=[(m.id, f"{m.name} ({m.number})") for m in everyone],
        adviser_options=[
            (a.id, f"{a.name} ({a.email})") for a in await accounts.list_accounts() if a.is_active
        ],
        sector_options=[(sector.value, _sector(sector)) for sector in s.Sector],
        clusters=await orgs.list_clusters(actor),
        groups=await orgs.list_research_groups(),
        funders=await orgs.list_funders(),
        search=search,
        forms=forms,
        failed=failed,
        notice=notice,
        here=PAGE,
        status=status,
    )


@get(PAGE, guards=[requires_admin], include_in_schema=False, name="admin_organisations")
async def organisations_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    return await _page(
        actor,
        request.query_params.get("q", ""),
        notice=notice_text(request.query_params.get("notice")),
    )


async def _create(
    actor: Principal, key: str, data: dict[str, Any], create: Any, notice: str
) -> Template | Redirect:
    form = Form(key, FORM_FIELDS[key], values=form_values(data))
    try:
        await create()
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, failed=form.fail(exc), status=exc.status)
    return see_other(PAGE, notice=notice, fragment=key)


@post(
    f"{PAGE}/municipalities",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_municipality_create",
)
async def municipality_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    async def create() -> None:
        await orgs.create_municipality(actor, parse(s.MunicipalityCreate, data, _messages()))

    return await _create(actor, "municipality", data, create, "municipality-created")


@post(
    f"{PAGE}/municipalities/import",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_municipality_import",
)
async def municipality_import(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    dispatcher: NamedDependency[Dispatcher],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    upload = data.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Invalid(
                N_("Some fields need attention."),
                [FieldError("file", N_("Choose a .xlsx or .csv file."))],
            )
        job = await importing.start_import(actor, upload, settings, dispatcher)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(
            actor, failed=Form("import", FORM_FIELDS["import"]).fail(exc, "file"), status=exc.status
        )
    return see_other(f"/jobs/{job.id}")


def _id_list(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v.strip()]


@post(
    f"{PAGE}/clusters",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_cluster_create",
)
async def cluster_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    async def create() -> None:
        fields = {
            "name": text(data, "name"),
            "motor_municipality_id": text(data, "motor_municipality_id"),
            "description": text(data, "description"),
            "adviser_ids": _id_list(data.get("adviser_ids", [])),
            # An unticked checkbox sends nothing: absence means "not public".
            "is_public": "is_public" in data,
        }
        await orgs.create_cluster(actor, parse(s.ClusterCreate, fields, _messages()))

    return await _create(actor, "cluster", data, create, "cluster-created")


@post(
    f"{PAGE}/research-groups",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_group_create",
)
async def group_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    async def create() -> None:
        await orgs.create_research_group(actor, parse(s.ResearchGroupCreate, data, _messages()))

    return await _create(actor, "group", data, create, "group-created")


@post(
    f"{PAGE}/funders",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_funder_create",
)
async def funder_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    async def create() -> None:
        await orgs.create_funder(actor, parse(s.FunderCreate, data, _messages()))

    return await _create(actor, "funder", data, create, "funder-created")


HANDLERS = [
    organisations_page,
    municipality_create,
    municipality_import,
    cluster_create,
    group_create,
    funder_create,
]
