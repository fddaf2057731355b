"""API of the funder's reviews, requests for changes, decisions and the decision letter."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.grants import decisions, letters, reviews
from projects.grants import reviews_schemas as s

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReviewController(Controller):
    path = "/api/applications/{application_id:int}"
    tags = ["grants"]
    guards = [requires_authenticated]

    @get(
        "/reviews",
        operation_id="ListApplicationReviews",
        summary="The funder's reviews of the application, with the mean score per criterion",
    )
    async def list_reviews(
        self, actor: NamedDependency[Principal], application_id: FromPath[int]
    ) -> s.ReviewsOut:
        return await reviews.list_reviews(actor, application_id)

    @post(
        "/reviews",
        operation_id="CreateApplicationReview",
        summary="Comment and score (1–5 per criterion of the call) an application (the funder)",
        status_code=HTTP_201_CREATED,
    )
    async def create_review(
        self,
        actor: NamedDependency[Principal],
        application_id: FromPath[int],
        data: JSONBody[s.ReviewCreate],
    ) -> s.ReviewOut:
        return await reviews.add_review(actor, application_id, data)

    @post(
        "/changes-requested",
        operation_id="RequestApplicationChanges",
        summary="Send a submitted application back to the applicants with what to change",
        status_code=HTTP_200_OK,
    )
    async def request_changes(
        self,
        actor: NamedDependency[Principal],
        application_id: FromPath[int],
        data: JSONBody[s.ChangesRequest],
    ) -> s.ReviewsOut:
        return await reviews.request_changes(actor, application_id, data)

    @post(
        "/decision",
        operation_id="DecideApplication",
        summary="Grant (amount in øre, period; the report schedule follows from the call) or "
        "decline (with a reason) a submitted application; 409 when it is not submitted",
        status_code=HTTP_200_OK,
    )
    async def decide(
        self,
        actor: NamedDependency[Principal],
        application_id: FromPath[int],
        data: JSONBody[s.Decision],
    ) -> s.DecisionOut:
        return await decisions.decide(actor, application_id, data)

    @get(
        "/decision-letter.docx",
        operation_id="ExportDecisionLetter",
        summary="The decision letter as DOCX, in the application's written standard",
    )
    async def decision_letter(
        self, actor: NamedDependency[Principal], application_id: FromPath[int]
    ) -> Response[bytes]:
        filename, content = await letters.decision_letter(actor, application_id)
        return Response(
            content,
            media_type=DOCX,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


HANDLERS: list[Any] = [ReviewController]
