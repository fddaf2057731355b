"""All configuration, read from environment variables once and validated at start.

Every variable is listed in ENV_DOCS (the README's configuration table is generated from it).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from klynge.mail.config import MailSettings, parse_mail
from klynge.paths import CHECKOUT_ROOT, base_dir

# The source checkout (for development tools such as the message extractor's babel.cfg).
# Runtime paths (var/, relative SQLite paths) hang off base_dir(), which also works installed.
REPO_ROOT = CHECKOUT_ROOT

ENV_DOCS: dict[str, str] = {
    "DATABASE_URL": "`sqlite:///path/to/file.sqlite` or `postgresql://user:pw@host:5432/db`. "
    "Default: SQLite file `var/klynge.sqlite` (in the checkout; in the working directory when "
    "installed from the wheel, which relative paths also start from).",
    "REDIS_URL": "`redis://host:6379/0`. When set, jobs go to arq workers (`klynge worker`); "
    "when unset they run in-process.",
    "KLYNGE_SCHEDULER": "`1` (default) = without `REDIS_URL`, the app process runs the apps' "
    "scheduled jobs itself (with `REDIS_URL` the arq workers do); `0` = it does not (tests; a "
    "deployment that runs several app processes may keep it on in one only).",
    "KLYNGE_JOB_QUEUE": "Name of the arq queue on Redis (app and workers must agree). "
    "Default `klynge:jobs`.",
    "KLYNGE_SECRET_KEY": "Signing secret for HS256 tokens and CSRF (at least 32 characters). "
    "Required unless `KLYNGE_DEMO=1`.",
    "KLYNGE_DEMO": "`1` = demo mode: a generated secret key is allowed (tokens do not survive a "
    "restart). Set by `make run`.",
    "KLYNGE_JWT_ALGORITHM": "`HS256` (default) or `RS256`.",
    "KLYNGE_JWT_KEYS_DIR": "RS256 only: folder of PEM private keys, one per key id "
    "(`<kid>.pem`). Every key verifies; the active one signs. Keep retired keys until their "
    "tokens have expired.",
    "KLYNGE_JWT_ACTIVE_KID": "RS256 only: the key id that signs new tokens.",
    "KLYNGE_JWT_ISSUER": "`iss` claim. Default `klynge`.",
    "KLYNGE_JWT_AUDIENCE": "`aud` claim. Default `klynge-api`.",
    "KLYNGE_ACCESS_TOKEN_SECONDS": "Access token lifetime. Default 900 (15 min).",
    "KLYNGE_REFRESH_TOKEN_SECONDS": "Refresh token lifetime. Default 1209600 (14 days).",
    "KLYNGE_PUBLIC_URL": "The address users reach Klynge at, e.g. `https://klynge.kommune.no`. "
    "An https address makes every cookie Secure. Default `http://127.0.0.1:8000`.",
    "KLYNGE_DB_POOL_SIZE": "PostgreSQL connections per app process (0 = no pool, a connection "
    "per query). Default 10.",
    "KLYNGE_HOST": "Bind address for `klynge run`. Default `127.0.0.1`.",
    "KLYNGE_PORT": "Port for `klynge run`. Default 8000.",
    "KLYNGE_WEB_CONCURRENCY": "Number of app processes `klynge run` starts. Default 1.",
    "KLYNGE_TRUSTED_PROXY_HOPS": "Number of reverse proxies you control in front of Klynge. "
    "The client address is the N-th entry from the right of `X-Forwarded-For` (entries further "
    "left are written by the client and never trusted); `X-Forwarded-Proto` is read only when "
    "N > 0. Default 0 = ignore both headers and use the peer address.",
    "KLYNGE_TRUST_PROXY_HEADERS": "Deprecated: `1` = `KLYNGE_TRUSTED_PROXY_HOPS=1` (used only "
    "when `KLYNGE_TRUSTED_PROXY_HOPS` is not set). Default 0.",
    "KLYNGE_MAX_UPLOAD_BYTES": "Largest accepted upload. Default 20971520 (20 MiB).",
    "KLYNGE_FILES_DIR": "Folder of the file store (project documents). Relative paths start "
    "from the checkout (or the working directory when installed). Default `var/files`.",
    "KLYNGE_MAX_UPLOAD_MB": "Largest stored document, in MB (the file store). Default 20.",
    "KLYNGE_LOGIN_SLOWDOWN_AFTER": "Failed logins per account and address (or per known "
    "device) before each further failure makes that pair wait 1, 2, 4 … seconds. Default 5.",
    "KLYNGE_LOGIN_LOCK_AFTER": "Per-address ceiling: an address is locked for "
    "`KLYNGE_LOGIN_LOCK_SECONDS` after 4× this many failed logins over all accounts (devices "
    "that logged in to the account before are exempt). No account is ever locked as such. "
    "Default 10 (40 per address).",
    "KLYNGE_LOGIN_LOCK_SECONDS": "How long an address stays locked, and the window failures "
    "are counted in. Default 900.",
    "KLYNGE_LOGIN_MAX_DELAY_SECONDS": "Longest wait between attempts for one account from one "
    "address (or one known device). Default 300.",
    "KLYNGE_LOG_LEVEL": "`DEBUG`, `INFO` (default), `WARNING`, `ERROR`.",
    "KLYNGE_SMTP_URL": "Mail server for notification e-mail: `smtp://host:25` (STARTTLS when "
    "the server offers it) or `smtps://user:pw@host:465` (TLS from the start); user and "
    "password URL-encoded. Unset = mails are kept in the outbox (`/admin/utboks`), not sent.",
    "KLYNGE_MAIL_FROM": "Sender of notification e-mail. "
    "Default `Klynge <noreply@klynge.localhost>`.",
}


__all__ = ["MailSettings"]  # the mail settings live with the mail code (klynge.mail.config)


class ConfigError(Exception):
    """Bad configuration: the CLI prints the message on one line and exits."""


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    url: str
    engine: str  # "sqlite" | "postgres"
    sqlite_path: Path | None = None


@dataclass(frozen=True, slots=True)
class TokenSettings:
    algorithm: str
    secret_key: str
    keys_dir: Path | None
    active_kid: str | None
    issuer: str
    audience: str
    access_seconds: int
    refresh_seconds: int


@dataclass(frozen=True, slots=True)
class ThrottleSettings:
    slowdown_after: int
    lock_after: int
    lock_seconds: int
    max_delay_seconds: float
    address_factor: int = 4  # many users share one municipal NAT address


@dataclass(frozen=True, slots=True)
class FileSettings:
    """The file store (klynge.files): where files live and the largest one it keeps."""

    root: Path
    max_bytes: int


def _default_files() -> FileSettings:
    return FileSettings(root=base_dir() / "var" / "files", max_bytes=20 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Settings:
    database: DatabaseSettings
    redis_url: str | None
    tokens: TokenSettings
    throttle: ThrottleSettings
    demo: bool
    host: str
    port: int
    web_concurrency: int
    trusted_proxy_hops: int
    max_upload_bytes: int
    log_level: str
    public_url: str = "http://127.0.0.1:8000"
    db_pool_size: int = 10
    generated_secret: bool = field(default=False)
    scheduler: bool = True  # embedded mode: run the apps' cron jobs in-process
    files: FileSettings = field(default_factory=_default_files)
    mail: MailSettings = field(default_factory=MailSettings)


def _int(
    env: dict[str, str], name: str, default: int, minimum: int = 0, maximum: int | None = None
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, got {value}")
    return value


def _bool(env: dict[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be 1 or 0, got {raw!r}")


def _redact(url: str) -> str:
    """The URL for an error message, without its password (messages end up in logs)."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password:
        return url.replace(f":{password}@", ":***@", 1)
    return url


def parse_database_url(url: str | None) -> DatabaseSettings:
    """SQLite file by default; PostgreSQL for postgres(ql):// URLs. Anything else is refused."""
    if not url:
        path = base_dir() / "var" / "klynge.sqlite"
        return DatabaseSettings(url=f"sqlite:///{path}", engine="sqlite", sqlite_path=path)
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw_path = url[len("sqlite://") :]
        if raw_path.startswith("/"):
            raw_path = raw_path[1:] if raw_path.startswith("//") else raw_path
        # "sqlite:///:memory:" must not become a file named ":memory:" in the root folder.
        if raw_path.lstrip("/") in ("", ":memory:"):
            raise ConfigError(
                "DATABASE_URL: SQLite needs a file path, e.g. sqlite:///var/klynge.sqlite"
            )
        path = Path(raw_path)
        if not path.is_absolute():
            path = base_dir() / path
        return DatabaseSettings(url=url, engine="sqlite", sqlite_path=path)
    if parts.scheme in ("postgres", "postgresql", "postgresql+asyncpg"):
        try:
            _ = parts.port
        except ValueError:
            raise ConfigError(f"DATABASE_URL has an invalid port: {_redact(url)!r}") from None
        if not parts.hostname and "host=" not in parts.query:
            raise ConfigError("DATABASE_URL: PostgreSQL URL has no host")
        if not parts.path.strip("/"):
            raise ConfigError("DATABASE_URL: PostgreSQL URL has no database name")
        clean = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        return DatabaseSettings(url=clean, engine="postgres")
    raise ConfigError(
        "DATABASE_URL must start with sqlite:// or postgresql://, "
        f"got {parts.scheme or _redact(url)!r}"
    )


def _redis_url(env: dict[str, str]) -> str | None:
    url = env.get("REDIS_URL", "").strip() or None
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ConfigError(f"REDIS_URL must look like redis://host:6379/0, got {_redact(url)!r}")
    try:
        _ = parts.port
    except ValueError:
        raise ConfigError(f"REDIS_URL has an invalid port: {_redact(url)!r}") from None
    return url


def _demo_secret() -> str:
    """Demo mode only: one generated secret in var/, shared by every local app process (so a
    token minted by one process is accepted by the others) and surviving restarts."""
    path = base_dir() / "var" / ".demo-secret"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        value = path.read_text().strip()
        if len(value) >= 32:
            return value
    except (FileExistsError, OSError):
        pass
    return secrets.token_urlsafe(48)


def _tokens(env: dict[str, str], demo: bool, require_secret: bool) -> tuple[TokenSettings, bool]:
    algorithm = env.get("KLYNGE_JWT_ALGORITHM", "HS256").strip().upper() or "HS256"
    if algorithm not in ("HS256", "RS256"):
        raise ConfigError(f"KLYNGE_JWT_ALGORITHM must be HS256 or RS256, got {algorithm!r}")
    secret = env.get("KLYNGE_SECRET_KEY", "")
    generated = False
    if not secret:
        if not demo and require_secret:
            raise ConfigError(
                "KLYNGE_SECRET_KEY is not set (needed outside demo mode; "
                "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        secret = _demo_secret()
        generated = True
    elif len(secret) < 32:
        raise ConfigError("KLYNGE_SECRET_KEY must be at least 32 characters")
    keys_dir: Path | None = None
    active_kid: str | None = None
    if algorithm == "RS256":
        raw_dir = env.get("KLYNGE_JWT_KEYS_DIR", "").strip()
        if not raw_dir:
            raise ConfigError("KLYNGE_JWT_ALGORITHM=RS256 needs KLYNGE_JWT_KEYS_DIR")
        keys_dir = Path(raw_dir)
        if not keys_dir.is_dir():
            raise ConfigError(f"KLYNGE_JWT_KEYS_DIR is not a folder: {raw_dir}")
        active_kid = env.get("KLYNGE_JWT_ACTIVE_KID", "").strip() or None
        if active_kid is None:
            raise ConfigError("KLYNGE_JWT_ALGORITHM=RS256 needs KLYNGE_JWT_ACTIVE_KID")
        if not (keys_dir / f"{active_kid}.pem").is_file():
            raise ConfigError(f"KLYNGE_JWT_ACTIVE_KID: no key file {active_kid}.pem in {keys_dir}")
    settings = TokenSettings(
        algorithm=algorithm,
        secret_key=secret,
        keys_dir=keys_dir,
        active_kid=active_kid,
        issuer=env.get("KLYNGE_JWT_ISSUER", "klynge").strip() or "klynge",
        audience=env.get("KLYNGE_JWT_AUDIENCE", "klynge-api").strip() or "klynge-api",
        access_seconds=_int(env, "KLYNGE_ACCESS_TOKEN_SECONDS", 900, minimum=30),
        refresh_seconds=_int(env, "KLYNGE_REFRESH_TOKEN_SECONDS", 14 * 24 * 3600, minimum=60),
    )
    return settings, generated


def _proxy_hops(env: dict[str, str]) -> int:
    legacy = 1 if _bool(env, "KLYNGE_TRUST_PROXY_HEADERS") else 0
    return _int(env, "KLYNGE_TRUSTED_PROXY_HOPS", legacy, minimum=0, maximum=10)


def _public_url(env: dict[str, str]) -> str:
    url = env.get("KLYNGE_PUBLIC_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"KLYNGE_PUBLIC_URL must be an http(s) address, got {url!r}")
    return url


def _files(env: dict[str, str]) -> FileSettings:
    raw = env.get("KLYNGE_FILES_DIR", "").strip()
    root = Path(raw).expanduser() if raw else Path("var") / "files"
    if not root.is_absolute():
        root = base_dir() / root
    megabytes = _int(env, "KLYNGE_MAX_UPLOAD_MB", 20, minimum=1, maximum=1024)
    return FileSettings(root=root, max_bytes=megabytes * 1024 * 1024)


def _mail(env: dict[str, str]) -> MailSettings:
    try:
        return parse_mail(env.get("KLYNGE_SMTP_URL", ""), env.get("KLYNGE_MAIL_FROM", ""))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def load_settings(
    environ: dict[str, str] | None = None, *, require_secret: bool = True
) -> Settings:
    """Build Settings from the environment; raise ConfigError with a one-line reason.

    Commands that never sign anything (migrate, demo, create-user) pass require_secret=False.
    """
    env = dict(os.environ if environ is None else environ)
    demo = _bool(env, "KLYNGE_DEMO")
    tokens, generated = _tokens(env, demo, require_secret)
    log_level = env.get("KLYNGE_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"KLYNGE_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR: {log_level!r}")
    slowdown = _int(env, "KLYNGE_LOGIN_SLOWDOWN_AFTER", 5, minimum=1)
    lock_after = _int(env, "KLYNGE_LOGIN_LOCK_AFTER", 10, minimum=1)
    if lock_after < slowdown:
        raise ConfigError("KLYNGE_LOGIN_LOCK_AFTER must not be below KLYNGE_LOGIN_SLOWDOWN_AFTER")
    try:
        max_delay = float(env.get("KLYNGE_LOGIN_MAX_DELAY_SECONDS", "300") or "300")
    except ValueError:
        raise ConfigError("KLYNGE_LOGIN_MAX_DELAY_SECONDS must be a number") from None
    return Settings(
        database=parse_database_url(env.get("DATABASE_URL", "").strip() or None),
        redis_url=_redis_url(env),
        tokens=tokens,
        throttle=ThrottleSettings(
            slowdown_after=slowdown,
            lock_after=lock_after,
            lock_seconds=_int(env, "KLYNGE_LOGIN_LOCK_SECONDS", 900, minimum=1),
            max_delay_seconds=max(0.0, max_delay),
        ),
        demo=demo,
        host=env.get("KLYNGE_HOST", "127.0.0.1").strip() or "127.0.0.1",
        port=_int(env, "KLYNGE_PORT", 8000, minimum=1, maximum=65535),
        web_concurrency=_int(env, "KLYNGE_WEB_CONCURRENCY", 1, minimum=1),
        trusted_proxy_hops=_proxy_hops(env),
        max_upload_bytes=_int(env, "KLYNGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024),
        log_level=log_level,
        public_url=_public_url(env),
        db_pool_size=_int(env, "KLYNGE_DB_POOL_SIZE", 10, minimum=0),
        generated_secret=generated,
        scheduler=_bool(env, "KLYNGE_SCHEDULER")
        if env.get("KLYNGE_SCHEDULER", "").strip()
        else True,
        files=_files(env),
        mail=_mail(env),
    )


@cache
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return load_settings()
