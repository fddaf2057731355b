"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from klynge.i18n import N_

_HASHER = PasswordHasher()
# Verified against when the account does not exist, so both paths take the same time.
_DUMMY_HASH = _HASHER.hash("klynge-timing-equaliser")

MIN_LENGTH = 10


class WeakPassword(ValueError):
    """`message` is an English msgid (N_) with the placeholders of `params`."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def check_strength(password: str, *, email: str = "") -> None:
    """Refuse passwords that are too short or equal to the e-mail."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            N_("The password must have at least %(min)s characters."), min=MIN_LENGTH
        )
    if email and password.casefold() == email.casefold():
        raise WeakPassword(N_("The password cannot be the same as the e-mail address."))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
