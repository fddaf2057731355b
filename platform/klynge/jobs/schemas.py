"""The public shape of a job's status."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec


class JobOut(msgspec.Struct):
    id: str
    name: str
    status: str  # queued | running | done | failed
    progress: int
    message: str  # shown translated; a retried job says so
    attempts: int  # runs started; above 1 when the job was retried
    result: dict[str, Any]
    result_url: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    url: str
