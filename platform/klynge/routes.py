"""The route table with each route's guard: for `klynge routes` and the every-route-guarded test."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Litestar
from litestar.handlers.base import BaseRouteHandler
from litestar.handlers.http_handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute


@dataclass(frozen=True, slots=True)
class RouteInfo:
    path: str
    methods: tuple[str, ...]
    handler: str
    guards: tuple[str, ...]
    public: bool

    @property
    def protected(self) -> bool:
        return bool(self.guards) or self.public


def _is_auto_options(handler: HTTPRouteHandler) -> bool:
    # Litestar adds an OPTIONS handler per path that only answers with the Allow header.
    return handler.http_methods == {"OPTIONS"} and "create_options_handler" in getattr(
        handler.fn, "__qualname__", ""
    )


def route_table(app: Litestar) -> list[RouteInfo]:
    rows: list[RouteInfo] = []
    for route in app.routes:
        # ASGI mounts and websockets carry one handler, HTTP routes one per method.
        handlers: list[BaseRouteHandler] = (
            list(route.route_handlers) if isinstance(route, HTTPRoute) else [route.route_handler]
        )
        for handler in handlers:
            if isinstance(handler, HTTPRouteHandler) and _is_auto_options(handler):
                continue
            guards = tuple(
                getattr(getattr(g, "func", g), "__name__", repr(g))
                for g in handler.resolve_guards()
            )
            methods = tuple(sorted(getattr(handler, "http_methods", ()) or ("*",)))
            rows.append(
                RouteInfo(
                    route.path,
                    methods,
                    handler.handler_name,
                    guards,
                    bool(handler.opt.get("public")),
                )
            )
    return sorted(rows, key=lambda r: (r.path, r.methods))
