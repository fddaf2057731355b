"""The yardstick of the load benchmark: a Litestar hello-world JSON route, served by uvicorn the
way `klynge run` serves Klynge (same process count and options), so the two can be compared.

Run: python bench/load/hello.py PORT WORKERS
"""

from __future__ import annotations

import sys
from pathlib import Path

from litestar import Litestar, get


@get("/hello", sync_to_thread=False)
def hello() -> dict[str, str]:
    return {"hello": "world"}


def create() -> Litestar:
    return Litestar(route_handlers=[hello], openapi_config=None)


if __name__ == "__main__":
    import uvicorn

    port, workers = int(sys.argv[1]), int(sys.argv[2])
    uvicorn.run(
        "hello:create",
        app_dir=str(Path(__file__).parent),
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        proxy_headers=False,  # as `klynge run`
        log_level="warning",
        access_log=False,
    )
