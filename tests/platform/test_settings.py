"""Configuration: every mistake is a ConfigError with one readable line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from klynge.settings import ConfigError, load_settings, parse_database_url
from tests.conftest import TEST_SECRET

REPO = Path(__file__).resolve().parents[2]
KLYNGE = REPO / ".venv" / "bin" / "klynge"


def env(**values: str) -> dict[str, str]:
    base = {"KLYNGE_SECRET_KEY": TEST_SECRET, "DATABASE_URL": "sqlite:////tmp/klynge-x.sqlite"}
    base.update(values)
    return base


def refused(**values: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_settings(env(**values))
    message = str(info.value)
    assert message
    assert "\n" not in message
    assert len(message) < 300
    return message


@pytest.mark.parametrize(
    "url",
    [
        "mysql://user@localhost/klynge",
        "mysql+pymysql://x",
        "postgresql://host:notaport/db",
        "postgresql://localhost:99999/db",
        "postgresql:///nodb-without-host",
        "postgresql://localhost",
        "postgresql://localhost/",
        "sqlite:///:memory:",
        "sqlite://:memory:",
        "sqlite://",
        "sqlite:",
        "localhost:5432/klynge",
        "http://example.com/db",
    ],
)
def test_malformed_database_url(url: str) -> None:
    message = refused(DATABASE_URL=url)
    assert "DATABASE_URL" in message


def test_database_url_errors_never_show_the_password() -> None:
    for url in (
        "postgresql://klynge:hemmelig-passord@db:notaport/klynge",
        "mysql://klynge:hemmelig-passord@db/klynge",
    ):
        message = refused(DATABASE_URL=url)
        assert "hemmelig-passord" not in message, message


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgresql://postgres@127.0.0.1:5432/klynge", "postgres"),
        ("postgres://u:p@db.example.no/klynge", "postgres"),
        ("postgresql+asyncpg://u@db/klynge", "postgres"),
        ("sqlite:////tmp/klynge.sqlite", "sqlite"),
        ("sqlite:///var/klynge.sqlite", "sqlite"),
    ],
)
def test_good_database_urls(url: str, engine: str) -> None:
    database = parse_database_url(url)
    assert database.engine == engine
    if engine == "postgres":
        assert database.url.startswith(("postgresql://", "postgres://"))
    else:
        assert database.sqlite_path is not None
        assert database.sqlite_path.is_absolute()


def test_default_database_is_a_sqlite_file_in_var() -> None:
    settings = load_settings({"KLYNGE_SECRET_KEY": TEST_SECRET})
    assert settings.database.engine == "sqlite"
    assert settings.database.sqlite_path == REPO / "var" / "klynge.sqlite"


def test_missing_secret_outside_demo_mode() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({"DATABASE_URL": "sqlite:////tmp/x.sqlite"})
    assert "KLYNGE_SECRET_KEY" in str(info.value)
    assert "\n" not in str(info.value)
    with pytest.raises(ConfigError):
        load_settings({"KLYNGE_SECRET_KEY": "", "KLYNGE_DEMO": "0"})


@pytest.mark.parametrize("secret", ["short", "x" * 31])
def test_short_secret(secret: str) -> None:
    message = refused(KLYNGE_SECRET_KEY=secret)
    assert "KLYNGE_SECRET_KEY" in message
    assert secret not in message or len(secret) < 8


def test_demo_mode_generates_a_secret() -> None:
    marker = REPO / "var" / ".demo-secret"
    existed = marker.exists()
    try:
        settings = load_settings({"KLYNGE_DEMO": "1", "DATABASE_URL": "sqlite:////tmp/x.sqlite"})
        assert settings.demo
        assert settings.generated_secret
        assert len(settings.tokens.secret_key) >= 32
        # A given secret is used as is, even in demo mode.
        given = load_settings({"KLYNGE_DEMO": "1", "KLYNGE_SECRET_KEY": TEST_SECRET})
        assert given.tokens.secret_key == TEST_SECRET
        assert not given.generated_secret
    finally:
        if not existed:
            marker.unlink(missing_ok=True)


def test_rs256_needs_keys_dir_and_kid(tmp_path: Path) -> None:
    assert "KLYNGE_JWT_KEYS_DIR" in refused(KLYNGE_JWT_ALGORITHM="RS256")
    assert "KLYNGE_JWT_KEYS_DIR" in refused(
        KLYNGE_JWT_ALGORITHM="RS256", KLYNGE_JWT_KEYS_DIR=str(tmp_path / "missing")
    )
    assert "KLYNGE_JWT_ACTIVE_KID" in refused(
        KLYNGE_JWT_ALGORITHM="RS256", KLYNGE_JWT_KEYS_DIR=str(tmp_path)
    )
    assert "KLYNGE_JWT_ACTIVE_KID" in refused(
        KLYNGE_JWT_ALGORITHM="RS256", KLYNGE_JWT_KEYS_DIR=str(tmp_path), KLYNGE_JWT_ACTIVE_KID="k1"
    )
    assert "KLYNGE_JWT_ALGORITHM" in refused(KLYNGE_JWT_ALGORITHM="none")
    assert "KLYNGE_JWT_ALGORITHM" in refused(KLYNGE_JWT_ALGORITHM="HS512")


def test_rs256_with_keys(tmp_path: Path) -> None:
    from tests.platform.test_tokens import write_rsa_key

    write_rsa_key(tmp_path, "k1")
    settings = load_settings(
        env(
            KLYNGE_JWT_ALGORITHM="rs256",
            KLYNGE_JWT_KEYS_DIR=str(tmp_path),
            KLYNGE_JWT_ACTIVE_KID="k1",
        )
    )
    assert settings.tokens.algorithm == "RS256"
    assert settings.tokens.active_kid == "k1"


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:6379/0",
        "localhost:6379",
        "redis://",
        "redis://localhost:port/0",
        "redis://:hemmelig-passord@localhost:notaport/0",
    ],
)
def test_bad_redis_url(url: str) -> None:
    message = refused(REDIS_URL=url)
    assert "REDIS_URL" in message
    assert "hemmelig-passord" not in message


def test_good_redis_url() -> None:
    assert load_settings(env(REDIS_URL="redis://127.0.0.1:6379/0")).redis_url == (
        "redis://127.0.0.1:6379/0"
    )
    assert load_settings(env(REDIS_URL=" ")).redis_url is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KLYNGE_PORT", "abc"),
        ("KLYNGE_PORT", "0"),
        ("KLYNGE_PORT", "70000"),
        ("KLYNGE_PORT", "80.5"),
        ("KLYNGE_WEB_CONCURRENCY", "0"),
        ("KLYNGE_ACCESS_TOKEN_SECONDS", "5"),
        ("KLYNGE_ACCESS_TOKEN_SECONDS", "ten"),
        ("KLYNGE_REFRESH_TOKEN_SECONDS", "-1"),
        ("KLYNGE_MAX_UPLOAD_BYTES", "1e6"),
        ("KLYNGE_MAX_UPLOAD_BYTES", "10"),
        ("KLYNGE_LOGIN_LOCK_AFTER", "x"),
        ("KLYNGE_LOGIN_LOCK_SECONDS", "0"),
        ("KLYNGE_LOGIN_SLOWDOWN_AFTER", "0"),
        ("KLYNGE_DB_POOL_SIZE", "-3"),
        ("KLYNGE_LOGIN_MAX_DELAY_SECONDS", "lang"),
    ],
)
def test_bad_numbers(name: str, value: str) -> None:
    assert name in refused(**{name: value})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KLYNGE_DEMO", "maybe"),
        ("KLYNGE_TRUST_PROXY_HEADERS", "2"),
        ("KLYNGE_LOG_LEVEL", "LOUD"),
        ("KLYNGE_PUBLIC_URL", "ftp://klynge.no"),
        ("KLYNGE_PUBLIC_URL", "klynge.no"),
    ],
)
def test_bad_flags_and_words(name: str, value: str) -> None:
    assert name in refused(**{name: value})


def test_lock_below_slowdown_is_refused() -> None:
    message = refused(KLYNGE_LOGIN_SLOWDOWN_AFTER="5", KLYNGE_LOGIN_LOCK_AFTER="3")
    assert "KLYNGE_LOGIN_LOCK_AFTER" in message


def test_defaults() -> None:
    settings = load_settings(env())
    assert settings.tokens.algorithm == "HS256"
    assert settings.tokens.access_seconds == 900
    assert settings.throttle.lock_after == 10
    assert settings.throttle.address_factor == 4
    assert settings.redis_url is None
    assert not settings.demo
    assert settings.public_url == "http://127.0.0.1:8000"


def test_https_public_url_means_secure_cookies() -> None:
    from klynge.app import create_app

    app = create_app(load_settings(env(KLYNGE_PUBLIC_URL="https://klynge.kommune.no/")))
    assert app.csrf_config is not None
    assert app.csrf_config.cookie_secure
    assert app.state.settings.public_url == "https://klynge.kommune.no"


# --- the command line ------------------------------------------------------------------------


def run_cli(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("KLYNGE_", "PICCOLO"))}
    environ.pop("DATABASE_URL", None)
    environ.pop("REDIS_URL", None)
    environ.update(extra)
    return subprocess.run(
        [str(KLYNGE), *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )


@pytest.mark.parametrize(
    ("variables", "mention"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://u:hemmelig-passord@h:nope/db"}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:///:memory:"}, "DATABASE_URL"),
        ({"KLYNGE_PORT": "abc", "DATABASE_URL": "sqlite:////tmp/x.sqlite"}, "KLYNGE_PORT"),
    ],
)
def test_cli_prints_one_line_and_exits_non_zero(variables: dict[str, str], mention: str) -> None:
    assert KLYNGE.exists(), "the klynge console script is not installed in .venv"
    result = run_cli("migrate", **variables)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("klynge: "), result.stderr
    assert mention in lines[0]
    assert "Traceback" not in result.stderr
    assert "hemmelig-passord" not in result.stderr + result.stdout


def test_cli_routes_lists_no_unprotected_route() -> None:
    result = run_cli(
        "routes", KLYNGE_SECRET_KEY=TEST_SECRET, DATABASE_URL="sqlite:////tmp/r.sqlite"
    )
    assert result.returncode == 0, result.stderr
    assert "/api/clusters" in result.stdout
    assert "NONE" not in result.stdout


def test_cli_module_runs_without_the_console_script() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "klynge.cli", "migrate"],
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DATABASE_URL": "mysql://x",
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().startswith("klynge: ")
    assert "Traceback" not in result.stderr
