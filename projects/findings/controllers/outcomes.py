"""The findings part's outcomes API: record, list, read, edit and delete (drafts) a project's
outcomes; attachments (multipart); a recommendation's proposal to the knowledge bank and the
adviser's decision. (A public, published outcome is read anonymously on its page.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.openapi import ResponseSpec
from litestar.params import Body, FromPath, JSONBody
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.files import FileStore, content_disposition
from klynge.settings import Settings
from projects.findings import outcome_files, outcome_measure, outcomes
from projects.findings import outcomes_schemas as s

GUARDS = [requires_authenticated]


@dataclass
class FileUpload:
    file: UploadFile


class ProjectOutcomeController(Controller):
    path = "/api/projects/{project_id:int}/outcomes"
    tags = ["findings"]

    @post(
        "/", guards=GUARDS, operation_id="CreateOutcome", status_code=HTTP_201_CREATED,
        summary="Record an outcome (the project leader or adviser; a draft)",
    )  # fmt: skip
    async def create(
        self, actor: NamedDependency[Principal], project_id: FromPath[int],
        data: JSONBody[s.OutcomeCreate],
    ) -> s.OutcomeOut:  # fmt: skip
        return await outcomes.create_outcome(actor, project_id, data)

    @get(
        "/", guards=GUARDS, operation_id="ListOutcomes",
        summary="The project's outcomes the caller may read (drafts for the team only)",
    )  # fmt: skip
    async def list_all(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> list[s.OutcomeOut]:
        return await outcomes.list_outcomes(actor, project_id)


class OutcomeController(Controller):
    path = "/api/outcomes/{outcome_id:int}"
    tags = ["findings"]

    @get("/", guards=GUARDS, operation_id="GetOutcome", summary="An outcome")
    async def read(
        self, actor: NamedDependency[Principal], outcome_id: FromPath[int]
    ) -> s.OutcomeOut:
        return await outcomes.get_outcome(actor, outcome_id)

    @patch("/", guards=GUARDS, operation_id="UpdateOutcome", summary="Edit an outcome")
    async def update(
        self, actor: NamedDependency[Principal], outcome_id: FromPath[int],
        data: JSONBody[s.OutcomeUpdate],
    ) -> s.OutcomeOut:  # fmt: skip
        return await outcomes.update_outcome(actor, outcome_id, data)

    @delete(
        "/", guards=GUARDS, operation_id="DeleteOutcome", status_code=HTTP_204_NO_CONTENT,
        summary="Delete a draft outcome",
    )  # fmt: skip
    async def remove(self, actor: NamedDependency[Principal], outcome_id: FromPath[int]) -> None:
        await outcomes.delete_outcome(actor, outcome_id)

    @post(
        "/files", guards=GUARDS, operation_id="UploadOutcomeFile", status_code=HTTP_201_CREATED,
        summary="Attach a file (PDF, DOCX, XLSX, ODT, PNG, JPEG, text; type from content)",
    )  # fmt: skip
    async def upload(
        self, actor: NamedDependency[Principal], settings: NamedDependency[Settings],
        outcome_id: FromPath[int],
        data: Annotated[FileUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> s.FileOut:  # fmt: skip
        return await outcome_files.upload_file(
            actor, FileStore(settings.files), outcome_id, data.file, data.file.filename or ""
        )

    @get(
        "/files/{file_id:int}", guards=GUARDS, operation_id="DownloadOutcomeFile",
        summary="Download an attachment",
        responses={
            HTTP_200_OK: ResponseSpec(
                data_container=str, media_type="*/*", description="The attachment",
                generate_examples=False,
            )
        },
    )  # fmt: skip
    async def download(
        self, actor: NamedDependency[Principal], settings: NamedDependency[Settings],
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

    @delete(
        "/files/{file_id:int}", guards=GUARDS, operation_id="DeleteOutcomeFile",
        status_code=HTTP_204_NO_CONTENT, summary="Delete an attachment",
    )  # fmt: skip
    async def remove_file(
        self, actor: NamedDependency[Principal], settings: NamedDependency[Settings],
        outcome_id: FromPath[int], file_id: FromPath[int],
    ) -> None:  # fmt: skip
        await outcome_files.delete_file(actor, FileStore(settings.files), outcome_id, file_id)

    @post(
        "/measure", guards=GUARDS, operation_id="ProposeOutcomeMeasure", status_code=HTTP_200_OK,
        summary="Propose a recommendation to the knowledge bank of measures",
    )  # fmt: skip
    async def propose(
        self, actor: NamedDependency[Principal], outcome_id: FromPath[int],
        data: JSONBody[s.MeasureProposal],
    ) -> s.OutcomeOut:  # fmt: skip
        return await outcome_measure.propose_measure(actor, outcome_id, data)

    @post(
        "/measure/decision", guards=GUARDS, operation_id="DecideOutcomeMeasure",
        status_code=HTTP_200_OK,
        summary="Accept (creates the public measure) or decline a proposed recommendation",
    )  # fmt: skip
    async def decide(
        self, actor: NamedDependency[Principal], outcome_id: FromPath[int],
        data: JSONBody[s.MeasureDecision],
    ) -> s.OutcomeOut:  # fmt: skip
        return await outcome_measure.decide_measure(actor, outcome_id, data)


HANDLERS: list[Any] = [ProjectOutcomeController, OutcomeController]
