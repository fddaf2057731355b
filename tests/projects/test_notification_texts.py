"""Notifications of the workspace and grants are stored as English msgids with params and read
in the reader's language: no call site passes a ready-made (Norwegian) f-string, and a stored
notice reads in en and nn."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import World
from tests.projects.grants_decide_fixtures import build_grants
from tests.projects.test_workspace_codesign import build_ws

ROOT = Path(__file__).resolve().parents[2]
# The notify functions and the app helpers that pass their text on to it: name -> text arg.
SENDERS = {
    "notify": 1,
    "notify_managers": 2,
    "notify_org": 3,
    "notify_applicants": 2,
    "_notify_askers": 3,
    "_tell": 2,
}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _ready_made_texts() -> list[str]:
    found = []
    for path in sorted((ROOT / "projects").rglob("*.py")):
        if "findings" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _name(node) not in SENDERS:
                continue
            index = SENDERS[_name(node)]
            args = node.args[index : index + 1] or [
                k.value for k in node.keywords if k.arg == "text"
            ]
            if any(isinstance(a, ast.JoinedStr | ast.BinOp) for a in args):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_notification_is_sent_as_a_ready_made_text() -> None:
    assert _ready_made_texts() == []


async def _read(client: Any, world: World, who: str, lang: str) -> list[str]:
    from klynge.auth.tables import Account

    await Account.update({Account.language: lang}).where(Account.id == world.accounts[who])
    found = await client.get("/api/notifications", headers=world.headers[who])
    assert found.status_code == 200, found.text
    return [n["text"] for n in found.json()]


@pytest.fixture
async def ws(world: World, app: Any) -> World:
    return await build_ws(world, app)


async def test_an_overdue_milestone_reads_in_english_and_nynorsk(client: Any, ws: World) -> None:
    from projects.workspace.jobs import notify_overdue
    from projects.workspace.tables import PlanItem

    due = dt.date.today() - dt.timedelta(days=1)
    await PlanItem.insert(
        PlanItem(project=ws.ids["project"], kind="milestone", title="Datainnsamling", due=due)
    )
    assert await notify_overdue() == 1
    title = await _project_title(ws.ids["project"])
    en = await _read(client, ws, "researcher_a", "en")
    nn = await _read(client, ws, "researcher_a", "nn")
    assert en == [
        f"The milestone «Datainnsamling» in the project «{title}» was due {due:%d.%m.%Y}."
    ]
    assert nn == [
        f"Milepælen «Datainnsamling» i prosjektet «{title}» skulle vore nådd {due:%d.%m.%Y}."
    ]


async def _project_title(project_id: int) -> str:
    from projects.tables import Project

    row = await Project.select(Project.title).where(Project.id == project_id).first()
    assert row is not None
    return str(row["title"])


@pytest.fixture
async def gw(world: World, app: Any) -> World:
    return await build_grants(world, app)


async def test_a_grant_decision_and_a_change_request_read_in_english_and_nynorsk(
    client: Any, gw: World
) -> None:
    from projects.grants.tables import Application

    url = f"/api/applications/{gw.ids['application']}"
    officer = gw.headers["officer_a"]
    asked = await client.post(f"{url}/changes-requested", json={"comment": "Mer om reiser."},
                              headers=officer)  # fmt: skip
    assert asked.status_code == 200, asked.text
    row = (
        await Application.select(Application.title)
        .where(Application.id == gw.ids["application"])
        .first()
    )
    assert row is not None
    title = row["title"]
    assert await _read(client, gw, "researcher_a", "en") == [
        f"The funder asks for changes to the application «{title}»: Mer om reiser."
    ]
    assert await _read(client, gw, "researcher_a", "nn") == [
        f"Tilskotsgjevaren ber om endringar i søknaden «{title}»: Mer om reiser."
    ]
