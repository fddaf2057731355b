"""Assignment of a closed round's prioritised needs to candidate research groups: the stored
match scores, the groups' capacity left and the adviser's pins and forbids go to the solver
(projects/assignment.py) in a job; the result is stored and can be re-run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.errors import FieldError, Forbidden, Invalid, NotFound, translate
from klynge.i18n import N_, gettext, ngettext
from klynge.jobs import runner
from klynge.jobs.tables import Job
from klynge.scoping import can_manage_cluster, ensure_cluster_visible
from priorities import api as priorities
from projects import groups as group_service
from projects import schemas as s
from projects.assignment import AssignmentProblem, solve, validate
from projects.tables import Assignment, Match, Project

RUN_ASSIGNMENT = "projects.run_assignment"


async def _round(actor: Principal, round_id: int) -> dict[str, Any]:
    row = await priorities.load_round(round_id)
    ensure_cluster_visible(actor, row["cluster"])
    return row


async def start_assignment(
    actor: Principal, dispatcher: runner.Dispatcher, round_id: int, data: s.AssignmentIn
) -> s.AssignmentOut:
    row = await _round(actor, round_id)
    if not can_manage_cluster(actor, row["cluster"]):
        raise Forbidden(N_("Only the cluster's R&D adviser can assign needs."))
    if row["status"] != "closed":
        raise Invalid(
            N_("The round is not closed."), [FieldError("round", N_("Close the round first."))]
        )
    overlap = set(data.pins) & set(data.forbids)
    if overlap:
        raise Invalid(
            N_("A pair cannot be both pinned and forbidden."),
            [
                FieldError(
                    "forbids",
                    N_("Both pinned and forbidden: %(pairs)s"),
                    params={"pairs": str(sorted(overlap))},
                )
            ],
        )
    async with runner.submit_after_commit(dispatcher) as submit:
        inserted = await Assignment.insert(
            Assignment(
                round=round_id,
                cluster=row["cluster"],
                k=data.k,
                weak_threshold=data.weak_threshold,
                pins=[list(p) for p in data.pins],
                forbids=[list(p) for p in data.forbids],
                created_by=actor.account_id,
            )
        ).returning(Assignment.id)
        assignment_id = int(inserted[0]["id"])
        job_id = await submit(
            RUN_ASSIGNMENT,
            {"assignment_id": assignment_id},
            created_by=actor.account_id,
            cluster_id=row["cluster"],
        )
        await Assignment.update({Assignment.job_id: str(job_id)}).where(
            Assignment.id == assignment_id
        )
        await audit.record(
            actor,
            "round.assignment",
            "assignment",
            assignment_id,
            cluster_id=row["cluster"],
            after={"k": data.k, "pins": data.pins, "forbids": data.forbids},
        )
    return await get_assignment(actor, assignment_id)


def _pairs(value: Any) -> set[tuple[int, int]]:
    return {(int(p[0]), int(p[1])) for p in json_value(value, [])}


async def taken_needs(cluster_id: int) -> set[int]:
    """Needs a research group has already taken on: an accepted proposal made them a project
    (the project counts against the group's capacity; the need is not given out again)."""
    rows = await Project.select(Project.need_ids).where(Project.cluster == cluster_id)
    return {int(n) for r in rows for n in json_value(r["need_ids"], [])}


async def problem_for(row: Mapping[str, Any]) -> AssignmentProblem:
    taken = await taken_needs(row["cluster"])
    need_ids = [n for n in await priorities.prioritised_needs(row["round"]) if n not in taken]
    # Each need's stored matches (a re-run replaces a need's older ones).
    fits: dict[tuple[int, int], float] = {}
    for m in await Match.select(Match.need, Match.group, Match.score).where(
        Match.need.is_in(need_ids or [-1])
    ):
        fits[(m["need"], m["group"])] = float(m["score"])
    group_ids = sorted({g for _, g in fits})
    capacities = {g.id: g.capacity_left for g in await group_service.list_groups(group_ids)}
    return AssignmentProblem(
        needs=need_ids,
        groups=capacities,
        fit=fits,
        k=row["k"],
        pins=frozenset(_pairs(row["pins"])),
        forbids=frozenset(_pairs(row["forbids"])),
        weak_threshold=row["weak_threshold"],
    )


def result_json(result: Any) -> dict[str, Any]:
    return {
        "status": result.status,
        "pairs": {str(n): [[g, round(f, 4)] for g, f in c] for n, c in result.pairs.items()},
        "weakest_need": result.weakest_need,
        "weakest_fit": result.weakest_fit,
        "unassigned": result.unassigned,
        "no_eligible": result.no_eligible,
        "needs_with_only_weak": result.needs_with_only_weak,
        "alternates": {
            str(n): [[g, round(f, 4), why] for g, f, why in alts]
            for n, alts in result.alternates.items()
        },
        "load": {str(g): used for g, used in result.load.items()},
        "covered": result.covered,
        "total_fit": round(result.total_fit, 4),
        "conflicts": [c.text() for c in result.conflicts],  # in the job's language
    }


async def run(assignment_id: int) -> dict[str, Any]:
    row = await Assignment.select().where(Assignment.id == assignment_id).first()
    if row is None:
        raise NotFound(N_("We could not find the assignment."))
    problem = await problem_for(row)
    if not problem.needs:
        raise runner.JobFailed(translate(N_("The round has no prioritised needs to assign.")))
    if not problem.fit:
        raise runner.JobFailed(
            translate(N_("No stored matches for the round's needs: run matching first."))
        )
    result = solve(problem, time_limit=120)
    problems = validate(problem, result) if result.ok else []
    if problems:  # the solver's answer must obey every rule; never store one that does not
        raise runner.JobFailed(
            translate(
                N_("The assignment broke a rule: %(problems)s"), {"problems": "; ".join(problems)}
            )
        )
    data = result_json(result)
    async with transaction():
        await Assignment.update(
            {
                Assignment.status: "done" if result.ok else "failed",
                Assignment.result: data,
                Assignment.message: result.message,
            }
        ).where(Assignment.id == assignment_id)
    return data


@runner.job(RUN_ASSIGNMENT)
async def run_assignment(ctx: runner.JobContext) -> dict[str, Any] | None:
    assignment_id = int(ctx.params["assignment_id"])
    await ctx.progress(10, gettext(N_("Reading the matches and the capacity")))
    try:
        data = await run(assignment_id)
    except runner.JobFailed as exc:
        await Assignment.update(
            {Assignment.status: "failed", Assignment.message: exc.message}
        ).where(Assignment.id == assignment_id)
        raise
    if data["status"] not in ("optimal", "time_limit"):
        raise runner.JobFailed(
            translate(
                N_("The assignment is not possible: %(conflicts)s"),
                {"conflicts": "; ".join(data["conflicts"])},
            )
        )
    async with transaction():
        await ctx.finish(
            {"assignment_id": assignment_id, "covered": data["covered"]},
            ngettext(
                "%(num)s need got candidate groups.",
                "%(num)s needs got candidate groups.",
                data["covered"],
            )
            % {"num": data["covered"]},
            f"/fordelinger/{assignment_id}",
        )
    return None


async def get_assignment(actor: Principal, assignment_id: int) -> s.AssignmentOut:
    row = await Assignment.select().where(Assignment.id == assignment_id).first()
    if row is None:
        raise NotFound(N_("We could not find the assignment."))
    ensure_cluster_visible(actor, row["cluster"])
    job = None
    if row["job_id"]:
        job = await Job.select(Job.progress, Job.status).where(Job.id == row["job_id"]).first()
    return s.AssignmentOut(
        id=row["id"],
        round_id=row["round"],
        status=row["status"],
        k=row["k"],
        weak_threshold=row["weak_threshold"],
        pins=[(int(p[0]), int(p[1])) for p in json_value(row["pins"], [])],
        forbids=[(int(p[0]), int(p[1])) for p in json_value(row["forbids"], [])],
        message=row["message"],
        result=json_value(row["result"], {}),
        job_id=row["job_id"] or None,
        progress=100 if row["status"] == "done" else (job["progress"] if job else 0),
        created_at=row["created_at"],
    )


async def list_assignments(actor: Principal, round_id: int) -> list[s.AssignmentOut]:
    await _round(actor, round_id)
    rows = (
        await Assignment.select(Assignment.id)
        .where(Assignment.round == round_id)
        .order_by(Assignment.id, ascending=False)
    )
    return [await get_assignment(actor, r["id"]) for r in rows]
