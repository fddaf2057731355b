"""The projects app's part of the national-scale demo: research group profiles with members and
50 publications each, accepted proposals and the projects they made (their workspaces in
projects.workspace.scale), grants (projects.grants.scale) and findings returned
(projects.findings.scale). Written in bulk with the core's writer, one transaction per step."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from klynge.scale.context import GroupFacts, ScaleContext
from klynge.scale.vocabulary import GROUPS, MEASURES, THEMES, Term, Theme
from priorities import api as priorities
from projects.schemas import Method
from projects.tables import GroupMember, GroupProfile, GroupPublication, Project, Proposal

PROJECTS = 2_000
PUBLICATIONS = 50  # per research group
STATUSES = (
    ("planned", 0.08),
    ("preparation", 0.14),
    ("running", 0.46),
    ("completed", 0.28),
    ("stopped", 0.04),
)
PUBLICATION_TITLES = (
    ("en", "{Measure} and {problem} among {group}: results from a {place} study"),
    ("en", "Implementing {measure} in municipal services: a mixed-methods evaluation"),
    ("en", "{Problem} in {group}: a systematic review"),
    ("nb", "{Measure} i kommunale tjenester for {group_nb}"),
    ("nn", "Erfaringar med {measure_nn} for {group_nn}"),
)


@dataclass
class ProjectPlan:
    """One project as later steps see it."""

    id: int
    cluster: int
    group: GroupFacts
    leader: int
    needs: list[dict[str, Any]]
    municipalities: list[int]
    status: str
    starts_on: dt.date
    ends_on: dt.date
    title: str
    language: str
    funder: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _theme(group: GroupFacts) -> Theme:
    return next((t for t in THEMES if t.key == group.topic), THEMES[0])


PROFILE_COLUMNS = (
    "group", "expertise", "keywords", "methods", "target_groups", "service_types", "languages",
    "region", "location", "capacity",
)  # fmt: skip
PUBLICATION_COLUMNS = (
    "group", "title", "year", "doi", "keywords", "language", "included", "source",
)  # fmt: skip


def _profile(group: GroupFacts, measures: list[Term], rng: random.Random) -> tuple[Any, ...]:
    theme = _theme(group)
    return (
        group.id, f"Forskning på {theme.problem.nb} og {measures[0].nb}.",
        [theme.problem.nb, theme.problem.en, *(m.nb for m in measures)],
        rng.sample([str(m) for m in Method], k=3), [rng.choice(GROUPS).term.nb],
        list(theme.services), ["nb", "en"], group.region, group.institution, rng.randint(1, 4),
    )  # fmt: skip


def _publication(
    group: GroupFacts, measures: list[Term], number: int, rng: random.Random
) -> tuple[Any, ...]:
    theme = _theme(group)
    language, template = rng.choice(PUBLICATION_TITLES)
    measure, target = rng.choice(measures), rng.choice(GROUPS).term
    title = template.format(
        Measure=_cap(measure.en), measure=measure.en, measure_nn=measure.nn,
        problem=theme.problem.en, Problem=_cap(theme.problem.en), group=target.en,
        group_nb=target.nb, group_nn=target.nn, place=rng.choice(("Norwegian", "Nordic")),
    )  # fmt: skip
    doi = f"10.5555/group.{group.id}.{number}"
    keywords = [theme.problem.en, measure.en]
    return (group.id, _cap(title), rng.randint(2008, 2025), doi, keywords, language,
            rng.random() < 0.9, "ris")  # fmt: skip


async def _groups(ctx: ScaleContext, rng: random.Random) -> None:
    profiles, members, publications = [], [], []
    for group in ctx.groups:
        measures = rng.sample(MEASURES, k=3)
        profiles.append(_profile(group, measures, rng))
        for n, account in enumerate((*group.researchers, None)):
            role = ("Gruppeleder", "Forsker", "Stipendiat")[n]
            members.append((group.id, f"Medlem {n + 1}, {group.institution}", role, account))
        publications += [_publication(group, measures, p, rng) for p in range(PUBLICATIONS)]
    await ctx.writer.add(GroupProfile, PROFILE_COLUMNS, profiles)
    await ctx.writer.add(GroupMember, ("group", "name", "role", "account"), members)
    await ctx.writer.add(GroupPublication, PUBLICATION_COLUMNS, publications)
    ctx.progress(f"projects: {len(profiles):,} group profiles, {len(publications):,} publications")


def _status(rng: random.Random) -> str:
    pick = rng.random()
    for status, share in STATUSES:
        pick -= share
        if pick <= 0:
            return status
    return STATUSES[-1][0]


def _plan(ctx: ScaleContext, rng: random.Random) -> list[ProjectPlan]:
    """Which needs get a project, by which group, in which state."""
    needs = ctx.shared["priorities"]["needs"]
    pool = [n for n in needs if n["status"] in ("prioritised", "literature_checked")]
    picked = sorted(rng.sample(pool, k=min(ctx.count(PROJECTS), len(pool))), key=lambda n: n["id"])
    plans = []
    for n, need in enumerate(picked):
        group = ctx.groups[n % len(ctx.groups)] if n < len(ctx.groups) else rng.choice(ctx.groups)
        start = (need.get("changed_at") or need["created_at"]).date() + dt.timedelta(days=90)
        status = _status(rng)
        plans.append(
            ProjectPlan(
                id=0,
                cluster=need["cluster"],
                group=group,
                leader=group.researchers[0],
                needs=[need],
                municipalities=[need["municipality"], *need["endorsers"][:3]],
                status=status,
                starts_on=start,
                ends_on=start + dt.timedelta(days=730),
                title=f"Samskaping: {need['title']}"[:200],
                language=need["language"],
            )
        )
    return plans


PROPOSAL_COLUMNS = (
    "id", "cluster", "group", "need_ids", "title", "aims", "research_questions", "design",
    "methods", "ethics", "budget_nok", "start", "end", "status", "reviewed_by", "reviewed_at",
    "created_by", "created_at",
)  # fmt: skip
PROJECT_COLUMNS = (
    "id", "cluster", "proposal", "group", "title", "status", "need_ids", "municipality_ids",
    "leader", "starts_on", "ends_on", "summary_popular", "summary_language", "summary_en",
    "keywords", "service_areas", "is_public", "funder_ids", "status_changed_at",
)  # fmt: skip


def _proposal(
    plan: ProjectPlan, proposal: int, adviser: int, accepted: dt.datetime, rng: random.Random
) -> tuple[Any, ...]:
    need = plan.needs[0]
    return (
        proposal, plan.cluster, plan.group.id, [need["id"]], plan.title,
        "Prøve ut og evaluere tiltak sammen med tjenestene.", need["title"],
        "Samskapende design med kvalitative intervju og registerdata.",
        ["participatory", "qualitative"], ["sikt"], rng.randrange(800, 6_000) * 1_000,
        plan.starts_on, plan.ends_on, "accepted", adviser, accepted, plan.leader,
        accepted - dt.timedelta(days=40),
    )  # fmt: skip


def _project(
    ctx: ScaleContext, plan: ProjectPlan, proposal: int, accepted: dt.datetime, rng: random.Random
) -> tuple[Any, ...]:
    need = plan.needs[0]
    public = plan.status in ("running", "completed") and rng.random() < 0.7
    return (
        plan.id, plan.cluster, proposal, plan.group.id, plan.title, plan.status, [need["id"]],
        plan.municipalities, plan.leader, plan.starts_on, plan.ends_on,
        f"Prosjektet skal finne svar på: {need['title']}", plan.language,
        f"Co-designed project on: {need['title']}", [need["theme"]],
        [ctx.services_of(need["municipality"])[0].kind], public,
        [plan.funder] if plan.funder else [], accepted,
    )  # fmt: skip


async def _projects(ctx: ScaleContext, plans: list[ProjectPlan], rng: random.Random) -> None:
    proposal_ids = await ctx.writer.ids(Proposal, len(plans))
    project_ids = await ctx.writer.ids(Project, len(plans))
    proposals, projects, changes = [], [], []
    for plan, proposal, project in zip(plans, proposal_ids, project_ids, strict=True):
        plan.id = project
        adviser = ctx.cluster_of(plan.cluster).adviser
        accepted = dt.datetime.combine(plan.starts_on, dt.time(10), dt.UTC) - dt.timedelta(days=30)
        proposals.append(_proposal(plan, proposal, adviser, accepted, rng))
        projects.append(_project(ctx, plan, proposal, accepted, rng))
        changes.append((plan.needs[0]["id"], "in_project", accepted, adviser, "Prosjekt startet"))
    await ctx.writer.copy(Proposal, PROPOSAL_COLUMNS, proposals)
    await ctx.writer.copy(Project, PROJECT_COLUMNS, projects)
    await priorities.record_scale_progress(ctx, changes)
    ctx.progress(f"projects: {len(projects):,} projects")


async def load_scale(ctx: ScaleContext) -> None:
    """Groups, then projects with their workspaces, grants and findings."""
    # The parts' own api modules (imported here: they import this module's ProjectPlan).
    from projects.findings.api import write_findings
    from projects.grants.api import choose_funders, write_grants
    from projects.workspace.api import write_workspaces

    rng = ctx.rng("projects")
    async with ctx.writer.part():
        await _groups(ctx, rng)
    plans = _plan(ctx, rng)
    choose_funders(ctx, plans, rng)
    async with ctx.writer.part():
        await _projects(ctx, plans, rng)
        await write_workspaces(ctx, plans, rng)
    async with ctx.writer.part():
        await write_grants(ctx, plans, rng)
    async with ctx.writer.part():
        await write_findings(ctx, plans, rng)
