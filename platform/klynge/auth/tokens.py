"""JWT access tokens with python-jose: HS256 from the secret key, or RS256 with key ids.

Every decode passes the one allowed algorithm explicitly and checks exp, iat, aud and iss;
every jose error becomes InvalidToken (the web layer turns it into 401, never 500).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from jose import jwk, jwt
from jose.exceptions import JOSEError

from klynge.settings import TokenSettings

ACCESS = "access"
# Clock skew allowed between the claimed lifetime (exp - iat) and the configured one.
LIFETIME_LEEWAY_SECONDS = 30
MAX_ACCOUNT_ID = 2**31 - 1  # account.id is a 32-bit serial


class InvalidToken(Exception):
    """The token cannot be trusted. The message is safe to show (it never echoes the token)."""


@dataclass(frozen=True, slots=True)
class Token:
    """The claims of a Klynge access token."""

    sub: str
    exp: int
    iat: int
    aud: str
    iss: str
    jti: str
    sid: str  # the login session (refresh token family); logout revokes it
    typ: str = ACCESS

    @property
    def account_id(self) -> int:
        return int(self.sub)

    def claims(self) -> dict[str, Any]:
        return {
            "sub": self.sub,
            "exp": self.exp,
            "iat": self.iat,
            "aud": self.aud,
            "iss": self.iss,
            "jti": self.jti,
            "sid": self.sid,
            "typ": self.typ,
        }


@dataclass(frozen=True, slots=True)
class _Key:
    kid: str
    private_pem: str
    public_pem: str


def _load_rsa_keys(folder: Path) -> dict[str, _Key]:
    keys: dict[str, _Key] = {}
    for path in sorted(folder.glob("*.pem")):
        private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        public_pem = (
            private.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        keys[path.stem] = _Key(path.stem, path.read_text(), public_pem)
    return keys


class TokenCodec:
    """Issues and checks access tokens for one configuration."""

    def __init__(self, settings: TokenSettings) -> None:
        self.settings = settings
        self.algorithm = settings.algorithm
        self._rsa: dict[str, _Key] = {}
        if self.algorithm == "RS256":
            assert settings.keys_dir is not None
            assert settings.active_kid is not None
            self._rsa = _load_rsa_keys(settings.keys_dir)

    @property
    def expires_in(self) -> int:
        return self.settings.access_seconds

    def issue(
        self, account_id: int, *, sid: str | None = None, now: dt.datetime | None = None
    ) -> str:
        issued = int((now or dt.datetime.now(dt.UTC)).timestamp())
        token = Token(
            sub=str(account_id),
            iat=issued,
            exp=issued + self.settings.access_seconds,
            aud=self.settings.audience,
            iss=self.settings.issuer,
            jti=secrets.token_hex(12),
            sid=sid or secrets.token_hex(16),
        )
        if self.algorithm == "RS256":
            kid = self.settings.active_kid
            assert kid is not None
            signed: str = jwt.encode(
                token.claims(), self._rsa[kid].private_pem, algorithm="RS256", headers={"kid": kid}
            )
            return signed
        signed = jwt.encode(token.claims(), self.settings.secret_key, algorithm="HS256")
        return signed

    def _verification_key(self, token: str) -> str:
        if self.algorithm == "HS256":
            return self.settings.secret_key
        try:
            header = jwt.get_unverified_header(token)
        except JOSEError:
            raise InvalidToken("malformed token") from None
        kid = header.get("kid")
        if not isinstance(kid, str) or kid not in self._rsa:
            raise InvalidToken("unknown key id")
        return self._rsa[kid].public_pem

    def decode(self, token: str) -> Token:
        if not token or token.count(".") != 2:
            raise InvalidToken("malformed token")
        key = self._verification_key(token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.algorithm],
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                options={
                    "require_exp": True,
                    "require_iat": True,
                    "require_aud": True,
                    "require_iss": True,
                    "require_sub": True,
                    "require_jti": True,
                    "leeway": 0,
                },
            )
        except JOSEError as exc:
            raise InvalidToken(_reason(exc)) from None
        except (ValueError, TypeError, KeyError, OverflowError):  # e.g. "exp": Infinity
            raise InvalidToken("malformed token") from None
        if claims.get("typ") != ACCESS:
            raise InvalidToken("not an access token")
        sub = claims.get("sub")
        # ASCII digits within the id column's range: str.isdigit() alone lets "١٢" through, and
        # a huge number would make PostgreSQL refuse the lookup (a 500, not a 401).
        if not isinstance(sub, str) or not (sub.isascii() and sub.isdigit()) or len(sub) > 18:
            raise InvalidToken("bad subject")
        if int(sub) > MAX_ACCOUNT_ID:
            raise InvalidToken("bad subject")
        iat = _checked_iat(claims)
        # A correctly signed token still may not claim a longer life than we ever issue (a
        # leaked signing key or a bug elsewhere must not mint tokens valid for years).
        if int(claims["exp"]) - iat > self.settings.access_seconds + LIFETIME_LEEWAY_SECONDS:
            raise InvalidToken("token lifetime too long")
        sid = claims.get("sid")
        if not isinstance(sid, str) or not 1 <= len(sid) <= 64 or not sid.isalnum():
            raise InvalidToken("bad session")
        return Token(
            sub=sub,
            exp=int(claims["exp"]),
            iat=iat,
            aud=str(claims["aud"]),
            iss=str(claims["iss"]),
            jti=str(claims["jti"]),
            sid=sid,
            typ=ACCESS,
        )

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """Public keys for RS256 verifiers elsewhere; empty for HS256 (the secret is private)."""
        keys = []
        for key in self._rsa.values():
            data = jwk.construct(key.public_pem, algorithm="RS256").to_dict()
            data.update({"kid": key.kid, "use": "sig", "alg": "RS256"})
            keys.append(data)
        return {"keys": keys}


def _checked_iat(claims: dict[str, Any]) -> int:
    iat = claims.get("iat")
    if (
        not isinstance(iat, int)
        or isinstance(iat, bool)
        or iat > int(dt.datetime.now(dt.UTC).timestamp()) + 60
    ):
        raise InvalidToken("issued in the future")
    return iat


def _reason(exc: JOSEError) -> str:
    name = type(exc).__name__
    if name == "ExpiredSignatureError":
        return "token expired"
    if name == "JWTClaimsError":
        return "token claims rejected"
    return "token rejected"
