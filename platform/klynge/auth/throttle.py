"""Login throttling after OWASP: failures count per (account, address) pair and per known
device with growing waits, and per address against a ceiling (a spray over many accounts).

Nothing counts per account alone, so nobody can lock another person out by failing on purpose;
a device that logged in to the account before is throttled on its own and escapes the pair and
address counters. The counters live in the database so every app process sees the same numbers.
The policy is pure; the store does one atomic upsert per failure.
"""

from __future__ import annotations

import enum
import hashlib
import time
from dataclasses import dataclass

from klynge.auth.tables import LoginThrottle
from klynge.settings import ThrottleSettings


class Rule(enum.Enum):
    WAIT = "wait"  # exponential wait after each failure past the slow-down point
    CEILING = "ceiling"  # locked for the whole window once the ceiling is reached


@dataclass(frozen=True, slots=True)
class Verdict:
    locked: bool
    retry_after: int  # whole seconds until the next attempt is accepted (0 when not locked)


OPEN = Verdict(locked=False, retry_after=0)


def wait_after(failures: int, limits: ThrottleSettings) -> int:
    """Seconds to wait after the `failures`-th failure of a pair or device: nothing below the
    slow-down point, then 1, 2, 4 … seconds, never more than the configured maximum."""
    over = failures - limits.slowdown_after
    if over < 0:
        return 0
    return int(min(limits.max_delay_seconds, 2 ** min(over, 30)))


def ceiling(limits: ThrottleSettings) -> int:
    return limits.lock_after * limits.address_factor


def locked_until_after(failures: int, rule: Rule, now: int, limits: ThrottleSettings) -> int:
    """When a key that just reached `failures` accepts attempts again (<= now: at once)."""
    if rule is Rule.CEILING:
        return now + limits.lock_seconds if failures >= ceiling(limits) else 0
    return now + wait_after(failures, limits)


def policy(locked_until: int, now: int) -> Verdict:
    if locked_until > now:
        return Verdict(locked=True, retry_after=locked_until - now)
    return OPEN


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value.casefold()}".encode()).hexdigest()


def pair_key(email: str, address: str) -> str:
    return _key("pair", f"{email.strip()}|{address}")


def address_key(address: str) -> str:
    return _key("address", address)


def device_key(device: str) -> str:
    return _key("device", device)


async def check(keys: list[tuple[str, Rule]], now: int | None = None) -> Verdict:
    """The strictest verdict over the keys."""
    now = int(time.time()) if now is None else now
    rows = await LoginThrottle.select(LoginThrottle.locked_until).where(
        LoginThrottle.key.is_in([key for key, _ in keys])
    )
    latest = max((int(row["locked_until"]) for row in rows), default=0)
    return policy(latest, now)


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


async def register_failure(
    keys: list[tuple[str, Rule]], limits: ThrottleSettings, now: int | None = None
) -> None:
    """Count one failure per key atomically (a window older than lock_seconds starts again)
    and set when each key accepts the next attempt."""
    now = int(time.time()) if now is None else now
    window_floor = now - limits.lock_seconds
    for key, rule in keys:
        rows = await LoginThrottle.raw(_UPSERT, key, now, window_floor, window_floor, now)
        failures = int(rows[0]["failures"]) if rows else 1
        until = locked_until_after(failures, rule, now, limits)
        if until > now:
            # Only ever later: a racing request that counted fewer failures must not shorten it.
            await LoginThrottle.update({LoginThrottle.locked_until: until}).where(
                LoginThrottle.key == key, LoginThrottle.locked_until < until
            )


async def reset(*keys: str) -> None:
    await LoginThrottle.delete().where(LoginThrottle.key.is_in(list(keys)))
