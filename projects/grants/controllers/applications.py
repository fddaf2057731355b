"""Applications: API. Start one from a project, read and edit it, replace its budget and
financing plan (or upload the budget as xlsx), see its live conditions, submit, withdraw, and
download the budget template and the application as DOCX."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from litestar import Controller, Response, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.grants import application_data, application_export, applications
from projects.grants import applications_schemas as s

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


@dataclass
class BudgetUpload:
    file: UploadFile


def attachment(filename: str, content: bytes, media_type: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class ApplicationController(Controller):
    path = "/api/applications"
    tags = ["grants"]
    guards = [requires_authenticated]

    @get(
        "/",
        operation_id="ListApplications",
        summary="Applications the caller may see: their projects' applications; a funder "
        "officer's: those submitted to the funder's calls (filters combine)",
    )
    async def list_applications(
        self,
        actor: NamedDependency[Principal],
        status: FromQuery[Status | None] = None,
        call_id: FromQuery[int | None] = None,
        project_id: FromQuery[int | None] = None,
    ) -> list[s.ApplicationListItem]:
        return await application_data.list_applications(
            actor,
            status=status.value if status else None,
            call_id=call_id,
            project_id=project_id,
        )

    @post(
        "/",
        operation_id="StartApplication",
        status_code=HTTP_201_CREATED,
        summary="Start an application to an open call from a project (its leader or R&D "
        "adviser); the title defaults to the project's",
    )
    async def start(
        self, actor: NamedDependency[Principal], data: JSONBody[s.ApplicationCreate]
    ) -> s.ApplicationOut:
        application_id = await applications.start_application(actor, data)
        return await applications.get_application(actor, application_id)

    @get(
        "/{application_id:int}",
        operation_id="GetApplication",
        summary="One application: budget and financing lines, totals, live conditions",
    )
    async def get_one(
        self, actor: NamedDependency[Principal], application_id: FromPath[int]
    ) -> s.ApplicationOut:
        return await applications.get_application(actor, application_id)

    @patch(
        "/{application_id:int}",
        operation_id="UpdateApplication",
        summary="Change the title or summary (the project team, while a draft or sent back)",
    )
    async def update(
        self,
        actor: NamedDependency[Principal],
        application_id: FromPath[int],
        data: JSONBody[s.ApplicationUpdate],
    ) -> s.ApplicationOut:
        return await applications.update_application(actor, application_id, data)

    @put(
        "/{application_id:int}/budget",
        operation_id="ReplaceApplicationBudget",
        summary="Replace all budget lines (amounts in NOK as text or number; 422 names each "
        "line's field: lines.<n>.<field>)",
    )
    async def put_budget(
        self,
        actor: NamedDependency[Principal],
        application_id: FromPath[int],
        data: JSONBody[s.BudgetIn],
    ) -> s.ApplicationOut:
        return await applications.replace_budget(actor, application_id, data)

    @put(
        "/{application_id:int}/financing",
        operation_id="ReplaceApplicationFinancing",
        summary="Replace the financing plan (this funder's lines are the amount applied for)",
    )
    async def put_financing(
        self,
        actor: NamedDependency[Principal],
        application_id: FromPath[int],
        data: JSONBody[s.FinancingIn],
    ) -> s.ApplicationOut:
        return await applications.replace_financing(actor, application_id, data)

    @get(
        "/{application_id:int}/budget.xlsx",
        operation_id="DownloadApplicationBudget",
        summary="The budget as an xlsx template with the current lines",
        media_type=XLSX,
    )
    async def budget_xlsx(
        self, actor: NamedDependency[Principal], application_id: FromPath[int]
    ) -> Response[bytes]:
        filename, content = await applications.budget_template(actor, application_id)
        return attachment(filename, content, XLSX)

    @post(
        "/{application_id:int}/budget.xlsx",
        operation_id="UploadApplicationBudget",
        status_code=HTTP_200_OK,
        summary="Replace the budget from the filled-in template (multipart: file); 422 names "
        "each cell (field: Sheet!C7, row) and nothing changes unless the whole file is valid",
    )
    async def upload_budget(
        self,
        actor: NamedDependency[Principal],
        application_id: FromPath[int],
        data: Annotated[BudgetUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> s.ApplicationOut:
        content = await data.file.read()
        return await applications.upload_budget(actor, application_id, content)

    @get(
        "/{application_id:int}/conditions",
        operation_id="GetApplicationConditions",
        summary="The call's conditions evaluated now (met, not met, needs evidence)",
    )
    async def get_conditions(
        self, actor: NamedDependency[Principal], application_id: FromPath[int]
    ) -> s.ConditionsOut:
        return await applications.conditions(actor, application_id)

    @post(
        "/{application_id:int}/submit",
        operation_id="SubmitApplication",
        status_code=HTTP_200_OK,
        summary="Submit (the project leader or R&D adviser); 422 names each failed hard "
        "condition (field: its kind, message)",
    )
    async def submit(
        self, actor: NamedDependency[Principal], application_id: FromPath[int]
    ) -> s.ApplicationOut:
        return await applications.submit_application(actor, application_id)

    @post(
        "/{application_id:int}/withdraw",
        operation_id="WithdrawApplication",
        status_code=HTTP_200_OK,
        summary="Withdraw the application (the project team)",
    )
    async def withdraw(
        self, actor: NamedDependency[Principal], application_id: FromPath[int]
    ) -> s.ApplicationOut:
        return await applications.withdraw_application(actor, application_id)

    @get(
        "/{application_id:int}/document.docx",
        operation_id="ExportApplicationDocument",
        summary="The application as DOCX, in its written standard (nb or nn)",
        media_type=DOCX,
    )
    async def document(
        self, actor: NamedDependency[Principal], application_id: FromPath[int]
    ) -> Response[bytes]:
        filename, content = await application_export.application_docx(actor, application_id)
        return attachment(filename, content, DOCX)


HANDLERS: list[Any] = [ApplicationController]
