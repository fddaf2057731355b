"""Redirect notices are namespaced per app, a key registered twice stops the start, and every
notice the code redirects with is registered (so none shows up empty)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"^(core|priorities|literature|projects)\.[a-z_-]+$")


def test_a_key_registered_twice_with_another_text_is_refused() -> None:
    from klynge.views.common import NOTICES, NoticeCollision, register_notices

    register_notices("testapp", {"saved": "Saved."})
    register_notices("testapp", {"saved": "Saved."})  # the same declaration again is harmless
    with pytest.raises(NoticeCollision, match=r"testapp\.saved"):
        register_notices("testapp", {"saved": "Something else."})
    del NOTICES["testapp.saved"]


def test_the_two_decision_notices_no_longer_collide() -> None:
    from klynge.app import create_app
    from klynge.views.common import NOTICES

    create_app()
    assert NOTICES["priorities.decision-saved"] == "The decision was recorded."
    assert NOTICES["literature.decision-saved"] == "The screening decision was saved."


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def _notice_literals() -> set[str]:
    """Every string given as `notice=` (or in a conditional expression there) in the code."""
    found: set[str] = set()
    for folder in ("platform/klynge", "priorities", "literature", "projects"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.keyword) and node.arg == "notice":
                    found.update(_strings(node.value))
    return found


def test_every_notice_in_the_code_is_namespaced_and_registered() -> None:
    from klynge.app import create_app
    from klynge.views.common import NOTICES

    create_app()
    literals = _notice_literals()
    assert len(literals) > 40
    assert sorted(k for k in literals if not KEY.match(k)) == []
    assert sorted(k for k in literals if k not in NOTICES) == []
