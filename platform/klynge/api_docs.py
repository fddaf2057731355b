"""The API reference page (/schema and /schema/swagger): Swagger UI served from the installed
`swagger-ui-py` package (no CDN), started by a static script, under the same CSP as every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


class PublicOperation(Operation):
    """An operation of a public route: `security: []` overrides the document's bearer default
    (Litestar drops an empty security list, so it is written here)."""

    def to_schema(self) -> dict[str, Any]:
        return {**super().to_schema(), "security": []}


def mark_public_operations(app: Litestar) -> None:
    """Give every handler whose (merged) opt says public the PublicOperation class; the OpenAPI
    document is built lazily, after this runs."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler) and handler.opt.get("public"):
                handler.operation_class = PublicOperation
