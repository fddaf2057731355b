"""API of literature imports: upload a reference file as a job, list, read and undo imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from klynge.auth.guards import requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import FieldError, Invalid
from klynge.i18n import N_
from klynge.jobs import runner
from klynge.settings import Settings
from literature import imports, service
from literature import schemas as s

MANAGERS = requires_role(Role.ADVISER, Role.PLATFORM_ADMIN)


@dataclass
class ImportForm:
    """Multipart form of an import: the file plus what it is and where it came from."""

    file: UploadFile
    format: str
    source: str
    cluster_id: int | None = None
    query: str = ""
    searched_on: str = ""
    check_id: int | None = None


def _date(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(
            N_("Invalid date."), [FieldError(field, N_("Use the format YYYY-MM-DD."))]
        ) from None


def _format(value: str) -> s.ImportFormat:
    try:
        return s.ImportFormat(value.strip().lower())
    except ValueError:
        allowed = ", ".join(f.value for f in s.ImportFormat)
        raise Invalid(
            N_("Unknown format."),
            [
                FieldError(
                    "format",
                    N_("The format must be one of: %(allowed)s."),
                    params={"allowed": allowed},
                )
            ],
        ) from None


class ImportController(Controller):
    path = "/api/literature/imports"
    tags = ["literature"]

    @post(
        "/",
        guards=[MANAGERS],
        operation_id="CreateLiteratureImport",
        status_code=HTTP_202_ACCEPTED,
        summary="Import a reference file (RIS, BibTeX, MEDLINE, CSL-JSON, xlsx, csv) as a job",
    )
    async def create(
        self,
        actor: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        dispatcher: NamedDependency[runner.Dispatcher],
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> s.ImportOut:
        fmt = _format(data.format)
        content = await data.file.read(settings.max_upload_bytes + 1)
        return await service.upload_import(
            actor,
            dispatcher,
            content,
            cluster_id=data.cluster_id,
            fmt=fmt,
            source=data.source,
            filename=data.file.filename or f"import.{fmt.value}",
            max_bytes=settings.max_upload_bytes,
            query=data.query,
            searched_on=_date(data.searched_on, "searched_on"),
            check_id=data.check_id,
        )

    @get(
        "/",
        guards=[requires_authenticated],
        operation_id="ListLiteratureImports",
        summary="Imports of the caller's clusters, newest first",
    )
    async def list_imports(
        self, actor: NamedDependency[Principal], cluster_id: FromQuery[int | None] = None
    ) -> list[s.ImportOut]:
        return await imports.list_imports(actor, cluster_id)

    @get(
        "/{import_id:int}",
        guards=[requires_authenticated],
        operation_id="GetLiteratureImport",
        summary="An import's status and report",
    )
    async def get_import(
        self, actor: NamedDependency[Principal], import_id: FromPath[int]
    ) -> s.ImportOut:
        return await imports.get_import(actor, import_id)

    @post(
        "/{import_id:int}/undo",
        guards=[MANAGERS],
        operation_id="UndoLiteratureImport",
        status_code=HTTP_200_OK,
        summary="Undo an import (refused once screening has used its records)",
    )
    async def undo(
        self, actor: NamedDependency[Principal], import_id: FromPath[int]
    ) -> s.ImportOut:
        return await imports.undo_import(actor, import_id)
