"""Where Klynge's own files are, in a source checkout and in an installed wheel alike."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# platform/klynge/ -> the checkout's root (only meaningful when running from a checkout).
CHECKOUT_ROOT = PACKAGE_DIR.parents[1]
# The wheel carries the top-level migrations/<app>/ folders here (pyproject.toml force-include).
PACKAGED_MIGRATIONS = PACKAGE_DIR / "_migrations"


def installed() -> bool:
    """True when running from a built wheel rather than a checkout (or an editable install)."""
    return PACKAGED_MIGRATIONS.is_dir()


def migrations_folder(app_name: str) -> str:
    """The folder of `app_name`'s Piccolo migrations (AppConfig.migrations_folder_path)."""
    base = PACKAGED_MIGRATIONS if installed() else CHECKOUT_ROOT / "migrations"
    return str(base / app_name)


def base_dir() -> Path:
    """The folder that `var/` and relative paths in the configuration hang off: the checkout's
    root in a checkout, the working directory when installed (site-packages is no place for data).
    """
    return Path.cwd() if installed() else CHECKOUT_ROOT
