"""Demo projects for `klynge demo`: three projects at different stages, built through the
workspace's own use cases (so rules, audit log and notifications are those of real use):
one in preparation with approvals missing (the accepted demo proposal's project), one running
with two PDSA cycles and a run chart, one completed. The texts are in
projects/demo_data/workspace.json. Idempotent: the caller runs it once, with the groups."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from klynge.auth.principal import Principal
from klynge.db import json_value
from projects.tables import Project
from projects.workspace import (
    approvals,
    codesign,
    codesign_actions,
    overview,
    participants,
    pdsa,
    pdsa_measures,
    plan,
    transitions,
)
from projects.workspace import approvals_schemas as a
from projects.workspace import codesign_schemas as c
from projects.workspace import participant_schemas as ps
from projects.workspace import pdsa_schemas as p
from projects.workspace import plan_schemas as pl
from projects.workspace import project_schemas as o
from projects.workspace.projects import create_project

T = TypeVar("T")
DATA = Path(__file__).resolve().parent.parent / "demo_data" / "workspace.json"
# How each demo project walks the lifecycle from "planned".
PATHS = {
    "preparation": ("preparation",),
    "running": ("preparation", "running"),
    "completed": ("preparation", "running", "completed"),
}


def _make(schema: type[T], **fields: Any) -> T:
    """A request schema from demo data, converted (and checked) as a request body would be."""
    return msgspec.convert(fields, schema)


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


async def seed_workspace(
    cluster_id: int,
    adviser: Principal,
    leaders: dict[str, Principal],
    group_ids: dict[str, int],
    need_ids: dict[str, int],
) -> list[int]:
    """The three demo projects; returns their ids (preparation, running, completed).
    `leaders` are the groups' demo researchers by group key; a project without a group in the
    data is the accepted demo proposal's (its proposer leads it)."""
    spec = json.loads(DATA.read_text(encoding="utf-8"))
    created: list[int] = []
    for key in ("preparation", "running", "completed"):
        item = spec[key]
        leader = leaders[item.get("group", item.get("proposal_group", ""))]
        project_id = await _project(cluster_id, adviser, leader, item, group_ids, need_ids)
        if project_id is None:
            continue
        await _fill(adviser, leader, project_id, item)
        created.append(project_id)
    return created


async def _project(
    cluster_id: int,
    adviser: Principal,
    leader: Principal,
    item: dict[str, Any],
    group_ids: dict[str, int],
    need_ids: dict[str, int],
) -> int | None:
    need_id = need_ids.get(item["need"])
    if need_id is None:
        return None
    if "group" not in item:  # the accepted demo proposal's project
        rows = await Project.select(Project.id, Project.need_ids).where(
            Project.cluster == cluster_id
        )
        found = [r["id"] for r in rows if need_id in json_value(r["need_ids"], [])]
        return int(found[0]) if found else None
    proposal = {
        "id": None,
        "cluster": cluster_id,
        "group": group_ids[item["group"]],
        "title": item["title"],
        "need_ids": [need_id],
        "codesign": {},
        "created_by": leader.account_id,
        "start": _date(item.get("starts_on")),
        "end": _date(item.get("ends_on")),
    }
    return await create_project(adviser, proposal)


async def _fill(
    adviser: Principal, leader: Principal, project_id: int, item: dict[str, Any]
) -> None:
    await overview.update_overview(
        adviser,
        project_id,
        _make(
            o.ProjectUpdate,
            summary_popular=item["summary_popular"],
            summary_language=item["summary_language"],
            summary_en=item["summary_en"],
            summary_academic=item["summary_academic"],
            keywords=item["keywords"],
            registrations=item["registrations"],
            is_public=item.get("is_public", False),
        ),
    )
    for rep in item["user_representatives"]:
        await participants.add_participant(
            leader,
            project_id,
            _make(
                ps.ParticipantCreate,
                kind="user_representative",
                role=rep["role"],
                label=rep["label"],
            ),
        )
    await _approvals(adviser, leader, project_id, item["approvals"])
    await _sessions(adviser, leader, project_id, item["sessions"])
    await _plan(leader, project_id, item["plan"])
    if item.get("cycles"):
        await _pdsa(leader, project_id, item)
    for status in PATHS[item["status"]]:
        await transitions.transition(adviser, project_id, _make(a.TransitionRequest, to=status))


async def _approvals(
    adviser: Principal, leader: Principal, project_id: int, spec: dict[str, dict[str, Any]]
) -> None:
    items = {i.kind: i for i in (await approvals.checklist(adviser, project_id)).items}
    for kind, want in spec.items():
        approval = items.get(kind)
        if approval is None:
            continue
        required = "yes" if want["required"] else "no"
        reason = want.get("reason", "Vurdert av FoU-rådgiveren.")
        await approvals.update_approval(
            adviser,
            project_id,
            approval.id,
            _make(a.ApprovalUpdate, required=required, required_reason=reason),
        )
        if want.get("status"):
            await approvals.update_approval(
                leader,
                project_id,
                approval.id,
                _make(
                    a.ApprovalUpdate,
                    status=want["status"],
                    reference=want.get("reference", ""),
                    decided_on=_date(want.get("decided_on")),
                ),
            )


async def _sessions(
    adviser: Principal, leader: Principal, project_id: int, sessions: list[dict[str, Any]]
) -> None:
    owners = {"leader": leader, "adviser": adviser}
    for spec in sessions:
        session = await codesign.create_session(
            leader,
            project_id,
            _make(
                c.SessionCreate,
                held_on=dt.date.fromisoformat(spec["held_on"]),
                mode=spec["mode"],
                place=spec["place"],
                attendance=spec["attendance"],
                agenda=spec["agenda"],
                decisions=spec["decisions"],
            ),
        )
        for action in spec["actions"]:
            out = await codesign_actions.create_action(
                leader,
                project_id,
                _make(
                    c.ActionCreate,
                    title=action["title"],
                    owner_id=owners[action["owner"]].account_id,
                    due=_date(action["due"]),
                    session_id=session.id,
                ),
            )
            if action.get("done"):
                await codesign_actions.mark_done(leader, project_id, out.id)


async def _plan(leader: Principal, project_id: int, items: list[dict[str, Any]]) -> None:
    keys: dict[str, int] = {}
    for position, spec in enumerate(items):
        out = await plan.create_item(
            leader,
            project_id,
            _make(
                pl.PlanItemCreate,
                kind=spec["kind"],
                title=spec["title"],
                parent_id=keys.get(spec.get("parent", "")),
                starts_on=_date(spec.get("starts_on")),
                due=_date(spec.get("due")),
                status=spec.get("status", "planned"),
                position=position,
            ),
        )
        if "key" in spec:
            keys[spec["key"]] = out.id


async def _pdsa(leader: Principal, project_id: int, item: dict[str, Any]) -> None:
    m = item["measure"]
    measure = await pdsa_measures.create_measure(
        leader,
        project_id,
        _make(
            p.MeasureCreate,
            name=m["name"],
            kind=m["kind"],
            unit=m["unit"],
            better=m["better"],
            baseline=m["baseline"],
        ),
    )
    lines = "\n".join(f"{day};{value}".replace(".", ",") for day, value in m["values"])
    await pdsa_measures.paste_values(
        leader, project_id, measure.id, _make(p.ValuesPaste, lines=lines)
    )
    for spec in item["cycles"]:
        cycle = await pdsa.create_cycle(
            leader,
            project_id,
            _make(
                p.CycleCreate,
                title=spec["title"],
                change_idea=spec["change_idea"],
                prediction=spec["prediction"],
                measure_ids=[measure.id],
            ),
        )
        await pdsa.update_cycle(
            leader,
            project_id,
            cycle.id,
            _make(
                p.CycleUpdate,
                done_what=spec["done_what"],
                started_on=_date(spec["started_on"]),
                ended_on=_date(spec["ended_on"]),
                study=spec["study"],
                learned=spec["learned"],
                decision=spec["decision"],
                next_test=spec["next_test"],
            ),
        )
