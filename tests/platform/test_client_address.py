"""The client address behind trusted proxies: counted from the right of X-Forwarded-For."""

from __future__ import annotations

from typing import Any

import pytest

from klynge.auth.middleware import client_address, is_https
from tests.conftest import build_world, make_settings
from tests.platform.conftest import assert_problem, running


def scope(peer: str, forwarded: str | None = None, proto: str | None = None) -> dict[str, Any]:
    headers = []
    if forwarded is not None:
        headers.append((b"x-forwarded-for", forwarded.encode()))
    if proto is not None:
        headers.append((b"x-forwarded-proto", proto.encode()))
    return {"type": "http", "client": (peer, 5000), "headers": headers}


def test_default_ignores_the_header() -> None:
    settings = make_settings()
    assert settings.trusted_proxy_hops == 0
    assert client_address(scope("198.51.100.7", "10.0.0.1"), settings) == "198.51.100.7"


def test_one_hop_takes_the_right_most_entry() -> None:
    settings = make_settings(KLYNGE_TRUSTED_PROXY_HOPS="1")
    # The client wrote "6.6.6.6, 7.7.7.7" itself; the proxy appended the real peer 203.0.113.5.
    forwarded = "6.6.6.6, 7.7.7.7, 203.0.113.5"
    assert client_address(scope("10.1.1.1", forwarded), settings) == "203.0.113.5"


def test_two_hops_take_the_second_from_the_right() -> None:
    settings = make_settings(KLYNGE_TRUSTED_PROXY_HOPS="2")
    forwarded = "6.6.6.6, 203.0.113.5, 10.1.1.2"
    assert client_address(scope("10.1.1.1", forwarded), settings) == "203.0.113.5"


def test_too_few_entries_fall_back_to_the_peer() -> None:
    settings = make_settings(KLYNGE_TRUSTED_PROXY_HOPS="2")
    assert client_address(scope("10.1.1.1", "203.0.113.5"), settings) == "10.1.1.1"
    assert client_address(scope("10.1.1.1"), settings) == "10.1.1.1"


def test_garbage_entry_falls_back_to_the_peer() -> None:
    settings = make_settings(KLYNGE_TRUSTED_PROXY_HOPS="1")
    assert client_address(scope("10.1.1.1", "1.2.3.4, not-an-ip"), settings) == "10.1.1.1"
    assert client_address(scope("10.1.1.1", "1.2.3.4, "), settings) == "10.1.1.1"


def test_old_flag_means_one_hop() -> None:
    settings = make_settings(KLYNGE_TRUST_PROXY_HEADERS="1")
    assert settings.trusted_proxy_hops == 1
    assert client_address(scope("10.1.1.1", "6.6.6.6, 203.0.113.5"), settings) == "203.0.113.5"
    explicit = make_settings(KLYNGE_TRUST_PROXY_HEADERS="1", KLYNGE_TRUSTED_PROXY_HOPS="2")
    assert explicit.trusted_proxy_hops == 2


def test_forwarded_proto_only_behind_a_trusted_proxy() -> None:
    assert not is_https(scope("10.1.1.1", proto="https"), make_settings())
    hop = make_settings(KLYNGE_TRUSTED_PROXY_HOPS="1")
    assert is_https(scope("10.1.1.1", proto="https"), hop)
    assert not is_https(scope("10.1.1.1", proto="http"), hop)


@pytest.mark.parametrize("value", ["-1", "x", "11"])
def test_bad_hop_counts_are_refused(value: str) -> None:
    from klynge.settings import ConfigError

    with pytest.raises(ConfigError, match="KLYNGE_TRUSTED_PROXY_HOPS"):
        make_settings(KLYNGE_TRUSTED_PROXY_HOPS=value)


async def test_spoofed_left_entries_do_not_change_the_throttled_address(db, app_with) -> None:
    app = app_with(
        KLYNGE_TRUST_PROXY_HEADERS="1",
        KLYNGE_LOGIN_SLOWDOWN_AFTER="2",
        KLYNGE_LOGIN_LOCK_AFTER="3",
        KLYNGE_LOGIN_LOCK_SECONDS="60",
    )
    world = await build_world(app)
    victims = ["adviser_a", "adviser_b", "coordinator_askoy", "coordinator_alver"]
    async with running(app) as client:
        for n in range(12):
            # A fresh spoofed left-most entry each time; the proxy appends the real address.
            response = await client.post(
                "/api/auth/token",
                json={"email": f"{victims[n // 3]}@test.klynge.no", "password": "feil"},
                headers={"X-Forwarded-For": f"10.0.0.{n}, 203.0.113.5"},
            )
            assert response.status_code == 401, response.text
        response = await client.post(
            "/api/auth/token",
            json={"email": "admin@test.klynge.no", "password": world.password},
            headers={"X-Forwarded-For": "10.9.9.9, 203.0.113.5"},
        )
        assert_problem(response, 429)
        # Another real client behind the same proxy is not affected.
        response = await client.post(
            "/api/auth/token",
            json={"email": "admin@test.klynge.no", "password": world.password},
            headers={"X-Forwarded-For": "203.0.113.99"},
        )
        assert response.status_code == 200, response.text
