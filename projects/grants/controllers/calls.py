"""API of funders' calls: list, create, read, change, publish and close; the condition
catalogue; the public list of public calls."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from klynge.auth.guards import PUBLIC, requires_authenticated
from klynge.auth.principal import Principal
from projects.grants import calls
from projects.grants import calls_schemas as s


class CallController(Controller):
    path = "/api/calls"
    tags = ["grants"]
    guards = [requires_authenticated]

    @get(
        "/",
        operation_id="ListCalls",
        summary="The calls the caller may see: published calls, and their own funder's drafts",
    )
    async def list_calls(
        self,
        actor: NamedDependency[Principal],
        open_now: FromQuery[bool] = False,
        funder_id: FromQuery[int | None] = None,
    ) -> s.CallPage:
        return await calls.list_calls(actor, open_now=open_now, funder_id=funder_id)

    @post(
        "/",
        operation_id="CreateCall",
        summary="Create a draft call (a funder officer, for one of their funders); amounts in NOK",
        status_code=HTTP_201_CREATED,
    )
    async def create_call(
        self, actor: NamedDependency[Principal], data: JSONBody[s.CallCreate]
    ) -> s.CallOut:
        return await calls.create_call(actor, data)

    @get(
        "/catalogue",
        operation_id="ListCallConditionKinds",
        summary="The conditions a call can choose, with their parameters, in the caller's language",
    )
    async def catalogue(self) -> list[s.CatalogueKindOut]:
        return calls.catalogue()

    @get("/{call_id:int}", operation_id="GetCall", summary="A call with its conditions in words")
    async def get_call(
        self, actor: NamedDependency[Principal], call_id: FromPath[int]
    ) -> s.CallOut:
        return await calls.get_call(actor, call_id)

    @patch(
        "/{call_id:int}",
        operation_id="UpdateCall",
        summary="Change a call (its funder's officers); once published, the money, the "
        "applicants and the conditions are fixed (409)",
    )
    async def update_call(
        self,
        actor: NamedDependency[Principal],
        call_id: FromPath[int],
        data: JSONBody[s.CallUpdate],
    ) -> s.CallOut:
        return await calls.update_call(actor, call_id, data)

    @post(
        "/{call_id:int}/publish",
        operation_id="PublishCall",
        summary="Publish a draft call",
        status_code=HTTP_200_OK,
    )
    async def publish(self, actor: NamedDependency[Principal], call_id: FromPath[int]) -> s.CallOut:
        return await calls.publish_call(actor, call_id)

    @post(
        "/{call_id:int}/close",
        operation_id="CloseCall",
        summary="Close a published call",
        status_code=HTTP_200_OK,
    )
    async def close(self, actor: NamedDependency[Principal], call_id: FromPath[int]) -> s.CallOut:
        return await calls.close_call(actor, call_id)


class PublicCallController(Controller):
    path = "/api/public/calls"
    tags = ["grants"]

    @get(
        "/",
        opt=PUBLIC,
        operation_id="ListPublicCalls",
        summary="Published calls shown on the public portal",
    )
    async def list_public_calls(self, open_now: FromQuery[bool] = False) -> s.CallPage:
        return await calls.list_calls(None, open_now=open_now, public_only=True)


HANDLERS: list[Any] = [CallController, PublicCallController]
