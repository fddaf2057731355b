"""The findings part's deliveries API: publishing an outcome (= delivering it), the adviser's
extra recipients, an outcome's deliveries, and the recipient's side: the caller's deliveries,
one delivery with its findings, marking it read and answering."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.findings import deliveries, publishing
from projects.findings import deliveries_schemas as s


class OutcomeDeliveryController(Controller):
    path = "/api/outcomes"
    tags = ["findings"]
    guards = [requires_authenticated]

    @post(
        "/{outcome_id:int}/publish",
        operation_id="PublishOutcome",
        summary="Publish the outcome: deliver it to every participating and asking municipality, "
        "the asking service and the cluster (the project leader or adviser; idempotent)",
        status_code=HTTP_200_OK,
    )
    async def publish(
        self, actor: NamedDependency[Principal], outcome_id: FromPath[int]
    ) -> publishing.PublishResult:
        return await publishing.publish(actor, outcome_id)

    @post(
        "/{outcome_id:int}/recipients",
        operation_id="AddOutcomeRecipients",
        summary="Deliver a published outcome to more member municipalities (the adviser)",
        status_code=HTTP_200_OK,
    )
    async def add_recipients(
        self,
        actor: NamedDependency[Principal],
        outcome_id: FromPath[int],
        data: JSONBody[s.RecipientsIn],
    ) -> publishing.PublishResult:
        return await publishing.add_recipients(actor, outcome_id, list(data.municipality_ids))

    @get(
        "/{outcome_id:int}/deliveries",
        operation_id="ListOutcomeDeliveries",
        summary="The outcome's recipients with their state, and the answers for those who follow "
        "the project or are addressed",
    )
    async def list_for_outcome(
        self, actor: NamedDependency[Principal], outcome_id: FromPath[int]
    ) -> list[s.DeliveryOut]:
        return await publishing.outcome_deliveries_api(actor, outcome_id)


class DeliveryController(Controller):
    path = "/api/deliveries"
    tags = ["findings"]
    guards = [requires_authenticated]

    @get("", operation_id="ListMyDeliveries", summary="The deliveries addressed to the caller")
    async def list_mine(self, actor: NamedDependency[Principal]) -> list[s.DeliveryOut]:
        return await deliveries.my_deliveries(actor)

    @get(
        "/{delivery_id:int}",
        operation_id="GetDelivery",
        summary="A delivery with the outcome's content and, once given, the answer",
    )
    async def get_one(
        self, actor: NamedDependency[Principal], delivery_id: FromPath[int]
    ) -> s.DeliveryDetail:
        return await deliveries.get_delivery(actor, delivery_id)

    @post(
        "/{delivery_id:int}/read",
        operation_id="MarkDeliveryRead",
        summary="Mark the delivery read (its recipients; the first read is kept)",
        status_code=HTTP_200_OK,
    )
    async def read(
        self, actor: NamedDependency[Principal], delivery_id: FromPath[int]
    ) -> s.DeliveryDetail:
        return await deliveries.mark_read(actor, delivery_id)

    @post(
        "/{delivery_id:int}/answer",
        operation_id="AnswerDelivery",
        summary="Answer the three questions: relevant, will use, what will change (its "
        "recipients; may be changed)",
        status_code=HTTP_200_OK,
    )
    async def answer(
        self,
        actor: NamedDependency[Principal],
        delivery_id: FromPath[int],
        data: JSONBody[s.AnswerIn],
    ) -> s.DeliveryDetail:
        return await deliveries.answer(actor, delivery_id, data)


HANDLERS: list[Any] = [OutcomeDeliveryController, DeliveryController]
