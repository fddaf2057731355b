"""The priorities app's declaration: what it brings to the core (found via the `klynge.apps`
entry point)."""

from __future__ import annotations

from klynge.apps import App, CronJob, MenuEntry
from klynge.auth.principal import Principal
from klynge.i18n import N_
from priorities.notices import NOTICES


def _in_a_cluster(user: Principal | None) -> bool:
    return user is not None and bool(user.cluster_ids or user.is_admin)


APP = App(
    name="priorities",
    order=10,
    package="priorities",
    piccolo_app="priorities.piccolo_app",
    routes=("priorities.controllers:ROUTE_HANDLERS", "priorities.views:VIEW_HANDLERS"),
    job_modules=("priorities.jobs", "priorities.round_reminders"),
    # Hourly in the working day: a round closing in two days reminds its unfinished raters
    # (once per round and rater), early enough even when the app was down at the first tick.
    cron_jobs=(
        CronJob("remind_round_raters", hour=frozenset(range(7, 17)), minute=frozenset({20})),
    ),
    demo_seed="priorities.demo:seed_demo",
    scale="priorities.api:load_scale",
    menu=(
        MenuEntry("/behov", N_("Knowledge needs"), 100, _in_a_cluster),
        MenuEntry("/runder", N_("Prioritisation rounds"), 110, _in_a_cluster),
    ),
    notices=NOTICES,
    tasks=("priorities.tasks:triage_tasks", "priorities.tasks:scoring_tasks"),
    task_counts={
        "priorities.tasks:triage_tasks": "priorities.tasks:triage_count",
        "priorities.tasks:scoring_tasks": "priorities.tasks:scoring_count",
    },
)
