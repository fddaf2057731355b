"""The findings part's outcome pages: the new-outcome form (from the project page), the
outcome page (anonymous readers see a public, published outcome's public fields), the edit
form, attachments and the knowledge-bank proposal. A refused form is shown again with the
message next to the field."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Stream, Template

from klynge.auth.guards import PUBLIC, requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.files import FileStore, content_disposition
from klynge.i18n import N_
from klynge.settings import Settings
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
)
from klynge.views.common import text as field
from projects.findings import outcome_files, outcome_measure, outcome_pages, outcomes
from projects.findings import outcomes_schemas as s
from projects.findings.access import require_manage

GUARDS = [requires_authenticated]
FIELDS = (
    "kind", "title", "summary_language", "summary", "summary_en", "practice", "evidence_type",
    "evidence_note", "doi", "citation_text", "links", "is_public",
)  # fmt: skip
TEXTS = FIELDS[:-2]
MESSAGES: dict[str, Any] = {
    "kind": N_("Choose the kind of outcome."),
    "title": N_("Write a title."),
    "links": N_("Write one link a line: title | https://…"),
    "scale": N_("Choose an evidence scale from the list."),
    "level": N_("Write the level on the scale."),
    "decision": N_("Choose accept or decline."),
}


def _links(value: str) -> list[dict[str, str]]:
    """One link a line, "title | url" (a bare url is its own title)."""
    found = []
    for line in value.splitlines():
        if line.strip():
            title, _bar, url = line.rpartition("|")
            found.append({"title": (title or url).strip(), "url": url.strip()})
    return found


def _body(data: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {name: field(data, name, strip=False) for name in TEXTS}
    body["links"] = _links(field(data, "links"))
    body["is_public"] = field(data, "is_public") in ("on", "true", "1")
    return body


def _links_errors(exc: DomainError) -> DomainError:
    """A link's error shows on the links field of the form."""
    exc.errors = [
        FieldError("links", e.message, params=e.params) if e.field.startswith("links.") else e
        for e in exc.errors
    ]
    return exc


async def _form_page(
    actor: Principal, *, project_id: int, outcome_id: int | None = None,
    form: Form | None = None, status: int = 200,
) -> Template:  # fmt: skip
    if outcome_id is None:
        context = await outcome_pages.new_form(actor, project_id)
        action = f"/prosjekter/{project_id}/resultater/ny"
    else:
        context = await outcome_pages.outcome_page(actor, outcome_id)
        require_manage(context["access"])
        action = f"/resultater/{outcome_id}/rediger"
        form = form or Form("outcome", FIELDS, values=outcome_pages.form_values(context["outcome"]))
    form = form or Form("outcome", FIELDS, values={"summary_language": "nb"})
    return render(
        "projects/findings/outcome_form.html", status=status, form=form, action=action,
        failed=form if form.failed else None, editing=outcome_id is not None, **context,
    )  # fmt: skip


@get("/prosjekter/{project_id:int}/resultater/ny", guards=GUARDS, include_in_schema=False,
     name="findings_outcome_new")  # fmt: skip
async def new_page(actor: NamedDependency[Principal], project_id: FromPath[int]) -> Template:
    return await _form_page(actor, project_id=project_id)


@post("/prosjekter/{project_id:int}/resultater/ny", guards=GUARDS, include_in_schema=False,
      name="findings_outcome_create")  # fmt: skip
async def create(
    actor: NamedDependency[Principal], project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:  # fmt: skip
    form = Form("outcome", FIELDS, values=form_values(data))
    try:
        out = await outcomes.create_outcome(
            actor, project_id, parse(s.OutcomeCreate, _body(data), MESSAGES)
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        failed = form.fail(_links_errors(exc))
        return await _form_page(actor, project_id=project_id, form=failed, status=exc.status)
    return see_other(f"/resultater/{out.id}", notice="projects.findings-outcomes-created")


async def _outcome(
    actor: Principal | None, outcome_id: int, *, form: Form | None = None, notice: str = "",
    status: int = 200,
) -> Template:  # fmt: skip
    context = await outcome_pages.outcome_page(actor, outcome_id)
    forms = {name: Form(name) for name in ("file", "measure", "decision")}
    if form is not None:
        forms[form.id] = form
    return render(
        "projects/findings/outcome.html", status=status, notice=notice, forms=forms,
        failed=form if form is not None and form.failed else None, **context,
    )  # fmt: skip


@get("/resultater/{outcome_id:int}", opt=PUBLIC, include_in_schema=False,
     name="findings_outcome")  # fmt: skip
async def outcome_view(
    request: Request[Any, Any, Any], caller: NamedDependency[Principal | None],
    outcome_id: FromPath[int],
) -> Template:  # fmt: skip
    notice = notice_text(request.query_params.get("notice"))
    return await _outcome(caller, outcome_id, notice=notice)


@get("/resultater/{outcome_id:int}/rediger", guards=GUARDS, include_in_schema=False,
     name="findings_outcome_edit")  # fmt: skip
async def edit_page(actor: NamedDependency[Principal], outcome_id: FromPath[int]) -> Template:
    return await _form_page(actor, project_id=0, outcome_id=outcome_id)


@post("/resultater/{outcome_id:int}/rediger", guards=GUARDS, include_in_schema=False,
      name="findings_outcome_save")  # fmt: skip
async def save(
    actor: NamedDependency[Principal], outcome_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:  # fmt: skip
    form = Form("outcome", FIELDS, values=form_values(data))
    try:
        body = _body(data)
        update = parse(s.OutcomeUpdate, body, MESSAGES)
        # An emptied field is emptied (parse leaves empty optional fields out).
        emptied = {n: "" for n in TEXTS[3:] if n != "citation_text" and body[n].strip() == ""}
        update = msgspec.structs.replace(update, **emptied)
        await outcomes.update_outcome(actor, outcome_id, update)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        failed = form.fail(_links_errors(exc))
        return await _form_page(
            actor, project_id=0, outcome_id=outcome_id, form=failed, status=exc.status
        )
    return see_other(f"/resultater/{outcome_id}", notice="projects.findings-outcomes-saved")


@post("/resultater/{outcome_id:int}/slett", guards=GUARDS, include_in_schema=False,
      name="findings_outcome_delete")  # fmt: skip
async def remove(actor: NamedDependency[Principal], outcome_id: FromPath[int]) -> Redirect:
    project_id = await outcomes.delete_outcome(actor, outcome_id)
    return see_other(
        f"/prosjekter/{project_id}", notice="projects.findings-outcomes-deleted",
        fragment="resultater",
    )  # fmt: skip


@post("/resultater/{outcome_id:int}/vedlegg", guards=GUARDS, include_in_schema=False,
      name="findings_outcome_file_add")  # fmt: skip
async def file_add(
    actor: NamedDependency[Principal], settings: NamedDependency[Settings],
    outcome_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:  # fmt: skip
    upload = data.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Invalid(
                N_("Some fields need attention."), [FieldError("file", N_("Choose the file."))]
            )
        await outcome_files.upload_file(
            actor, FileStore(settings.files), outcome_id, upload, upload.filename
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        failed = Form("file", ("file",)).fail(exc, "file")
        return await _outcome(actor, outcome_id, form=failed, status=exc.status)
    return see_other(
        f"/resultater/{outcome_id}", notice="projects.findings-outcomes-file-added",
        fragment="vedlegg",
    )  # fmt: skip


@get("/resultater/{outcome_id:int}/vedlegg/{file_id:int}", guards=GUARDS,
     include_in_schema=False, name="findings_outcome_file")  # fmt: skip
async def file_download(
    actor: NamedDependency[Principal], settings: NamedDependency[Settings],
    outcome_id: FromPath[int], file_id: FromPath[int],
) -> Stream:  # fmt: skip
    found, content = await outcome_files.outcome_file(
        actor, FileStore(settings.files), outcome_id, file_id
    )
    return Stream(
        content,
        media_type=found.media_type,
        headers={
            "Content-Disposition": content_disposition(found.filename),
            "Content-Length": str(found.size),
        },
    )


@post("/resultater/{outcome_id:int}/vedlegg/{file_id:int}/slett", guards=GUARDS,
      include_in_schema=False, name="findings_outcome_file_delete")  # fmt: skip
async def file_delete(
    actor: NamedDependency[Principal], settings: NamedDependency[Settings],
    outcome_id: FromPath[int], file_id: FromPath[int],
) -> Redirect:  # fmt: skip
    await outcome_files.delete_file(actor, FileStore(settings.files), outcome_id, file_id)
    return see_other(
        f"/resultater/{outcome_id}", notice="projects.findings-outcomes-file-deleted",
        fragment="vedlegg",
    )  # fmt: skip


@post("/resultater/{outcome_id:int}/tiltak", guards=GUARDS, include_in_schema=False,
      name="findings_outcome_measure")  # fmt: skip
async def measure(
    actor: NamedDependency[Principal], outcome_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:  # fmt: skip
    decide = "decision" in data
    form = Form("decision" if decide else "measure", values=form_values(data))
    try:
        if decide:
            body = {
                "decision": field(data, "decision"),
                "reason": field(data, "reason", strip=False),
                "target_group": field(data, "target_group", strip=False),
                "confirm_warnings": field(data, "confirm_warnings") in ("1", "on"),
            }
            await outcome_measure.decide_measure(
                actor, outcome_id, parse(s.MeasureDecision, body, MESSAGES)
            )
        else:
            body = {"scale": field(data, "scale"), "level": field(data, "level")}
            await outcome_measure.propose_measure(
                actor, outcome_id, parse(s.MeasureProposal, body, MESSAGES)
            )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _outcome(actor, outcome_id, form=form.fail(exc), status=exc.status)
    notice = "decided" if decide else "proposed"
    return see_other(
        f"/resultater/{outcome_id}", notice=f"projects.findings-outcomes-measure-{notice}",
        fragment="tiltak",
    )  # fmt: skip


HANDLERS: list[Any] = [
    new_page, create, outcome_view, edit_page, save, remove, file_add, file_download,
    file_delete, measure,
]  # fmt: skip
