"""Request-body decoding in one place: a body the client got wrong (bytes that are not UTF-8,
JSON nested deeper than the decoder follows, a multipart form without the file the route takes)
is a 400 problem+json, never a 500, on every route."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.enums import RequestEncodingType

from klynge.errors import DomainError
from klynge.i18n import N_

UNREADABLE = N_("The request body could not be read: it is not valid UTF-8 or nests too deep.")
NO_FILE = N_("The request has no file part: send the file in a multipart form.")

# Decoders raise these for undecodable input; msgspec's own DecodeError already means 400.
_DECODING_ERRORS = (UnicodeDecodeError, RecursionError)


def _unreadable() -> DomainError:
    return DomainError(UNREADABLE, 400, "unreadable-body")


class KlyngeRequest(Request[Any, Any, Any]):
    """Litestar's request whose body decoders answer 400 for input they cannot decode."""

    async def json(self) -> Any:
        try:
            return await super().json()
        except _DECODING_ERRORS:
            raise _unreadable() from None

    async def msgpack(self) -> Any:
        try:
            return await super().msgpack()
        except _DECODING_ERRORS:
            raise _unreadable() from None

    async def form(self) -> FormMultiDict:
        try:
            return await super().form()
        except _DECODING_ERRORS:
            raise _unreadable() from None


def _takes_upload(request: Request[Any, Any, Any]) -> bool:
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    return data is not None and data.annotation is UploadFile


async def check_body(request: Request[Any, Any, Any]) -> None:
    """Before the handler's arguments are parsed: a multipart body is decoded here (through
    KlyngeRequest.form, which Litestar then reuses), and a route that takes a file refuses a
    form without one (Litestar would fail with StopIteration)."""
    if request.content_type[0] != RequestEncodingType.MULTI_PART or not _takes_upload(request):
        return
    form = await request.form()
    if not any(isinstance(value, UploadFile) for _, value in form.multi_items()):
        raise DomainError(NO_FILE, 400, "no-file")
