"""Mail settings from KLYNGE_SMTP_URL and KLYNGE_MAIL_FROM (klynge.settings reads them; a bad
value is a one-line ConfigError there). Imports nothing from klynge."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

DEFAULT_MAIL_FROM = "Klynge <noreply@klynge.localhost>"


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Outgoing e-mail. No host = mails are kept in the outbox, never sent."""

    host: str | None = None
    port: int = 25
    implicit_tls: bool = False  # smtps://: TLS from the first byte (else STARTTLS if offered)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = DEFAULT_MAIL_FROM

    @property
    def enabled(self) -> bool:
        return self.host is not None


def _redacted(url: str) -> str:
    """The URL for a message, without user or password."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else "(not a URL)"


def parse_smtp_url(url: str | None, sender: str = DEFAULT_MAIL_FROM) -> MailSettings:
    """smtp://[user:pw@]host[:port] (STARTTLS if offered) or smtps://[user:pw@]host[:port]
    (implicit TLS, port 465 by default); user and password are URL-decoded. ValueError with a
    one-line reason (never the password) for anything else."""
    url = (url or "").strip()
    if not url:
        return MailSettings(sender=sender)
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(
            f"KLYNGE_SMTP_URL must start with smtp:// or smtps://, got {_redacted(url)}"
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"KLYNGE_SMTP_URL has an invalid port: {_redacted(url)}") from None
    if not parts.hostname:
        raise ValueError(f"KLYNGE_SMTP_URL has no host: {_redacted(url)}")
    if parts.path.strip("/") or parts.query:
        raise ValueError(f"KLYNGE_SMTP_URL takes no path or query: {_redacted(url)}")
    implicit = parts.scheme == "smtps"
    return MailSettings(
        host=parts.hostname,
        port=port or (465 if implicit else 25),
        implicit_tls=implicit,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        sender=sender,
    )


def parse_mail(smtp_url: str, mail_from: str) -> MailSettings:
    sender = mail_from.strip() or DEFAULT_MAIL_FROM
    if "@" not in sender or any(c in sender for c in "\r\n"):
        raise ValueError(f"KLYNGE_MAIL_FROM must be an e-mail address, got {sender!r}")
    return parse_smtp_url(smtp_url, sender)
