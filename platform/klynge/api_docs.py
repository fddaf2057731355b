"""The API reference page (/schema and /schema/swagger): Swagger UI served from the installed
`swagger-ui-py` package (no CDN), started by a static script, under the same CSP as every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import swagger_ui
from litestar import Request, Router
from litestar.enums import MediaType
from litestar.openapi.plugins import OpenAPIRenderPlugin
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
