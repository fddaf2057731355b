"""The Excel template for needs and the import of a filled-in one (runs as a job)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, URLEncodedBody
from litestar.response import Redirect

from klynge.auth.principal import Principal
from klynge.errors import FieldError, Invalid
from klynge.i18n import N_
from klynge.jobs import runner
from klynge.settings import Settings
from klynge.views.common import (
    see_other,
    text,
)
from priorities import jobs, need_pages
from priorities.views import common as c
from priorities.views.needs import SUBMITTERS

# --- Excel template and import ---------------------------------------------------------------


@post("/behov/mal", guards=[SUBMITTERS], include_in_schema=False, name="need_template")
async def need_template(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Response[bytes]:
    """The Excel template (a POST form, so that the download never counts as a page)."""
    from priorities.controllers import _xlsx

    content = await need_pages.needs_template(actor, c.int_or_none(data.get("cluster_id")))
    return _xlsx("kunnskapsbehov-mal.xlsx", content)


@post("/behov/import", guards=[SUBMITTERS], include_in_schema=False, name="need_import")
async def need_import(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    dispatcher: NamedDependency[runner.Dispatcher],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    upload = data.get("file")
    cluster_id = c.int_or_none(data.get("cluster_id"))
    municipality_id = c.int_or_none(data.get("municipality_id"))
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid(
            N_("Some fields need attention."), [FieldError("file", N_("Choose a .xlsx file."))]
        )
    if cluster_id is None or municipality_id is None:
        raise Invalid(N_("Choose the municipality you submit for."))
    job_id = await jobs.start_import(
        actor,
        dispatcher,
        settings,
        upload,
        cluster_id=cluster_id,
        municipality_id=municipality_id,
        submit=text(data, "submit") == "1",
    )
    return see_other(f"/jobs/{job_id}")


HANDLERS = [
    need_template,
    need_import,
]
