"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()
# Verified against when the account does not exist, so both paths take the same time.
_DUMMY_HASH = _HASHER.hash("klynge-timing-equaliser")

MIN_LENGTH = 10


class WeakPassword(ValueError):
    pass


def check_strength(password: str, *, email: str = "") -> None:
    """Refuse passwords that are too short or equal to the e-mail (message in bokmål)."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Passordet må ha minst {MIN_LENGTH} tegn.")
    if email and password.casefold() == email.casefold():
        raise WeakPassword("Passordet kan ikke være det samme som e-postadressen.")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
