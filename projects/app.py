"""The projects app's declaration: what it brings to the core (found via the `klynge.apps`
entry point)."""

from __future__ import annotations

from klynge.apps import App, CronJob, MenuEntry
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.i18n import N_
from projects.notices import NOTICES


def _logged_in(user: Principal | None) -> bool:
    return user is not None


def _researcher(user: Principal | None) -> bool:
    return user is not None and Role.RESEARCHER in user.roles


def _proposals(user: Principal | None) -> bool:
    """Advisers and researchers, and the services and municipalities whose needs get
    proposals."""
    askers = {Role.RESEARCHER, Role.ADVISER, Role.SERVICE_LEADER, Role.COORDINATOR}
    return user is not None and bool(user.is_admin or user.roles & askers)


def _funder_officer(user: Principal | None) -> bool:
    return user is not None and (user.is_admin or Role.FUNDER_OFFICER in user.roles)


def _return_rates(user: Principal | None) -> bool:
    """The return-rate dashboard: advisers, funders' officers, coordinators (and admins)."""
    roles = {Role.ADVISER, Role.FUNDER_OFFICER, Role.COORDINATOR}
    return user is not None and (user.is_admin or bool(user.roles & roles))


APP = App(
    name="projects",
    order=30,
    package="projects",
    piccolo_app="projects.piccolo_app",
    routes=(
        "projects.controllers:ROUTE_HANDLERS",
        "projects.views:VIEW_HANDLERS",
        "projects.workspace.controllers:HANDLERS",
        "projects.workspace.views:HANDLERS",
        "projects.grants.controllers:HANDLERS",
        "projects.grants.views:HANDLERS",
        "projects.findings.controllers:HANDLERS",
        "projects.findings.views:HANDLERS",
    ),
    job_modules=(
        "projects.publications",
        "projects.matches",
        "projects.assignments",
        "projects.workspace.jobs",
        "projects.grants.grants_jobs",
        "projects.findings.findings_jobs",
    ),
    # Hourly, so a milestone that fell due yesterday is told early today whenever the app runs.
    cron_jobs=(
        CronJob("notify_overdue_milestones", minute=frozenset({15})),
        # Daily: reports due in 14 and 3 days, and overdue ones (each step once per report).
        CronJob("remind_grant_reports", hour=frozenset({6}), minute=frozenset({0})),
        # Daily: unanswered deliveries reminded, then escalated (each step once per delivery).
        CronJob("remind_findings_deliveries", hour=frozenset({6}), minute=frozenset({30})),
    ),
    commands="projects.match_cli",
    demo_seed="projects.demo:seed_demo",
    scale="projects.api:load_scale",
    menu=(
        MenuEntry("/forskergrupper", N_("Research groups"), 200, _logged_in),
        MenuEntry("/forsker/innboks", N_("My matched needs"), 210, _researcher),
        MenuEntry("/forslag", N_("Proposals"), 220, _proposals),
        MenuEntry("/prosjekter", N_("Projects"), 225, _logged_in),
        MenuEntry("/utlysninger", N_("Calls"), 226, _logged_in),
        MenuEntry("/soknader", N_("Applications"), 227, _logged_in),
        MenuEntry("/varsler", N_("Notifications"), 230, _logged_in),
        MenuEntry("/mine-handlinger", N_("My actions"), 235, _logged_in),
        MenuEntry("/leveranser", N_("My deliveries"), 236, _logged_in),
        MenuEntry("/tilskudd", N_("Grants"), 238, _logged_in),
        MenuEntry("/finansiering", N_("Grants dashboard"), 240, _funder_officer),
        MenuEntry("/tilbakeforing", N_("Return of findings"), 241, _return_rates),
    ),
    notices=NOTICES,
    sections={
        "need": "projects.workspace.need_section:need_section",
        "project": "projects.findings.section:project_section",
    },
    tasks=(
        "projects.workspace.tasks:action_tasks",
        "projects.findings.tasks:delivery_tasks",
        "projects.proposal_tasks:proposal_tasks",
        "projects.workspace.handoff_tasks:approval_tasks",
        "projects.workspace.handoff_tasks:milestone_tasks",
        "projects.grants.tasks:report_tasks",
        "projects.grants.funder_tasks:application_tasks",
        "projects.match_tasks:match_tasks",
    ),
    # Approvals and matches are grouped per project and per group in Python: counted by length.
    task_counts={
        "projects.workspace.tasks:action_tasks": "projects.workspace.tasks:action_count",
        "projects.findings.tasks:delivery_tasks": "projects.findings.tasks:delivery_count",
        "projects.proposal_tasks:proposal_tasks": "projects.proposal_tasks:proposal_count",
        "projects.workspace.handoff_tasks:milestone_tasks": (
            "projects.workspace.handoff_tasks:milestone_count"
        ),
        "projects.grants.tasks:report_tasks": "projects.grants.tasks:report_count",
        "projects.grants.funder_tasks:application_tasks": (
            "projects.grants.funder_tasks:application_count"
        ),
    },
    file_users=(
        "projects.workspace.documents:uses_file",
        "projects.findings.outcome_files:uses_file",
    ),
)
