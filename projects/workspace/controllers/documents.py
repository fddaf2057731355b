"""Documents: API. List, upload (multipart: file and kind), download (an attachment) and delete
the project's documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, delete, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.openapi import ResponseSpec
from litestar.params import Body, FromPath
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.files import FileStore, content_disposition
from klynge.settings import Settings
from projects.workspace import documents
from projects.workspace.participant_schemas import DocumentKind, DocumentOut


@dataclass
class DocumentUpload:
    file: UploadFile
    kind: DocumentKind = DocumentKind.OTHER


class ProjectDocumentController(Controller):
    path = "/api/projects/{project_id:int}/documents"
    tags = ["projects"]
    guards = [requires_authenticated]

    @get(
        "/",
        operation_id="ListProjectDocuments",
        summary="The project's documents (for those who see the project)",
    )
    async def list_documents(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> list[DocumentOut]:
        return await documents.documents_for(actor, project_id)

    @post(
        "/",
        operation_id="UploadProjectDocument",
        status_code=HTTP_201_CREATED,
        summary="Upload a document (PDF, DOCX, XLSX, ODT, PNG, JPEG, text; type from content)",
    )
    async def upload(
        self,
        actor: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        project_id: FromPath[int],
        data: Annotated[DocumentUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> DocumentOut:
        return await documents.upload_document(
            actor,
            FileStore(settings.files),
            project_id,
            data.file,
            data.file.filename or "",
            data.kind,
        )

    @get(
        "/{document_id:int}",
        operation_id="DownloadProjectDocument",
        summary="Download a document (an attachment)",
        # A file of the type it was stored as (PDF, DOCX …), streamed: documented as binary.
        responses={
            HTTP_200_OK: ResponseSpec(
                data_container=str,
                media_type="*/*",
                description="The document's content",
                generate_examples=False,
            )
        },
    )
    async def download(
        self,
        actor: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        project_id: FromPath[int],
        document_id: FromPath[int],
    ) -> Stream:
        document, content = await documents.document_file(
            actor, FileStore(settings.files), project_id, document_id
        )
        return Stream(
            content,
            media_type=document.content_type,
            headers={
                "Content-Disposition": content_disposition(document.filename),
                "Content-Length": str(document.size),
            },
        )

    @delete(
        "/{document_id:int}",
        operation_id="DeleteProjectDocument",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a document (the project team)",
    )
    async def remove(
        self,
        actor: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        project_id: FromPath[int],
        document_id: FromPath[int],
    ) -> None:
        await documents.delete_document(actor, FileStore(settings.files), project_id, document_id)


HANDLERS: list[Any] = [ProjectDocumentController]
