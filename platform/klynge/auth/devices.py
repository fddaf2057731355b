"""Known devices: a signed cookie given to a browser after it logged in to an account.

The cookie holds a random device id and an HMAC over it and the account's e-mail, so it proves
"this browser logged in to this account before" without naming the account or needing a row.
The login throttle then counts that device on its own (see klynge.auth.throttle).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

DEVICE_COOKIE = "klynge_device"
DEVICE_COOKIE_SECONDS = 180 * 24 * 3600


def _mac(device_id: str, email: str, secret: str) -> str:
    message = f"klynge-device:{device_id}:{email.strip().casefold()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def issue(email: str, secret: str) -> str:
    device_id = secrets.token_hex(16)
    return f"{device_id}.{_mac(device_id, email, secret)}"


def known_device(cookie: str | None, email: str, secret: str) -> str | None:
    """The device id when the cookie was issued by us for this e-mail; otherwise None."""
    if not cookie or cookie.count(".") != 1:
        return None
    device_id, mac = cookie.split(".")
    if len(device_id) != 32 or not hmac.compare_digest(mac, _mac(device_id, email, secret)):
        return None
    return device_id
