"""The database's summary of a check's screening (literature.screening_sql) agrees with the
Python rules (literature.screening) on random decision histories: blind and open checks, two or
three screeners, re-decisions, ties in time, reconciled decisions, outsiders' decisions, and
records from an import that was undone."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from literature import screening, screening_sql
from literature.checks import _decision
from literature.tables import LiteratureCheck, LiteratureImport, ReferenceSource, ScreeningDecision
from tests.conftest import World
from tests.literature.conftest import RIS, import_file
from tests.literature.test_handoffs import _check, _records

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


async def _python_waiting(
    check_id: int, blind: bool, screeners: list[int], actor: int
) -> tuple[screening.Waiting, int]:
    rows = (
        await ScreeningDecision.select()
        .where(ScreeningDecision.check == check_id)
        .order_by(ScreeningDecision.id)
    )
    sources = await ReferenceSource.select(ReferenceSource.reference).where(
        ReferenceSource.literature_import.check == check_id,
        ReferenceSource.literature_import.status == "done",
    )
    records = list(dict.fromkeys(r["reference"] for r in sources))
    effective = blind and len(screeners) >= 2
    outcomes = screening.screen(
        [_decision(r) for r in rows], blind=effective, screeners=screeners, references=records
    )
    return screening.waiting(outcomes, actor, blind=effective), len(records)


def _random_decisions(
    rng: random.Random, check_id: int, refs: list[int], people: list[int], reconciler: int
) -> list[ScreeningDecision]:
    rows = []
    for _ in range(rng.randint(0, 14)):
        reconciled = rng.random() < 0.12
        rows.append(
            ScreeningDecision(
                check=check_id,
                reference=rng.choice(refs),
                stage=rng.choice(screening.STAGES),
                decision=rng.choice(screening.DECISIONS),
                reason=rng.choice(["", "population", "design"]),
                screener=reconciler if reconciled else rng.choice(people),
                reconciled=reconciled,
                # Few distinct times, so that ties (broken by id) are common.
                created_at=T0 + dt.timedelta(minutes=rng.randint(0, 4)),
            )
        )
    return rows


async def test_the_sql_summary_matches_the_python_rules(
    client: Any, needs_world: World, need_id: int
) -> None:
    w = needs_world
    adviser = "adviser_a"
    people = [w.accounts[k] for k in ("coordinator_askoy", "leader_askoy", "adviser_a")]
    check = await _check(client, w, need_id)
    await import_file(client, w.headers[adviser], RIS, extra={"check_id": check["id"]})
    refs = await _records(client, w, check["id"])
    # A second check whose import is undone: its records are not the check's records.
    other = await _check(client, w, need_id)
    await import_file(client, w.headers[adviser], RIS, extra={"check_id": other["id"]})
    await LiteratureImport.update({LiteratureImport.status: "undone"}).where(
        LiteratureImport.check == other["id"]
    )
    rng = random.Random(17)
    for _ in range(60):
        given: dict[int, tuple[bool, list[int]]] = {}
        for check_id in (check["id"], other["id"]):
            blind = rng.random() < 0.6
            screeners = rng.sample(people[:2], k=rng.choice([0, 1, 2, 2]))
            if rng.random() < 0.2:
                screeners.append(people[2])
            await LiteratureCheck.update(
                {LiteratureCheck.blind: blind, LiteratureCheck.screeners: screeners}
            ).where(LiteratureCheck.id == check_id)
            await ScreeningDecision.delete().where(ScreeningDecision.check == check_id)
            rows = _random_decisions(rng, check_id, refs, people, people[2])
            if rows:
                await ScreeningDecision.insert(*rows)
            given[check_id] = (blind, screeners)
        for actor in people:
            found = await screening_sql.waiting_of(given, actor)
            for check_id, (blind, screeners) in given.items():
                expected = await _python_waiting(check_id, blind, screeners, actor)
                assert found[check_id] == expected, (check_id, blind, screeners, actor)
