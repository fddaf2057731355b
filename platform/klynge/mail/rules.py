"""Pure rules of notification e-mail: preferences, the retry schedule, the unsubscribe token.
No Piccolo, no Litestar."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

from klynge.i18n import N_

IMMEDIATE, DAILY, OFF = "immediate", "daily", "off"
FREQUENCIES: dict[str, str] = {
    IMMEDIATE: N_("Immediately, one e-mail per notification"),
    DAILY: N_("A daily summary"),
    OFF: N_("No e-mail"),
}

QUEUED, SENT, KEPT, FAILED = "queued", "sent", "kept", "failed"
STATUS_LABELS: dict[str, str] = {
    QUEUED: N_("Queued"),
    SENT: N_("Sent"),
    KEPT: N_("Kept (no mail server)"),
    FAILED: N_("Failed"),
}

# Minutes to wait after the n-th failed attempt; after the last one the mail has failed.
BACKOFF_MINUTES = (5, 15, 60, 240, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
BATCH = 50  # mails per query of the sender
MAX_BATCHES_PER_RUN = 40  # one run sends at most 2,000; the rest in the next run


def is_frequency(value: str) -> bool:
    return value in FREQUENCIES


def next_attempt(attempts: int, now: dt.datetime) -> dt.datetime | None:
    """When to try again after `attempts` tries; None = give up (the mail has failed)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + dt.timedelta(minutes=BACKOFF_MINUTES[max(0, attempts - 1)])


def is_permanent(code: int | None) -> bool:
    """An SMTP 5xx answer will not change on a retry; 4xx and no answer at all may."""
    return code is not None and 500 <= code < 600


def clean_error(message: str, secrets: tuple[str | None, ...] = ()) -> str:
    """The error to store: one line, short, without any secret that might have slipped in."""
    text = " ".join(message.split())
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text[:500]


_PURPOSE = b"klynge-mail-unsubscribe:"


def _signature(secret: str, account_id: int) -> str:
    digest = hmac.new(secret.encode(), _PURPOSE + str(account_id).encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def unsubscribe_token(secret: str, account_id: int) -> str:
    """A token for the unsubscribe link: the account id with an HMAC over it (no expiry: the
    link in an old mail must still work, and it can only ever turn mail off)."""
    return f"{account_id}.{_signature(secret, account_id)}"


def read_unsubscribe_token(secret: str, token: str) -> int | None:
    """The account id of a genuine token, else None."""
    raw_id, _, signature = token.strip().partition(".")
    if not raw_id.isdigit() or len(raw_id) > 12 or not signature:
        return None
    account_id = int(raw_id)
    if not hmac.compare_digest(signature, _signature(secret, account_id)):
        return None
    return account_id


def absolute(public_url: str, link: str) -> str:
    """A link back to Klynge, absolute (a mail has no base address); only paths on this site."""
    if not link.startswith("/") or link.startswith("//"):
        link = "/"
    return public_url.rstrip("/") + link
