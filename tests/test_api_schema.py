"""schemathesis against the app's own OpenAPI document, in-process (ASGI): every operation, a
few derandomised examples each, as several roles. No answer may be a server error, and every
answer must be documented (status code, content type, body schema).

Runs on SQLite only: the checks are about the HTTP contract, not the engine."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.skipif(
    os.environ.get("KLYNGE_TEST_DB", "sqlite") != "sqlite", reason="runs once, on SQLite"
)

EXAMPLES = int(os.environ.get("KLYNGE_SCHEMATHESIS_EXAMPLES", "2"))
ROLES = ("adviser_a", "leader_askoy", "researcher", "anonymous")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


async def _researcher(app: Any) -> dict[str, str]:
    """A research-group member (the role that does not come with the shared world)."""
    from klynge.auth.tables import Account, RoleAssignment
    from klynge.orgs.tables import ResearchGroup

    group = await ResearchGroup.insert(
        ResearchGroup(name="Forskergruppe", institution="UiB", org_number="874789542", sector="uoh")
    ).returning(ResearchGroup.id)
    row = await Account.insert(
        Account(name="Researcher", email="researcher@test.klynge.no", password_hash="x")
    ).returning(Account.id)
    await RoleAssignment.insert(
        RoleAssignment(account=row[0]["id"], role="researcher", research_group=group[0]["id"])
    )
    return {"Authorization": f"Bearer {app.state.codec.issue(row[0]['id'])}"}


def _run(operation: Any, headers: dict[str, str], failures: list[str]) -> int:
    calls = 0

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: Any) -> None:
        nonlocal calls
        calls += 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        check()
    except (Exception, BaseExceptionGroup) as exc:  # every operation's failure, not only the first
        failures.append(f"{operation.label}: " + " | ".join(str(exc).splitlines()[:14]))
    return calls


async def test_every_operation_keeps_its_contract(app, world) -> None:
    headers = {role: world.headers[role] for role in ROLES if role in world.headers}
    headers["researcher"] = await _researcher(app)
    headers["anonymous"] = {}
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures: list[str] = []
    calls = 0
    for role in ROLES:
        for operation in operations:
            found: list[str] = []
            calls += _run(operation, headers[role], found)
            failures.extend(f"[{role}] {f}" for f in found)
    print(f"schemathesis: {len(operations)} operations, {calls} cases, {len(failures)} failures")
    assert failures == [], "\n".join(failures)
