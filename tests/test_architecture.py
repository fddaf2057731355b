"""The architecture's rules hold: the import-linter contracts in pyproject.toml are kept, the
core imports no app, and every app is declared and found through the entry point."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("priorities", "literature", "projects")


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "BROKEN" not in result.stdout
    assert "KEPT" in result.stdout


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module in APPS:  # `from priorities import api`: the module is priorities.api
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return found


def test_the_core_imports_no_app_anywhere() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "platform" / "klynge").rglob("*.py")
        for module in _imported_modules(path)
        if module.split(".")[0] in APPS
    ]
    assert offenders == []


def test_apps_are_found_through_the_entry_point_group() -> None:
    from klynge.apps import installed

    apps = installed()
    assert [a.name for a in apps] == list(APPS)
    for app in apps:
        assert app.piccolo_app == f"{app.name}.piccolo_app"
        assert app.template_dir.is_dir()
        assert app.locale_dir.is_dir()
        assert app.route_handlers(), app.name


def test_apps_meet_only_through_their_public_interface() -> None:
    """Besides the contracts: no app module names another app's module other than its api."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for module in _imported_modules(path):
                top, _, rest = module.partition(".")
                if top in APPS and top != app and rest != "api":
                    offenders.append(f"{path.relative_to(ROOT)}: {module}")
    assert offenders == []


def test_no_module_imports_itself_through_a_cycle() -> None:
    """No import cycle between modules anywhere (db <-> piccolo_conf, priorities <->
    literature were the last ones). Imports only for type checking (a table's ForeignKey type,
    a helper module naming its caller's class) do not run and are left out."""
    import grimp

    graph = grimp.build_graph("klynge", *APPS, exclude_type_checking_imports=True, cache_dir=None)
    cycles = [
        sorted(chain)
        for module in sorted(graph.modules)
        for other in graph.find_modules_directly_imported_by(module)
        if (chain := graph.find_shortest_chain(importer=other, imported=module)) is not None
    ]
    assert cycles == []


@pytest.mark.parametrize("part", ["workspace", "grants", "findings"])
def test_the_projects_parts_meet_only_through_their_api(part: str) -> None:
    """Inside `projects/`, a part (the project workspace, grants, and later findings) is used by
    the other parts only through its `api` module; the app's assembly (its table registry and
    its notices) is the one place that names more of it."""
    assembly = {"projects/piccolo_app.py", "projects/notices.py"}
    package, public = f"projects.{part}", f"projects.{part}.api"
    offenders = []
    inside = ROOT / "projects" / part
    for path in (ROOT / "projects").rglob("*.py"):
        name = str(path.relative_to(ROOT))
        if inside in path.parents or name in assembly:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [f"{node.module}.{alias.name}" for alias in node.names]
            offenders += [
                f"{name}: {m}"
                for m in modules
                if (m == package or m.startswith(package + ".")) and not m.startswith(public)
            ]
    assert offenders == []
