"""GET /healthz: the database and Redis, each checked for real."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from klynge.audit import AuditEvent
from klynge.auth.guards import PUBLIC


async def _database() -> str:
    try:
        await AuditEvent.raw("SELECT 1")
        return "ok"
    except Exception as exc:  # reported, not raised: health must answer
        return f"error: {type(exc).__name__}"


async def _redis(url: str | None) -> str:
    if not url:
        return "not configured"
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        await client.ping()
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    finally:
        await client.aclose()


@get(
    "/healthz",
    opt=PUBLIC,
    operation_id="GetHealth",
    tags=["health"],
    summary="Database and Redis status",
)
async def healthz(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    database = await _database()
    redis = await _redis(request.app.state.settings.redis_url)
    ok = database == "ok" and redis in ("ok", "not configured")
    body = {
        "status": "ok" if ok else "degraded",
        "database": database,
        "redis": redis,
        "engine": request.app.state.settings.database.engine,
    }
    return Response(body, status_code=200 if ok else 503)
