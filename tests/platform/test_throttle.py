"""Login throttling: the pure policy, the counters shared through the DB, and over HTTP that
an attacker cannot lock the owner out (OWASP: per pair, per address ceiling, known devices)."""

from __future__ import annotations

import asyncio
import html
import re
import time
from typing import Any

from klynge.auth import throttle
from klynge.auth.devices import DEVICE_COOKIE
from klynge.auth.tables import LoginThrottle
from klynge.settings import ThrottleSettings
from tests.conftest import build_world
from tests.platform.conftest import assert_problem, running

LIMITS = ThrottleSettings(slowdown_after=5, lock_after=10, lock_seconds=900, max_delay_seconds=300)
WAIT = throttle.Rule.WAIT
CEILING = throttle.Rule.CEILING

# No waits between attempts; an address is locked after 3 × 4 = 12 failures. Addresses come
# from X-Forwarded-For behind one trusted proxy.
FAST = {
    "KLYNGE_LOGIN_SLOWDOWN_AFTER": "2",
    "KLYNGE_LOGIN_LOCK_AFTER": "3",
    "KLYNGE_LOGIN_LOCK_SECONDS": "60",
    "KLYNGE_TRUST_PROXY_HEADERS": "1",
}
HTML = {"accept": "text/html,application/xhtml+xml"}
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
ADDRESS_A = {"X-Forwarded-For": "198.51.100.10"}
ADDRESS_B = {"X-Forwarded-For": "203.0.113.20"}


# --- the pure policy -------------------------------------------------------------------------


def test_wait_grows_exponentially_up_to_the_cap() -> None:
    waits = [throttle.wait_after(f, LIMITS) for f in range(15)]
    assert waits == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert throttle.wait_after(10**9, LIMITS) == 300


def test_no_wait_when_no_delay_is_configured() -> None:
    limits = ThrottleSettings(slowdown_after=1, lock_after=2, lock_seconds=60, max_delay_seconds=0)
    assert throttle.wait_after(50, limits) == 0
    assert throttle.locked_until_after(50, WAIT, 1000, limits) == 1000


def test_ceiling_locks_the_address_for_the_window() -> None:
    assert throttle.ceiling(LIMITS) == 40
    assert throttle.locked_until_after(39, CEILING, 1000, LIMITS) == 0
    assert throttle.locked_until_after(40, CEILING, 1000, LIMITS) == 1900


def test_policy() -> None:
    assert throttle.policy(1900, 1000) == throttle.Verdict(True, 900)
    assert throttle.policy(1000, 1000) == throttle.Verdict(False, 0)
    assert throttle.policy(0, 1000) == throttle.Verdict(False, 0)


def test_keys_hide_the_email_and_fold_case() -> None:
    key = throttle.pair_key("Ola@Kommune.no", "10.0.0.1")
    assert key == throttle.pair_key(" ola@kommune.no ", "10.0.0.1")
    assert key != throttle.pair_key("ola@kommune.no", "10.0.0.2")
    assert "ola" not in key
    assert len(key) == 64
    assert throttle.address_key("10.0.0.1") != throttle.device_key("10.0.0.1")


# --- the store -------------------------------------------------------------------------------


async def row_of(key: str) -> dict[str, Any]:
    row = await LoginThrottle.select().where(LoginThrottle.key == key).first()
    assert row is not None
    return row


async def test_pair_wait_grows_with_each_failure(db) -> None:
    key = throttle.pair_key("grow@test.klynge.no", "10.0.0.1")
    until = []
    for _ in range(10):
        await throttle.register_failure([(key, WAIT)], LIMITS, now=1000)
        until.append((await row_of(key))["locked_until"])
    assert until == [0, 0, 0, 0, 1001, 1002, 1004, 1008, 1016, 1032]
    assert await throttle.check([(key, WAIT)], now=1010) == throttle.Verdict(True, 22)


async def test_concurrent_failures_are_all_counted(db) -> None:
    key = throttle.pair_key("race@test.klynge.no", "10.0.0.1")
    await asyncio.gather(*(throttle.register_failure([(key, WAIT)], LIMITS) for _ in range(20)))
    assert (await row_of(key))["failures"] == 20


async def test_concurrent_failures_lock_an_address_exactly_at_the_ceiling(db) -> None:
    limits = ThrottleSettings(slowdown_after=1, lock_after=2, lock_seconds=900, max_delay_seconds=0)
    key = throttle.address_key("10.0.0.9")
    now = int(time.time())
    await asyncio.gather(
        *(throttle.register_failure([(key, CEILING)], limits, now=now) for _ in range(7))
    )
    assert (await throttle.check([(key, CEILING)], now=now)).locked is False
    await throttle.register_failure([(key, CEILING)], limits, now=now)
    assert await throttle.check([(key, CEILING)], now=now) == throttle.Verdict(True, 900)


async def test_stale_window_starts_counting_again(db) -> None:
    key = throttle.pair_key("stale@test.klynge.no", "10.0.0.1")
    await throttle.register_failure([(key, WAIT)], LIMITS, now=1000)
    await throttle.register_failure([(key, WAIT)], LIMITS, now=1000)
    await throttle.register_failure([(key, WAIT)], LIMITS, now=1000 + 901)
    assert (await row_of(key))["failures"] == 1


# --- over HTTP -------------------------------------------------------------------------------


async def attempt(client: Any, who: str, password: str, headers: dict[str, str]) -> Any:
    return await client.post(
        "/api/auth/token",
        json={"email": f"{who}@test.klynge.no", "password": password},
        headers=headers,
    )


async def ui_login(client: Any, who: str, password: str, headers: dict[str, str]) -> Any:
    page = await client.get("/login", headers={**HTML, **headers})
    found = CSRF.search(page.text)
    assert found
    return await client.post(
        "/login",
        data={"email": f"{who}@test.klynge.no", "password": password, "_csrf_token": found[1]},
        headers={**HTML, **headers},
        follow_redirects=False,
    )


async def test_attacker_cannot_lock_the_owner_out(db, app_with) -> None:
    app = app_with(**FAST)
    world = await build_world(app)
    async with running(app) as client:
        # The owner logged in once in the browser on this device (at address A).
        ok = await ui_login(client, "adviser_a", world.password, ADDRESS_A)
        assert ok.status_code == 303, ok.text
        assert client.cookies.get(DEVICE_COOKIE)
        # An attacker at the same address A fails 50 times on the owner's account.
        statuses = [
            (await attempt(client, "adviser_a", "feil-passord", ADDRESS_A)).status_code
            for _ in range(50)
        ]
        assert statuses == [401] * 12 + [429] * 38  # the address ceiling, not the account
        # The owner from address B (the API) logs in at once.
        assert (await attempt(client, "adviser_a", world.password, ADDRESS_B)).status_code == 200
        # And from the known device at address A too.
        ok = await ui_login(client, "adviser_a", world.password, ADDRESS_A)
        assert ok.status_code == 303, ok.text
        # Another device at address A is refused, and told when to try again, in Norwegian.
        client.cookies.clear()
        page = await ui_login(client, "adviser_a", world.password, ADDRESS_A)
        assert page.status_code == 429
        wait = int(page.headers["retry-after"])
        assert 0 < wait <= 60
        said = f"For mange mislykkede forsøk. Prøv igjen om {wait} sekunder."
        assert said in html.unescape(page.text)


async def test_known_device_is_throttled_on_its_own(db, app_with) -> None:
    app = app_with(**{**FAST, "KLYNGE_LOGIN_MAX_DELAY_SECONDS": "300"})
    world = await build_world(app)
    async with running(app) as client:
        assert (await ui_login(client, "adviser_a", world.password, ADDRESS_A)).status_code == 303
        device = client.cookies.get(DEVICE_COOKIE)
        assert device
        device_id = device.split(".")[0]
        await ui_login(client, "adviser_a", "feil-passord", ADDRESS_A)
        failures = await LoginThrottle.select(LoginThrottle.key, LoginThrottle.failures)
        # Failures from a known device count for that device only: no pair, no address.
        assert failures == [{"key": throttle.device_key(device_id), "failures": 1}]


async def test_pair_wait_is_stated_plainly(db, app_with) -> None:
    app = app_with(**FAST)
    world = await build_world(app)
    key = throttle.pair_key("adviser_a@test.klynge.no", "198.51.100.10")
    await LoginThrottle.insert(
        LoginThrottle(key=key, failures=9, window_started=int(time.time()), locked_until=0)
    )
    # 170 s: the message reads "3 minutes" for any wait from 121 to 180 s, so a second passing
    # between here and the request does not change it.
    await LoginThrottle.update({LoginThrottle.locked_until: int(time.time()) + 170}).where(
        LoginThrottle.key == key
    )
    async with running(app) as client:
        body = assert_problem(await attempt(client, "adviser_a", world.password, ADDRESS_A), 429)
        assert body["detail"] == "For mange mislykkede forsøk. Prøv igjen om 3 minutter."
        english = await client.post(
            "/api/auth/token",
            json={"email": "adviser_a@test.klynge.no", "password": world.password},
            headers={**ADDRESS_A, "Accept-Language": "en"},
        )
        assert english.json()["detail"] == "Too many failed attempts. Try again in 3 minutes."
        # The same account from another address is not waiting.
        assert (await attempt(client, "adviser_a", world.password, ADDRESS_B)).status_code == 200


async def test_address_ceiling_blocks_a_spray_over_many_accounts(db, app_with) -> None:
    app = app_with(**FAST)
    world = await build_world(app)
    victims = ["adviser_a", "adviser_b", "coordinator_askoy", "coordinator_alver"]
    async with running(app) as client:
        for who in victims:
            for _ in range(3):
                response = await attempt(client, who, "feil-passord", ADDRESS_A)
                assert response.status_code == 401, response.text
        # 12 failures from address A: every account is refused from there, none elsewhere.
        assert_problem(await attempt(client, "admin", world.password, ADDRESS_A), 429)
        assert_problem(await attempt(client, "leader_askoy", world.password, ADDRESS_A), 429)
        assert (await attempt(client, "admin", world.password, ADDRESS_B)).status_code == 200


async def test_lock_survives_a_new_app_instance(db, app_with) -> None:
    first = app_with(**FAST)
    world = await build_world(first)
    async with running(first) as client:
        for _ in range(12):
            await attempt(client, "adviser_a", "feil-passord", ADDRESS_A)
        assert_problem(await attempt(client, "adviser_b", world.password, ADDRESS_A), 429)
    # Another process: a new app with its own state; the counters live in the database.
    second = app_with(**FAST)
    async with running(second) as client:
        assert_problem(await attempt(client, "adviser_b", world.password, ADDRESS_A), 429)
        assert (await attempt(client, "adviser_b", world.password, ADDRESS_B)).status_code == 200


async def test_success_clears_the_pair_but_not_the_address(db, app_with) -> None:
    app = app_with(**FAST)
    world = await build_world(app)
    async with running(app) as client:
        for _ in range(2):
            assert (await attempt(client, "adviser_a", "feil", ADDRESS_A)).status_code == 401
        assert (await attempt(client, "adviser_a", world.password, ADDRESS_A)).status_code == 200
    pair = throttle.pair_key("adviser_a@test.klynge.no", "198.51.100.10")
    assert not await LoginThrottle.exists().where(LoginThrottle.key == pair)
    address = await row_of(throttle.address_key("198.51.100.10"))
    assert address["failures"] == 2


async def test_throttle_rows_store_no_email_or_address(db, app_with) -> None:
    app = app_with(**FAST)
    await build_world(app)
    async with running(app) as client:
        await attempt(client, "adviser_a", "feil-passord", ADDRESS_A)
    rows = await LoginThrottle.select(LoginThrottle.key)
    assert len(rows) == 2
    for row in rows:
        assert "adviser" not in row["key"]
        assert "198.51" not in row["key"]


async def test_forwarded_for_is_ignored_unless_trusted(db, app_with) -> None:
    # Without trusted proxies an attacker cannot pick a fresh address per attempt.
    app = app_with(**{k: v for k, v in FAST.items() if k != "KLYNGE_TRUST_PROXY_HEADERS"})
    world = await build_world(app)
    async with running(app) as client:
        for n in range(12):
            await attempt(client, "adviser_a", "feil", {"X-Forwarded-For": f"10.0.0.{n}"})
        response = await attempt(client, "admin", world.password, {"X-Forwarded-For": "10.9.9.9"})
        assert_problem(response, 429)
