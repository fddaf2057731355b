"""API of grants, their reports (with the attestation and the funder's review) and payments."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.grants import payments, report_actions, reports
from projects.grants import reports_schemas as s


class GrantController(Controller):
    path = "/api/grants"
    tags = ["grants"]
    guards = [requires_authenticated]

    @get("", operation_id="ListGrants", summary="The grants the caller may see, newest first")
    async def list_grants(self, actor: NamedDependency[Principal]) -> list[s.GrantListItem]:
        return await reports.list_grants(actor)

    @get(
        "/{grant_id:int}",
        operation_id="GetGrant",
        summary="A grant: the agreement, its reports (due, overdue) and payments (øre)",
    )
    async def get_grant(
        self, actor: NamedDependency[Principal], grant_id: FromPath[int]
    ) -> s.GrantOut:
        return await reports.grant_detail(actor, grant_id)

    @get(
        "/{grant_id:int}/reports/{report_id:int}",
        operation_id="GetGrantReport",
        summary="A report with its spending per budget line, attestation and conditions",
    )
    async def get_report(
        self, actor: NamedDependency[Principal], grant_id: FromPath[int], report_id: FromPath[int]
    ) -> s.ReportOut:
        return await reports.get_report(actor, grant_id, report_id)

    @patch(
        "/{grant_id:int}/reports/{report_id:int}",
        operation_id="UpdateGrantReport",
        summary="Write the report (the project team, while it is due or returned)",
    )
    async def update_report(
        self,
        actor: NamedDependency[Principal],
        grant_id: FromPath[int],
        report_id: FromPath[int],
        data: JSONBody[s.ReportUpdate],
    ) -> s.ReportOut:
        return await report_actions.update_report(actor, grant_id, report_id, data)

    @post(
        "/{grant_id:int}/reports/{report_id:int}/attestation",
        operation_id="AttestGrantReport",
        summary="A municipal leader of the project (the caller) attests whether existing "
        "positions are financed",
        status_code=HTTP_200_OK,
    )
    async def attest(
        self,
        actor: NamedDependency[Principal],
        grant_id: FromPath[int],
        report_id: FromPath[int],
        data: JSONBody[s.Attestation],
    ) -> s.ReportOut:
        return await report_actions.attest(actor, grant_id, report_id, data)

    @post(
        "/{grant_id:int}/reports/{report_id:int}/submit",
        operation_id="SubmitGrantReport",
        summary="Submit the report (the project team; it must be attested)",
        status_code=HTTP_200_OK,
    )
    async def submit(
        self, actor: NamedDependency[Principal], grant_id: FromPath[int], report_id: FromPath[int]
    ) -> s.ReportOut:
        return await report_actions.submit_report(actor, grant_id, report_id)

    @post(
        "/{grant_id:int}/reports/{report_id:int}/review",
        operation_id="ReviewGrantReport",
        summary="Approve a submitted report or return it with a comment (the funder)",
        status_code=HTTP_200_OK,
    )
    async def review(
        self,
        actor: NamedDependency[Principal],
        grant_id: FromPath[int],
        report_id: FromPath[int],
        data: JSONBody[s.ReportReview],
    ) -> s.ReportOut:
        return await report_actions.review_report(actor, grant_id, report_id, data)

    @get(
        "/{grant_id:int}/payments",
        operation_id="ListGrantPayments",
        summary="Payment requests and disbursements of the grant (øre)",
    )
    async def list_payments(
        self, actor: NamedDependency[Principal], grant_id: FromPath[int]
    ) -> list[s.PaymentOut]:
        return await payments.list_payments(actor, grant_id)

    @post(
        "/{grant_id:int}/payments",
        operation_id="CreateGrantPayment",
        summary="Record a payment request (the project team) or a disbursement (the funder)",
        status_code=HTTP_201_CREATED,
    )
    async def create_payment(
        self,
        actor: NamedDependency[Principal],
        grant_id: FromPath[int],
        data: JSONBody[s.PaymentCreate],
    ) -> s.PaymentOut:
        return await payments.add_payment(actor, grant_id, data)


HANDLERS: list[Any] = [GrantController]
