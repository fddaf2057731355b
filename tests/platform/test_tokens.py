"""TokenCodec on its own: what it issues verifies, and every forged or broken token is refused.

Forged tokens are built by hand (base64url + HMAC/RSA), so the test does not rely on the JWT
library being willing to produce them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jose import jwk

from klynge.auth.tokens import InvalidToken, TokenCodec
from tests.conftest import TEST_SECRET, make_settings


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(obj: Any) -> str:
    return b64(json.dumps(obj, separators=(",", ":")).encode())


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "sub": "1",
        "iat": now,
        "exp": now + 600,
        "aud": "klynge-api",
        "iss": "klynge",
        "jti": "abc123",
        "sid": "0123456789abcdef0123456789abcdef",
        "typ": "access",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


_HMAC = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def hs_token(
    payload: dict[str, Any], key: bytes | str = TEST_SECRET, alg: str = "HS256", **header: Any
) -> str:
    head = segment({"alg": alg, "typ": "JWT", **header})
    body = segment(payload)
    raw_key = key.encode() if isinstance(key, str) else key
    sig = hmac.new(raw_key, f"{head}.{body}".encode(), _HMAC[alg]).digest()
    return f"{head}.{body}.{b64(sig)}"


def rs_token(payload: dict[str, Any], private_pem: bytes, kid: str) -> str:
    head = segment({"alg": "RS256", "typ": "JWT", "kid": kid})
    body = segment(payload)
    key = serialization.load_pem_private_key(private_pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    sig = key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{head}.{body}.{b64(sig)}"


def write_rsa_key(folder: Path, kid: str) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / f"{kid}.pem").write_bytes(pem)
    return pem


def public_pem_of(private_pem: bytes) -> bytes:
    key = serialization.load_pem_private_key(private_pem, password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture
def codec() -> TokenCodec:
    return TokenCodec(make_settings().tokens)


@pytest.fixture
def rsa_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "keys"
    folder.mkdir()
    return folder


def rs_codec(folder: Path, active: str) -> TokenCodec:
    return TokenCodec(
        make_settings(
            KLYNGE_JWT_ALGORITHM="RS256",
            KLYNGE_JWT_KEYS_DIR=str(folder),
            KLYNGE_JWT_ACTIVE_KID=active,
        ).tokens
    )


# --- HS256 -----------------------------------------------------------------------------------


def test_hs256_round_trip(codec: TokenCodec) -> None:
    token = codec.issue(42)
    decoded = codec.decode(token)
    assert decoded.account_id == 42
    assert decoded.aud == "klynge-api"
    assert decoded.iss == "klynge"
    assert decoded.exp - decoded.iat == 900
    assert decoded.typ == "access"
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "HS256"


def test_hand_built_token_is_accepted(codec: TokenCodec) -> None:
    # Proves the forging helpers below build otherwise-valid tokens: each rejection is then
    # caused by the one thing the test changes.
    assert codec.decode(hs_token(claims(sub="7"))).account_id == 7


def test_alg_none_is_refused(codec: TokenCodec) -> None:
    for alg in ("none", "None", "NONE"):
        token = f"{segment({'alg': alg, 'typ': 'JWT'})}.{segment(claims())}."
        with pytest.raises(InvalidToken):
            codec.decode(token)
        with pytest.raises(InvalidToken):
            codec.decode(token + "c2ln")


@pytest.mark.parametrize("alg", ["HS384", "HS512"])
def test_other_hmac_algorithm_with_same_secret_is_refused(codec: TokenCodec, alg: str) -> None:
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(claims(), alg=alg))


def test_expired(codec: TokenCodec) -> None:
    now = int(time.time())
    with pytest.raises(InvalidToken, match="expired"):
        codec.decode(hs_token(claims(iat=now - 1000, exp=now - 10)))


def test_tampered_signature(codec: TokenCodec) -> None:
    token = codec.issue(1)
    head, body, sig = token.split(".")
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    with pytest.raises(InvalidToken):
        codec.decode(f"{head}.{body}.{flipped}")
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(claims(), key="another-secret-that-is-long-enough-000000"))


def test_tampered_payload(codec: TokenCodec) -> None:
    head, _body, sig = codec.issue(1).split(".")
    with pytest.raises(InvalidToken):
        codec.decode(f"{head}.{segment(claims(sub='2'))}.{sig}")


def test_wrong_audience_and_issuer(codec: TokenCodec) -> None:
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(claims(aud="another-api")))
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(claims(iss="someone-else")))
    # A token from an app configured with another audience does not verify here.
    other = TokenCodec(make_settings(KLYNGE_JWT_AUDIENCE="other").tokens)
    with pytest.raises(InvalidToken):
        codec.decode(other.issue(1))


@pytest.mark.parametrize("missing", ["exp", "iat", "aud", "iss", "sub", "jti", "sid"])
def test_missing_claim(codec: TokenCodec, missing: str) -> None:
    payload = claims()
    del payload[missing]
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(payload))


def test_iat_in_the_future(codec: TokenCodec) -> None:
    now = int(time.time())
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(claims(iat=now + 3600, exp=now + 7200)))


@pytest.mark.parametrize("typ", ["refresh", "", "ACCESS", None])
def test_typ_must_be_access(codec: TokenCodec, typ: str | None) -> None:
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(claims(typ=typ)))


@pytest.mark.parametrize(
    "sub", ["abc", "", "-1", "1.5", 12, ["1"], "99999999999999999999999", "١٢"]
)
def test_bad_subject(codec: TokenCodec, sub: object) -> None:
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(claims(sub=sub)))


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "x",
        "a.b",
        "a.b.c",
        "...",
        "a.b.c.d",
        "Bearer",
        "é.é.é",
        "\x00.\x00.\x00",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0",
        f"{b64(b'[]')}.{segment(claims())}.c2ln",
        f"{b64(b'not json')}.{segment(claims())}.c2ln",
        f"{segment({'alg': 'HS256'})}.{b64(b'not json')}.c2ln",
        f"{segment({'alg': 'HS256'})}.{b64(b'[1,2]')}.c2ln",
        "a" * 10_000 + ".b.c",
    ],
)
def test_garbage(codec: TokenCodec, garbage: str) -> None:
    with pytest.raises(InvalidToken):
        codec.decode(garbage)


def test_garbage_payload_with_valid_signature(codec: TokenCodec) -> None:
    # Correctly signed but the payload is not a JSON object: must still be InvalidToken.
    head = segment({"alg": "HS256", "typ": "JWT"})
    for body in (b64(b"[1,2]"), b64(b"42"), b64(b"not json"), b64(b'"text"')):
        sig = hmac.new(TEST_SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
        with pytest.raises(InvalidToken):
            codec.decode(f"{head}.{body}.{b64(sig)}")


def signed_raw(body_json: str) -> str:
    """A correctly signed token whose payload is exactly this JSON text."""
    head = segment({"alg": "HS256", "typ": "JWT"})
    body = b64(body_json.encode())
    sig = hmac.new(TEST_SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


@pytest.mark.parametrize(
    "odd",
    [
        {"exp": float("inf")},
        {"exp": float("nan")},
        {"iat": float("nan")},
        {"iat": True},
        {"exp": -1},
        {"jti": 5},
        {"nbf": 4_000_000_000},
    ],
)
def test_odd_claim_values_with_a_valid_signature(codec: TokenCodec, odd: dict[str, Any]) -> None:
    # Python's json writes Infinity/NaN and jose reads them back; none may escape as a crash.
    with pytest.raises(InvalidToken):
        codec.decode(signed_raw(json.dumps({**claims(), **odd})))


def test_hs256_ignores_but_survives_kid(codec: TokenCodec) -> None:
    # HS256 has one secret: an unknown kid header does not open another key.
    assert codec.decode(hs_token(claims(), kid="whatever")).account_id == 1


# --- RS256 and key rotation ------------------------------------------------------------------


def test_rs256_round_trip_and_header(rsa_dir: Path) -> None:
    write_rsa_key(rsa_dir, "k1")
    codec = rs_codec(rsa_dir, "k1")
    token = codec.issue(5)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "RS256", "kid": "k1", "typ": "JWT"}
    assert codec.decode(token).account_id == 5


def test_hs_rs_confusion_is_refused(rsa_dir: Path) -> None:
    private = write_rsa_key(rsa_dir, "k1")
    codec = rs_codec(rsa_dir, "k1")
    public = public_pem_of(private)
    # The classic attack: sign with HS256 using the public key (which verifiers know) as secret.
    for key in (public, public.decode().strip().encode()):
        with pytest.raises(InvalidToken):
            codec.decode(hs_token(claims(), key=key, kid="k1"))
    # And an HS256 token signed with the app's own secret is no good under RS256 either.
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(claims(), kid="k1"))


def test_rs256_unknown_or_missing_kid(rsa_dir: Path) -> None:
    private = write_rsa_key(rsa_dir, "k1")
    codec = rs_codec(rsa_dir, "k1")
    assert codec.decode(rs_token(claims(), private, "k1")).account_id == 1
    with pytest.raises(InvalidToken, match="key id"):
        codec.decode(rs_token(claims(), private, "k2"))
    with pytest.raises(InvalidToken):
        codec.decode(rs_token(claims(), private, "../k1"))
    head = segment({"alg": "RS256", "typ": "JWT"})
    with pytest.raises(InvalidToken):
        codec.decode(f"{head}.{segment(claims())}.c2ln")


def test_rs256_signature_from_a_stranger_key(rsa_dir: Path, tmp_path: Path) -> None:
    write_rsa_key(rsa_dir, "k1")
    codec = rs_codec(rsa_dir, "k1")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    stranger = write_rsa_key(elsewhere, "k1")
    with pytest.raises(InvalidToken):
        codec.decode(rs_token(claims(), stranger, "k1"))


def test_rs256_expired_and_claims(rsa_dir: Path) -> None:
    private = write_rsa_key(rsa_dir, "k1")
    codec = rs_codec(rsa_dir, "k1")
    now = int(time.time())
    for bad in (
        claims(iat=now - 1000, exp=now - 10),
        claims(aud="x"),
        claims(iss="x"),
        claims(typ="refresh"),
    ):
        with pytest.raises(InvalidToken):
            codec.decode(rs_token(bad, private, "k1"))


def test_key_rotation(rsa_dir: Path) -> None:
    write_rsa_key(rsa_dir, "a")
    old = rs_codec(rsa_dir, "a").issue(9)
    write_rsa_key(rsa_dir, "b")
    rotated = rs_codec(rsa_dir, "b")
    new = rotated.issue(10)
    assert json.loads(base64.urlsafe_b64decode(new.split(".")[0] + "=="))["kid"] == "b"
    # The old key still verifies the tokens it signed while they live.
    assert rotated.decode(old).account_id == 9
    assert rotated.decode(new).account_id == 10
    # Once the old key file is removed, its tokens are refused.
    (rsa_dir / "a.pem").unlink()
    retired = rs_codec(rsa_dir, "b")
    with pytest.raises(InvalidToken):
        retired.decode(old)
    assert retired.decode(new).account_id == 10


def test_jwks_lists_every_public_key(rsa_dir: Path) -> None:
    a = write_rsa_key(rsa_dir, "a")
    b = write_rsa_key(rsa_dir, "b")
    keys = rs_codec(rsa_dir, "b").jwks()["keys"]
    assert sorted(k["kid"] for k in keys) == ["a", "b"]
    for key in keys:
        assert key["kty"] == "RSA"
        assert key["alg"] == "RS256"
        assert key["use"] == "sig"
        assert {"n", "e"} <= set(key)
        # Never the private parts.
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
    by_kid = {k["kid"]: k for k in keys}
    for kid, private in (("a", a), ("b", b)):
        expected = jwk.construct(public_pem_of(private), algorithm="RS256").to_dict()
        assert by_kid[kid]["n"] == expected["n"]
        assert by_kid[kid]["e"] == expected["e"]


def test_jwks_is_empty_for_hs256(codec: TokenCodec) -> None:
    assert codec.jwks() == {"keys": []}


def test_correctly_signed_token_claiming_a_long_life_is_refused(codec: TokenCodec) -> None:
    now = int(time.time())
    with pytest.raises(InvalidToken, match="lifetime"):
        codec.decode(hs_token(claims(iat=now, exp=now + 10 * 365 * 24 * 3600)))
    # The configured 900 s plus the 30 s leeway is the longest accepted.
    assert codec.decode(hs_token(claims(iat=now, exp=now + 930))).exp == now + 930
    with pytest.raises(InvalidToken, match="lifetime"):
        codec.decode(hs_token(claims(iat=now, exp=now + 931)))


@pytest.mark.parametrize("sid", ["", "a" * 65, "../x", 7])
def test_bad_session_id(codec: TokenCodec, sid: object) -> None:
    with pytest.raises(InvalidToken):
        codec.decode(hs_token(claims(sid=sid)))
