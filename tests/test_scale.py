"""The national-scale demo (`klynge demo --scale`) at a small fraction: what it writes, that the
demo logins still work in it, and (PostgreSQL) that the main list and dashboard queries find
their rows through indexes — no sequential scan of a large table."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import pytest

from tests.conftest import BACKEND, TEST_DATABASE_URL

FRACTION = 0.02
# A table is large when the national load gives it 10,000 rows or more.
LARGE = 10_000 * FRACTION


async def _load() -> Any:
    from klynge import demo
    from klynge.scale.load import load

    await demo.seed_core()  # the demo cluster and logins (the apps' demo data is not needed)
    return await load(FRACTION, progress=lambda _: None)


async def _token(client: Any, email: str) -> dict[str, str]:
    from klynge.demo import DEMO_PASSWORD

    answer = await client.post("/api/auth/token", json={"email": email, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def test_scale_load_writes_a_country_around_the_demo(client: Any) -> None:
    from klynge.db import engine

    report = await _load()
    rows = report.rows
    assert rows["municipality"] == 357 - 6  # the demo's six are reused
    assert rows["cluster"] == 39  # and the demo cluster is the fortieth
    assert rows["need"] == 400
    assert rows["literature_reference"] == 4_000
    assert rows["group_publication"] == 40 * 50
    assert rows["project"] == 40
    assert rows["grant_agreement"] == 20
    assert rows["project_outcome"] == 100
    db = engine()
    languages = await db.run_ddl("SELECT language, COUNT(*) AS n FROM need GROUP BY language")
    assert {r["language"] for r in languages} == {"nb", "nn"}
    titles = await db.run_ddl("SELECT COUNT(DISTINCT title) AS n FROM need")
    assert titles[0]["n"] > 300  # composed from parts, not repeated
    # The demo adviser signs in as always and sees the national load of their own cluster.
    headers = await _token(client, "fou@demo.klynge.no")
    needs = await client.get("/api/needs", headers=headers)
    assert needs.status_code == 200, needs.text
    assert needs.json()["total"] > 10
    with pytest.raises(Exception, match="already loaded"):
        await _load()


def _seq_scans(plan: dict[str, Any]) -> list[str]:
    found = [plan["Relation Name"]] if plan.get("Node Type") == "Seq Scan" else []
    for child in plan.get("Plans", []):
        found += _seq_scans(child)
    return found


async def _explain(statements: list[Any], large: set[str]) -> dict[str, str]:
    """Sequential scans of large tables, with the statement that made each."""
    conn = await asyncpg.connect(TEST_DATABASE_URL.replace("postgresql", "postgres", 1))
    found: dict[str, str] = {}
    try:
        # Off, the planner takes any usable index: a scan it still plans has no index to use.
        await conn.execute("SET enable_seqscan = off")
        for statement in statements:
            sql, args = statement.compile_string(engine_type="postgres")
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            plan = json.loads(await conn.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *args))
            for table in _seq_scans(plan[0]["Plan"]):
                if table in large:
                    found.setdefault(table, sql[:300])
    finally:
        await conn.close()
    return found


@pytest.mark.skipif(BACKEND != "postgres", reason="query plans are checked on PostgreSQL")
async def test_main_queries_use_indexes_at_scale(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from klynge.db import engine

    await _load()
    db = engine()
    sizes = await db.run_ddl(
        "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relnamespace = "
        "'public'::regnamespace"
    )
    large = {r["relname"] for r in sizes if r["reltuples"] >= LARGE}
    assert {"need", "literature_reference", "score", "group_publication"} <= large
    adviser = await _token(client, "fou@demo.klynge.no")
    funder = await _token(client, "finansiering@demo.klynge.no")
    leader = await _token(client, "leder@demo.klynge.no")
    cluster = (await db.run_ddl("SELECT id FROM cluster WHERE name LIKE 'FoU-klynge Bergen%'"))[0]
    round_id = (
        await db.run_ddl(
            "SELECT id FROM priority_round WHERE cluster = {} ORDER BY id LIMIT 1".format(  # noqa: S608
                int(cluster["id"])
            )
        )
    )[0]["id"]
    funder_id = (await db.run_ddl("SELECT id FROM funder WHERE name = 'Norges forskningsråd'"))[0]
    first = "SELECT id FROM {} WHERE cluster = {} AND {} ORDER BY id LIMIT 1"
    cid = int(cluster["id"])
    need = (await db.run_ddl(first.format("need", cid, "status <> 'draft'")))[0]["id"]
    project = (await db.run_ddl(first.format("project", cid, "TRUE")))[0]["id"]
    pages = [
        ("/api/needs", adviser),
        ("/api/needs?status=prioritised", leader),
        (f"/api/rounds/{round_id}/ranking", adviser),
        ("/api/me/tasks", adviser),
        ("/api/me/tasks", leader),
        ("/api/literature/references?q=school%20absenteeism", adviser),
        ("/api/projects", adviser),
        (f"/api/funders/{funder_id['id']}/dashboard", funder),
        ("/api/findings/return-rates", adviser),
        ("/api/public/literature", None),
        ("/api/public/answered-needs", None),
        ("/api/public/findings/return-rates", None),
        # pages of the load benchmark's mix (bench/load) beside their APIs
        (f"/behov/{need}", adviser),
        (f"/runder/{round_id}", adviser),
        ("/oppgaver", adviser),
        ("/oppgaver", leader),
        (f"/prosjekter/{project}", adviser),
        ("/kunnskap", None),
        ("/kunnskap?page=2", None),
        ("/tilbakeforing", adviser),
        ("/kunnskap/tilbakeforing", None),
        ("/finansiering", funder),
    ]
    with monkeypatch.context() as patch:
        captured: list[Any] = []
        cls = type(db)
        original = cls.run_querystring

        async def keep(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
            captured.append(querystring)
            return await original(self, querystring, *args, **kwargs)

        patch.setattr(cls, "run_querystring", keep)
        for path, headers in pages:
            answer = await client.get(path, headers=headers or {})
            assert answer.status_code == 200, (path, answer.text[:300])
    assert captured
    assert await _explain(captured, large) == {}
