"""The OpenAPI document is valid OpenAPI 3.1, and public routes say they need no credentials."""

from __future__ import annotations

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

PUBLIC_OPERATIONS = (
    ("/api/auth/token", "post"),
    ("/healthz", "get"),
)


async def test_openapi_document_is_valid_3_1(client, db) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    assert schema["openapi"].startswith("3.1")
    try:
        validate(schema)
    except OpenAPIValidationError as exc:  # the message names the broken place
        raise AssertionError(f"{exc.message} at {list(exc.path)}") from None


async def test_public_operations_need_no_security(client, app, db) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    for path, method in PUBLIC_OPERATIONS:
        assert schema["paths"][path][method]["security"] == [], path
    # Every operation of a public route says so; every other one keeps the global bearer scheme.
    public = {
        (route.path_format, method.lower())
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        if handler.opt.get("public") and handler.include_in_schema
        for method in getattr(handler, "http_methods", ())
    }
    assert ("/api/auth/token", "post") in public
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if (path, method) in public:
                assert operation.get("security") == [], (path, method)
            else:
                assert "security" not in operation, (path, method)
