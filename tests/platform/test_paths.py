"""klynge.paths: the migrations and var/ are found in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

import pytest

from klynge import paths

REPO = Path(__file__).resolve().parents[2]


def test_checkout_uses_the_top_level_migrations() -> None:
    assert not paths.installed()
    assert paths.migrations_folder("priorities") == str(REPO / "migrations" / "priorities")
    assert paths.base_dir() == REPO


def test_installed_uses_the_packaged_migrations_and_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packaged = tmp_path / "klynge" / "_migrations"
    (packaged / "platform").mkdir(parents=True)
    monkeypatch.setattr(paths, "PACKAGED_MIGRATIONS", packaged)
    monkeypatch.chdir(tmp_path)
    assert paths.installed()
    assert paths.migrations_folder("platform") == str(packaged / "platform")
    assert paths.base_dir() == tmp_path


def test_every_app_config_points_at_its_folder() -> None:
    from piccolo.conf.apps import Finder

    for config in Finder().get_app_configs():
        folder = Path(config.resolved_migrations_folder_path)
        assert folder == REPO / "migrations" / config.app_name
        assert any(folder.glob(f"{config.app_name}_*.py"))
