"""The audit log reads in the reader's language: every event name the code records has a label
(checked against the source), object types and recorded status values are translated, and the
page shows no raw code for the events of a small scenario."""

from __future__ import annotations

import ast
import html
from pathlib import Path
from typing import Any

from tests.platform.test_views import HTML, login
from tests.priorities.conftest import need_body

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("platform/klynge", "priorities", "literature", "projects")
# The event names recorded through an f-string or a variable: the source text -> every name.
DYNAMIC = {
    "f'literature.duplicate.{data.decision}'": [
        "literature.duplicate.merge",
        "literature.duplicate.not_duplicate",
        "literature.duplicate.unmerge",
    ],
    "f'call.{to}'": ["call.published", "call.closed"],
    "f'grant_application.{data.decision}'": [
        "grant_application.granted",
        "grant_application.declined",
    ],
    "f'grant_payment.{data.kind}'": ["grant_payment.request", "grant_payment.disbursement"],
    "f'grant_report.{status}'": ["grant_report.approved", "grant_report.returned"],
    "f'participant.{what}'": ["participant.contact"],
    "f'projects.outcome.measure.{verb}'": [
        "projects.outcome.measure.propose",
        "projects.outcome.measure.accept",
        "projects.outcome.measure.decline",
    ],
    "platform/klynge/mail/service.py:action": ["core.mail.preference", "core.mail.unsubscribed"],
    "platform/klynge/orgs/memberships.py:action": [
        "membership.approve",
        "membership.decline",
        "membership.withdraw",
        "membership.leave",
    ],
    "projects/grants/applications.py:action": [
        "application.budget_changed",
        "application.budget_replaced",
        "application.budget_uploaded",
    ],
    "projects/workspace/pdsa.py:action": ["pdsa.cycle_created", "pdsa.cycle_continued"],
}


def _dynamic_from_enums() -> dict[str, list[str]]:
    from priorities.schemas import NeedStatus
    from projects.proposals import _REVIEW
    from projects.workspace.participants_rules import Event, Status

    return {
        "f'need.{to_status.value}'": [f"need.{s.value}" for s in NeedStatus],
        "f'proposal.{status}'": [f"proposal.{s}" for s in _REVIEW.values()],
        "f'participant.{status.value}'": [f"participant.{s.value}" for s in Status],
        "f'participant.{event.value}'": [f"participant.{e.value}" for e in Event],
    }


def _recorded() -> tuple[set[str], set[str], set[str]]:
    """Event names, object types and the sources of names not written out, from every
    `audit.record(...)` call in the code."""
    names: set[str] = set()
    objects: set[str] = set()
    dynamic: set[str] = set()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if {"tests", "migrations"} & set(path.parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                func = node.func if isinstance(node, ast.Call) else None
                if not (
                    isinstance(func, ast.Attribute)
                    and func.attr == "record"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "audit"
                ):
                    continue
                assert isinstance(node, ast.Call)
                action, kind = node.args[1], node.args[2]
                if isinstance(kind, ast.Constant):
                    objects.add(kind.value)
                constants = [n.value for n in ast.walk(action) if isinstance(n, ast.Constant)]
                if isinstance(action, ast.Constant | ast.IfExp):
                    names.update(str(c) for c in constants)
                elif isinstance(action, ast.Name):
                    dynamic.add(f"{path.relative_to(ROOT)}:{action.id}")
                else:
                    dynamic.add(ast.unparse(action))
    return names, objects, dynamic


def test_every_recorded_event_name_has_a_label() -> None:
    from klynge.audit_labels import tables

    actions, object_types, _ = tables()
    names, objects, dynamic = _recorded()
    families = DYNAMIC | _dynamic_from_enums()
    assert dynamic - set(families) == set(), "add the names this source can record to DYNAMIC"
    for source in dynamic:
        names.update(families[source])
    assert sorted(names - set(actions)) == []
    assert sorted(objects - set(object_types)) == []


async def test_the_audit_log_shows_labels_in_english(client: Any, needs_world: Any) -> None:
    from klynge.auth.tables import Account

    w = needs_world
    made = await client.post(
        "/api/needs", json=need_body(w, submit=False), headers=w.headers["coordinator_askoy"]
    )
    need_id = made.json()["id"]
    sent = await client.post(f"/api/needs/{need_id}/submit", headers=w.headers["coordinator_askoy"])
    assert sent.status_code == 200, sent.text
    body = {"cluster_id": w.ids["cluster_a"], "name": "Høst 2027", "need_ids": [need_id],
            "raters": [{"account_id": w.accounts["leader_askoy"], "group": "leaders"}]}  # fmt: skip
    opened = await client.post("/api/rounds", json=body, headers=w.headers["adviser_a"])
    assert opened.status_code == 201, opened.text
    await Account.update({Account.language: "en"}).where(Account.id == w.accounts["adviser_a"])
    await login(client, w, "adviser_a")
    response = await client.get("/logg", headers=HTML)
    assert response.status_code == 200
    page = html.unescape(response.text)
    for label in ("Need created", "Need submitted", "Priority round created", "Priority round",
                  "Need under assessment", '"status": "Under assessment"'):  # fmt: skip
        assert label in page, label
    for code in ("need.create", "need.submitted", "round.create", "under_assessment",
                 '"submitted"', '"draft"', ">need ", ">round "):  # fmt: skip
        assert code not in page, code
