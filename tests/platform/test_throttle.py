"""Login throttling: the pure policy, the lock over HTTP, and counters shared through the DB."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from klynge.auth import throttle
from klynge.auth.tables import LoginThrottle
from klynge.settings import ThrottleSettings
from tests.conftest import build_world
from tests.platform.conftest import assert_problem, running

LIMITS = ThrottleSettings(slowdown_after=5, lock_after=10, lock_seconds=900, max_delay_seconds=4)

# Slow down after 2 failures, lock after 3 (per account; ×4 per address).
FAST = {
    "KLYNGE_LOGIN_SLOWDOWN_AFTER": "2",
    "KLYNGE_LOGIN_LOCK_AFTER": "3",
    "KLYNGE_LOGIN_LOCK_SECONDS": "60",
}


# --- the pure policy -------------------------------------------------------------------------


def test_policy_below_the_slowdown_lets_through() -> None:
    for failures in range(5):
        assert throttle.policy(failures, 0, 1000, LIMITS) == throttle.Verdict(False, 0, 0.0)


def test_policy_slows_down_exponentially_up_to_the_cap() -> None:
    delays = [throttle.policy(f, 0, 1000, LIMITS).delay for f in range(5, 12)]
    assert delays[:4] == [0.25, 0.5, 1.0, 2.0]
    assert delays[4:] == [4.0, 4.0, 4.0]
    assert not any(throttle.policy(f, 0, 1000, LIMITS).locked for f in range(5, 100))
    # A huge count does not overflow the delay.
    assert throttle.policy(10**9, 0, 1000, LIMITS).delay == 4.0


def test_policy_lock_and_retry_after() -> None:
    verdict = throttle.policy(10, 1900, 1000, LIMITS)
    assert verdict.locked
    assert verdict.retry_after == 900
    assert verdict.delay == 0.0
    # When the lock has expired (locked_until <= now) the attempt is not locked.
    assert not throttle.policy(10, 1000, 1000, LIMITS).locked
    assert not throttle.policy(10, 999, 1000, LIMITS).locked


def test_policy_factor_scales_the_thresholds() -> None:
    assert throttle.policy(19, 0, 1000, LIMITS, factor=4).delay == 0.0
    assert throttle.policy(20, 0, 1000, LIMITS, factor=4).delay == 0.25
    assert throttle.policy(5, 0, 1000, LIMITS, factor=1).delay == 0.25


def test_policy_with_no_delay_configured() -> None:
    limits = ThrottleSettings(slowdown_after=1, lock_after=2, lock_seconds=60, max_delay_seconds=0)
    assert throttle.policy(50, 0, 1000, limits).delay == 0.0


def test_keys_hide_the_email_and_fold_case() -> None:
    key = throttle.account_key("Ola@Kommune.no")
    assert key == throttle.account_key(" ola@kommune.no ")
    assert "ola" not in key
    assert len(key) == 64
    assert throttle.address_key("10.0.0.1") != throttle.account_key("10.0.0.1")


# --- the store -------------------------------------------------------------------------------


async def test_concurrent_failures_are_all_counted(db) -> None:
    limits = ThrottleSettings(
        slowdown_after=100, lock_after=1000, lock_seconds=900, max_delay_seconds=0
    )
    key = throttle.account_key("race@test.klynge.no")
    await asyncio.gather(*(throttle.register_failure([(key, 1)], limits) for _ in range(20)))
    row = await LoginThrottle.select().where(LoginThrottle.key == key).first()
    assert row is not None
    assert row["failures"] == 20
    assert row["locked_until"] == 0


async def test_concurrent_failures_lock_exactly_at_the_limit(db) -> None:
    limits = ThrottleSettings(slowdown_after=1, lock_after=5, lock_seconds=900, max_delay_seconds=0)
    key = throttle.account_key("race2@test.klynge.no")
    await asyncio.gather(*(throttle.register_failure([(key, 1)], limits) for _ in range(12)))
    verdict = await throttle.check([(key, 1)], limits)
    assert verdict.locked
    assert 899 <= verdict.retry_after <= 900


async def test_stale_window_starts_counting_again(db) -> None:
    limits = ThrottleSettings(slowdown_after=2, lock_after=3, lock_seconds=60, max_delay_seconds=0)
    key = throttle.account_key("stale@test.klynge.no")
    await throttle.register_failure([(key, 1)], limits)
    await throttle.register_failure([(key, 1)], limits)
    # Pretend the window began long ago.
    await LoginThrottle.update({LoginThrottle.window_started: int(time.time()) - 3600}).where(
        LoginThrottle.key == key
    )
    await throttle.register_failure([(key, 1)], limits)
    row = await LoginThrottle.select().where(LoginThrottle.key == key).first()
    assert row["failures"] == 1
    assert row["locked_until"] == 0


# --- over HTTP -------------------------------------------------------------------------------


async def attempt(client: Any, who: str, password: str) -> Any:
    return await client.post(
        "/api/auth/token", json={"email": f"{who}@test.klynge.no", "password": password}
    )


def assert_locked(response: Any) -> None:
    assert_problem(response, 429)
    retry_after = int(response.headers["retry-after"])
    assert 0 < retry_after <= 60


async def test_lock_after_the_limit_refuses_the_right_password(db, app_with) -> None:
    app = app_with(**FAST)
    world = await build_world(app)
    async with running(app) as client:
        for _ in range(3):
            assert (await attempt(client, "adviser_a", "feil-passord")).status_code == 401
        assert_locked(await attempt(client, "adviser_a", world.password))
        # Another spelling of the same e-mail is the same account.
        assert_locked(await attempt(client, "ADVISER_A", world.password))
        # The lock does not count as further failures nor reveal whether the password was right.
        wrong = await attempt(client, "adviser_a", "feil-passord")
        assert_locked(wrong)
        # Another account from the same address is not locked yet.
        assert (await attempt(client, "adviser_b", world.password)).status_code == 200


async def test_address_is_locked_only_at_four_times_the_limit(db, app_with) -> None:
    app = app_with(**FAST)
    world = await build_world(app)
    victims = ["adviser_a", "adviser_b", "coordinator_askoy", "coordinator_alver"]
    async with running(app) as client:
        failures = 0
        for who in victims:
            for _ in range(3):
                response = await attempt(client, who, "feil-passord")
                failures += 1
                if failures < 12:
                    assert response.status_code == 401, (who, failures, response.text)
            if failures < 12:
                # Below the address limit an untouched account still logs in.
                ok = await attempt(client, "leader_askoy", world.password)
                assert ok.status_code == 200, (failures, ok.text)
        assert failures == 12
        # The address has now reached 3 × 4 failures: every account is refused from it.
        assert_locked(await attempt(client, "admin", world.password))
        assert_locked(await attempt(client, "leader_askoy", world.password))


async def test_lock_survives_a_new_app_instance(db, app_with) -> None:
    first = app_with(**FAST)
    world = await build_world(first)
    async with running(first) as client:
        for _ in range(3):
            await attempt(client, "adviser_a", "feil-passord")
        assert_locked(await attempt(client, "adviser_a", world.password))
    # Another process: a new app with its own state; the counters live in the database.
    second = app_with(**FAST)
    async with running(second) as client:
        assert_locked(await attempt(client, "adviser_a", world.password))
        assert (await attempt(client, "adviser_b", world.password)).status_code == 200


async def test_lock_lifts_after_the_lock_window(db, app_with) -> None:
    # Two seconds, not one: the clock is read in whole seconds, so with a one-second lock the
    # request right after the third failure can already fall outside it on a busy machine.
    app = app_with(**{**FAST, "KLYNGE_LOGIN_LOCK_SECONDS": "2"})
    world = await build_world(app)
    async with running(app) as client:
        for _ in range(3):
            await attempt(client, "adviser_a", "feil-passord")
        locked = await attempt(client, "adviser_a", world.password)
        assert_problem(locked, 429)
        assert locked.headers["retry-after"] in ("1", "2")
        await asyncio.sleep(int(locked.headers["retry-after"]) + 0.1)
        response = await attempt(client, "adviser_a", world.password)
        assert response.status_code == 200, response.text


async def test_success_resets_the_account_counter(db, app_with) -> None:
    app = app_with(**FAST)
    world = await build_world(app)
    async with running(app) as client:
        for _ in range(3):
            for _ in range(2):
                assert (await attempt(client, "adviser_a", "feil-passord")).status_code == 401
            ok = await attempt(client, "adviser_a", world.password)
            assert ok.status_code == 200, ok.text
        # Six failures in all, never three in a row: the account was never locked.
        key = throttle.account_key("adviser_a@test.klynge.no")
        assert not await LoginThrottle.exists().where(LoginThrottle.key == key)


async def test_throttle_rows_store_no_email_or_address(db, app_with) -> None:
    app = app_with(**FAST)
    await build_world(app)
    async with running(app) as client:
        await attempt(client, "adviser_a", "feil-passord")
    rows = await LoginThrottle.select(LoginThrottle.key)
    assert len(rows) == 2
    for row in rows:
        assert "adviser" not in row["key"]
        assert "testclient" not in row["key"]


@pytest.mark.parametrize("header", ["X-Forwarded-For"])
async def test_forwarded_for_is_ignored_unless_trusted(db, app_with, header: str) -> None:
    # Without KLYNGE_TRUST_PROXY_HEADERS an attacker cannot pick a fresh address per attempt.
    app = app_with(**FAST)
    world = await build_world(app)
    async with running(app) as client:
        for n in range(12):
            who = ["adviser_a", "adviser_b", "coordinator_askoy", "coordinator_alver"][n // 3]
            await client.post(
                "/api/auth/token",
                json={"email": f"{who}@test.klynge.no", "password": "feil"},
                headers={header: f"10.0.0.{n}"},
            )
        response = await client.post(
            "/api/auth/token",
            json={"email": "admin@test.klynge.no", "password": world.password},
            headers={header: "10.9.9.9"},
        )
        assert_locked(response)
