"""The auth API over HTTP: bad tokens are 401 problems (never 500), logins, refresh rotation."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest

from klynge.auth.tables import Account, RefreshToken
from tests.platform.conftest import assert_problem, field_names, running
from tests.platform.test_tokens import (
    b64,
    claims,
    hs_token,
    public_pem_of,
    rs_token,
    segment,
    signed_raw,
    write_rsa_key,
)

TOKEN_KEYS = {"access_token", "token_type", "expires_in", "refresh_token", "refresh_expires_in"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_401(response: Any) -> dict[str, Any]:
    body = assert_problem(response, 401)
    assert response.headers["www-authenticate"].lower().startswith("bearer")
    return body


async def login(client: Any, email: str, password: str) -> Any:
    return await client.post("/api/auth/token", json={"email": email, "password": password})


# --- every bad token is a 401 problem --------------------------------------------------------


def _hs256_rejections(account_id: int) -> dict[str, str]:
    now = int(time.time())
    sub = str(account_id)
    good = hs_token(claims(sub=sub))
    head, body, sig = good.split(".")
    rejections = {
        "alg none": f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(claims(sub=sub))}.",
        "HS512": hs_token(claims(sub=sub), alg="HS512"),
        "HS384": hs_token(claims(sub=sub), alg="HS384"),
        "expired": hs_token(claims(sub=sub, iat=now - 1000, exp=now - 5)),
        "tampered signature": f"{head}.{body}.{sig[:-3]}AAA",
        "tampered payload": f"{head}.{segment(claims(sub=str(account_id + 1)))}.{sig}",
        "wrong audience": hs_token(claims(sub=sub, aud="other")),
        "wrong issuer": hs_token(claims(sub=sub, iss="other")),
        "iat in future": hs_token(claims(sub=sub, iat=now + 3600, exp=now + 7200)),
        "typ refresh": hs_token(claims(sub=sub, typ="refresh")),
        "garbage": "not-a-token",
        "garbage three parts": "a.b.c",
        "json array header": f"{b64(b'[]')}.{segment(claims(sub=sub))}.c2ln",
        "huge subject": hs_token(claims(sub="9" * 30)),
        "unknown account": hs_token(claims(sub="999999")),
        "exp infinity": signed_raw(json.dumps({**claims(sub=sub), "exp": float("inf")})),
    }
    for missing in ("exp", "iat", "aud", "iss", "sub", "jti"):
        payload = claims(sub=sub)
        del payload[missing]
        rejections[f"missing {missing}"] = hs_token(payload)
    return rejections


async def test_hand_built_token_works_over_http(client, world) -> None:
    # The control for the rejections below: the same builder with nothing wrong is accepted.
    token = hs_token(claims(sub=str(world.accounts["adviser_a"])))
    response = await client.get("/api/auth/me", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.json()["email"] == "adviser_a@test.klynge.no"


async def test_every_bad_token_is_401_problem(client, world) -> None:
    for name, token in _hs256_rejections(world.accounts["adviser_a"]).items():
        for method, path in (
            ("GET", "/api/auth/me"),
            ("GET", "/api/clusters"),
            ("GET", f"/api/clusters/{world.ids['cluster_a']}"),
            ("POST", "/api/municipalities"),
        ):
            response = await client.request(method, path, headers=bearer(token), json={})
            try:
                assert_401(response)
            except AssertionError as exc:
                raise AssertionError(f"{name} on {path}: {exc}") from None


async def test_bad_token_on_public_and_unknown_routes_is_still_401(client, world) -> None:
    # A presented token is checked wherever it is sent: a bad one never passes silently.
    assert_401(await client.get("/healthz", headers=bearer("a.b.c")))
    assert_401(
        await client.post(
            "/api/auth/token",
            headers=bearer("a.b.c"),
            json={"email": "adviser_a@test.klynge.no", "password": world.password},
        )
    )


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic YWRtaW5AdGVzdC5rbHluZ2Uubm86cmlrdGlnLXBhc3N" + "vcmQtMTIz",
        "Bearer",
        "Bearer ",
        "Token abc",
        "bearer",
        "Digest username=admin",
    ],
)
async def test_other_authorization_schemes_are_401(client, world, authorization: str) -> None:
    response = await client.get("/api/auth/me", headers={"Authorization": authorization})
    assert_401(response)


async def test_basic_auth_with_real_credentials_is_refused(client, world) -> None:
    raw = f"admin@test.klynge.no:{world.password}".encode()
    headers = {"Authorization": "Basic " + base64.b64encode(raw).decode()}
    assert_401(await client.get("/api/auth/me", headers=headers))
    assert_401(await client.get("/api/accounts", headers=headers))


async def test_no_token_is_401_with_challenge(client, world) -> None:
    assert_401(await client.get("/api/auth/me"))
    assert_401(await client.get("/api/clusters"))


async def test_deactivated_account_token_stops_working(client, world) -> None:
    headers = world.headers["adviser_a"]
    assert (await client.get("/api/auth/me", headers=headers)).status_code == 200
    await Account.update({Account.is_active: False}).where(
        Account.id == world.accounts["adviser_a"]
    )
    assert_401(await client.get("/api/auth/me", headers=headers))


async def test_rs256_rejections_over_http(db, tmp_path: Path, app_with) -> None:
    from tests.conftest import build_world

    keys = tmp_path / "keys"
    keys.mkdir()
    private_a = write_rsa_key(keys, "a")
    app = app_with(
        KLYNGE_JWT_ALGORITHM="RS256", KLYNGE_JWT_KEYS_DIR=str(keys), KLYNGE_JWT_ACTIVE_KID="a"
    )
    world = await build_world(app)
    sub = str(world.accounts["adviser_a"])
    public = public_pem_of(private_a)
    async with running(app) as client:
        ok = await client.get("/api/auth/me", headers=world.headers["adviser_a"])
        assert ok.status_code == 200, ok.text
        ok = await client.get(
            "/api/auth/me", headers=bearer(rs_token(claims(sub=sub), private_a, "a"))
        )
        assert ok.status_code == 200, ok.text
        jwks = (await client.get("/.well-known/jwks.json")).json()
        assert [k["kid"] for k in jwks["keys"]] == ["a"]
        for name, token in {
            "hs256 with public key": hs_token(claims(sub=sub), key=public, kid="a"),
            "hs256 with secret": hs_token(claims(sub=sub), kid="a"),
            "unknown kid": rs_token(claims(sub=sub), private_a, "b"),
            "no kid": f"{segment({'alg': 'RS256'})}.{segment(claims(sub=sub))}.c2ln",
            "alg none": f"{segment({'alg': 'none', 'kid': 'a'})}.{segment(claims(sub=sub))}.",
            "garbage": "x.y.z",
        }.items():
            response = await client.get("/api/auth/me", headers=bearer(token))
            try:
                assert_401(response)
            except AssertionError as exc:
                raise AssertionError(f"{name}: {exc}") from None


# --- logging in ------------------------------------------------------------------------------


async def test_token_response_has_exactly_the_documented_keys(client, world) -> None:
    response = await login(client, "adviser_a@test.klynge.no", world.password)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == TOKEN_KEYS
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["refresh_expires_in"] == 14 * 24 * 3600
    assert "no-store" in response.headers.get("cache-control", "")
    me = await client.get("/api/auth/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json()["id"] == world.accounts["adviser_a"]


async def test_wrong_password_and_unknown_email_look_the_same(client, world) -> None:
    wrong = await login(client, "adviser_a@test.klynge.no", "feil-passord-000")
    unknown = await login(client, "finnes.ikke@test.klynge.no", world.password)
    assert_401(wrong)
    assert_401(unknown)
    assert wrong.json() == unknown.json()
    assert wrong.headers["www-authenticate"] == unknown.headers["www-authenticate"]
    assert "finnes.ikke" not in unknown.text


async def test_inactive_account_cannot_log_in(client, world) -> None:
    await Account.update({Account.is_active: False}).where(Account.id == world.accounts["nobody"])
    inactive = await login(client, "nobody@test.klynge.no", world.password)
    assert_401(inactive)
    wrong = await login(client, "adviser_b@test.klynge.no", "feil-passord-000")
    assert inactive.json() == wrong.json()  # does not reveal that the password was right


async def test_email_is_case_insensitive(client, world) -> None:
    for email in (
        "ADVISER_A@TEST.KLYNGE.NO",
        "  Adviser_A@Test.Klynge.no ",
        "adviser_a@test.klynge.no",
    ):
        response = await login(client, email, world.password)
        assert response.status_code == 200, (email, response.text)
    # The password is not.
    assert_401(await login(client, "adviser_a@test.klynge.no", world.password.upper()))


@pytest.mark.parametrize(
    ("content", "fields"),
    [
        ("{not json", None),
        ("", None),
        ("[]", None),
        ('{"email": "a@b.no"}', {"password"}),
        ('{"password": "x"}', {"email"}),
        ('{"email": 5, "password": "x"}', {"email"}),
        ('{"email": "a@b.no", "password": "x", "admin": true}', {"admin"}),
        ('{"email": "", "password": "x"}', {"email"}),
    ],
)
async def test_malformed_login_bodies_are_400_problems(
    client, world, content: str, fields: set[str] | None
) -> None:
    response = await client.post(
        "/api/auth/token", content=content, headers={"Content-Type": "application/json"}
    )
    body = assert_problem(response, 400)
    if fields is not None:
        assert fields <= field_names(body), body


# --- refresh and logout ----------------------------------------------------------------------


async def _pair(client: Any, world: Any, key: str = "adviser_a") -> dict[str, Any]:
    response = await login(client, f"{key}@test.klynge.no", world.password)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def refresh(client: Any, token: str) -> Any:
    return await client.post("/api/auth/refresh", json={"refresh_token": token})


async def test_refresh_rotates(client, world) -> None:
    first = await _pair(client, world)
    response = await refresh(client, first["refresh_token"])
    assert response.status_code == 200, response.text
    second = response.json()
    assert set(second) == TOKEN_KEYS
    assert second["refresh_token"] != first["refresh_token"]
    me = await client.get("/api/auth/me", headers=bearer(second["access_token"]))
    assert me.status_code == 200
    third = await refresh(client, second["refresh_token"])
    assert third.status_code == 200, third.text
    # Only hashes are stored.
    stored = await RefreshToken.select(RefreshToken.token_hash)
    assert all(first["refresh_token"] not in r["token_hash"] for r in stored)


async def test_reusing_a_spent_refresh_token_revokes_the_family(client, world) -> None:
    first = await _pair(client, world)
    other_device = await _pair(client, world)
    second = (await refresh(client, first["refresh_token"])).json()
    # The spent token comes back (a thief, or the victim after the thief): refused ...
    assert_401(await refresh(client, first["refresh_token"]))
    # ... and the newer token of the same family is revoked too.
    assert_401(await refresh(client, second["refresh_token"]))
    # Another login (another family) is untouched.
    assert (await refresh(client, other_device["refresh_token"])).status_code == 200


async def test_logout_revokes(client, world) -> None:
    pair = await _pair(client, world)
    response = await client.post("/api/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert response.status_code == 204
    assert_401(await refresh(client, pair["refresh_token"]))
    # Logging out with an unknown token reveals nothing.
    again = await client.post("/api/auth/logout", json={"refresh_token": "unknown"})
    assert again.status_code == 204


async def test_refresh_refused_for_unknown_expired_and_deactivated(client, world) -> None:
    assert_401(await refresh(client, "made-up-token"))
    pair = await _pair(client, world)
    await RefreshToken.update({RefreshToken.expires_at: RefreshToken.created_at}).where(
        RefreshToken.account == world.accounts["adviser_a"]
    )
    assert_401(await refresh(client, pair["refresh_token"]))
    pair = await _pair(client, world, "adviser_b")
    await Account.update({Account.is_active: False}).where(
        Account.id == world.accounts["adviser_b"]
    )
    assert_401(await refresh(client, pair["refresh_token"]))


async def test_refresh_malformed_body_is_400(client, world) -> None:
    assert_problem(await client.post("/api/auth/refresh", json={}), 400)
    assert_problem(await client.post("/api/auth/refresh", json={"refresh_token": ""}), 400)
    assert_problem(await client.post("/api/auth/refresh", json={"refresh_token": "x" * 500}), 400)


async def test_concurrent_refresh_with_one_token_succeeds_once(db, world, settings) -> None:
    # On the service directly, so the refreshes really overlap (one transaction each).
    from klynge.auth import service
    from klynge.auth.tokens import TokenCodec

    codec = TokenCodec(settings.tokens)
    pair = await service.login(
        "adviser_a@test.klynge.no", world.password, "10.0.0.1", settings, codec
    )
    results = await asyncio.gather(
        *(service.refresh(pair.refresh_token, settings, codec) for _ in range(4)),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, service.TokenPair)]
    assert len(winners) == 1, results
    assert all(isinstance(r, service.RefreshFailed) for r in results if r not in winners)
    # The losers presented a spent token: the family is revoked, the winner's token too.
    with pytest.raises(service.RefreshFailed):
        await service.refresh(winners[0].refresh_token, settings, codec)


async def test_refresh_reuse_is_audited(client, world) -> None:
    from klynge.audit import AuditEvent

    first = await _pair(client, world)
    await refresh(client, first["refresh_token"])
    await refresh(client, first["refresh_token"])
    rows = await AuditEvent.select().where(AuditEvent.action == "auth.refresh_reuse")
    assert len(rows) == 1
    assert rows[0]["object_id"] == str(world.accounts["adviser_a"])
