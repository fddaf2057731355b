"""Login throttling: failures per account and per client address slow logins down, then lock.

The counters live in the database so every app process sees the same numbers. The policy is
a pure function; the store does one atomic upsert per failure.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from klynge.auth.tables import LoginThrottle
from klynge.settings import ThrottleSettings


@dataclass(frozen=True, slots=True)
class Verdict:
    locked: bool
    retry_after: int  # seconds until the lock lifts (0 when not locked)
    delay: float  # seconds to wait before answering (slow-down phase)


def policy(
    failures: int, locked_until: int, now: int, limits: ThrottleSettings, *, factor: int = 1
) -> Verdict:
    """What to do with the next attempt, given the failures so far for one key."""
    if locked_until > now:
        return Verdict(locked=True, retry_after=locked_until - now, delay=0.0)
    over = failures - limits.slowdown_after * factor
    if over < 0:
        return Verdict(locked=False, retry_after=0, delay=0.0)
    delay = min(limits.max_delay_seconds, 0.25 * (2 ** min(over, 10)))
    return Verdict(locked=False, retry_after=0, delay=delay)


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value.casefold()}".encode()).hexdigest()


def account_key(email: str) -> str:
    return _key("account", email.strip())


def address_key(address: str) -> str:
    return _key("address", address)


async def _state(key: str) -> tuple[int, int, int]:
    row = (
        await LoginThrottle.select(
            LoginThrottle.failures, LoginThrottle.window_started, LoginThrottle.locked_until
        )
        .where(LoginThrottle.key == key)
        .first()
    )
    if row is None:
        return 0, 0, 0
    return int(row["failures"]), int(row["window_started"]), int(row["locked_until"])


async def check(keys: list[tuple[str, int]], limits: ThrottleSettings) -> Verdict:
    """The strictest verdict over (key, factor) pairs; stale windows count as zero."""
    now = int(time.time())
    worst = Verdict(locked=False, retry_after=0, delay=0.0)
    for key, factor in keys:
        failures, started, locked_until = await _state(key)
        if started and now - started > limits.lock_seconds and locked_until <= now:
            failures = 0
        verdict = policy(failures, locked_until, now, limits, factor=factor)
        if (verdict.locked and verdict.retry_after > worst.retry_after) or (
            not worst.locked and verdict.delay > worst.delay
        ):
            worst = verdict
    return worst


_UPSERT = """
INSERT INTO login_throttle (key, failures, window_started, locked_until)
VALUES ({}, 1, {}, 0)
ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN login_throttle.window_started < {} THEN 1
                    ELSE login_throttle.failures + 1 END,
    window_started = CASE WHEN login_throttle.window_started < {} THEN {}
                          ELSE login_throttle.window_started END
RETURNING failures
"""


async def register_failure(keys: list[tuple[str, int]], limits: ThrottleSettings) -> None:
    """Count one failure per key atomically and lock a key that reached its limit."""
    now = int(time.time())
    window_floor = now - limits.lock_seconds
    for key, factor in keys:
        rows = await LoginThrottle.raw(_UPSERT, key, now, window_floor, window_floor, now)
        failures = int(rows[0]["failures"]) if rows else 1
        if failures >= limits.lock_after * factor:
            await LoginThrottle.update(
                {LoginThrottle.locked_until: now + limits.lock_seconds}
            ).where(LoginThrottle.key == key)


async def reset(key: str) -> None:
    await LoginThrottle.delete().where(LoginThrottle.key == key)
