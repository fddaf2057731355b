"""The API reference page (/schema and /schema/swagger): Swagger UI served from the installed
`swagger-ui-py` package (no CDN), started by a static script, under the same CSP as every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import swagger_ui
from litestar import Litestar, Request, Router
from litestar.enums import MediaType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.openapi.spec import Operation
from litestar.static_files import create_static_files_router

# Swagger UI 5.x (OpenAPI 3.1) as shipped in the wheel of swagger-ui-py.
SWAGGER_DIR = Path(swagger_ui.__file__).parent / "static"
ASSETS = "/schema/assets"

PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Klynge API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="{ASSETS}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-url="/schema/openapi.json"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body>
</html>
"""


class SwaggerPage(OpenAPIRenderPlugin):
    """Swagger UI at /schema and /schema/swagger, assets from this server only."""

    def __init__(self) -> None:
        super().__init__(path=["/", "/swagger"], media_type=MediaType.HTML)

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return PAGE.encode()


def assets_router() -> Router:
    """Swagger UI's files from the installed package, public like the description itself."""
    return create_static_files_router(
        path=ASSETS, directories=[SWAGGER_DIR], opt={"public": True}, include_in_schema=False
    )


# Every operation may answer these, always as problem+json (klynge.errors renders them).
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}
PROBLEMS = {
    "400": "Bad request (unreadable body, invalid fields or parameters)",
    "401": "Not logged in",
    "403": "No access",
    "404": "Not found (or not visible to the caller)",
    "409": "Conflict with the current state",
    "413": "The upload is too large",
    "415": "The upload's file type is not supported",
    "422": "Invalid data (the errors name the fields)",
    "429": "Too many attempts",
}


def _files_as_binary(answer: dict[str, Any]) -> None:
    """A handler returning Response[bytes] (a file: xlsx, RIS, docx, svg …) is documented by
    Litestar as a JSON string; it is a binary body whose type depends on the file."""
    content = answer.get("content") or {}
    if list(content) == ["application/json"] and content["application/json"].get("schema") == {
        "type": "string"
    }:
        answer["content"] = {"*/*": {"schema": {"type": "string", "format": "binary"}}}


class KlyngeOperation(Operation):
    """An operation that documents the problem+json answers every route may give (Litestar
    documents only its own 400, in a shape this API never sends)."""

    public: ClassVar[bool] = False

    def to_schema(self) -> dict[str, Any]:
        result = super().to_schema()
        responses = result.setdefault("responses", {})
        for answer in responses.values():
            _files_as_binary(answer)
        for status, description in PROBLEMS.items():
            responses[status] = {
                "description": description,
                "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
            }
        if self.public:  # overrides the document's bearer default (Litestar drops a [] list)
            result["security"] = []
        return result


class PublicOperation(KlyngeOperation):
    """An operation of a public route: `security: []`."""

    public = True


def mark_operations(app: Litestar) -> None:
    """Give every handler KlyngeOperation, or PublicOperation when its merged opt says public;
    the OpenAPI document is built lazily, after this runs."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler):
                public = bool(handler.opt.get("public"))
                handler.operation_class = PublicOperation if public else KlyngeOperation
