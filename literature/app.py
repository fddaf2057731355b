"""The literature app's declaration: what it brings to the core (found via the `klynge.apps`
entry point)."""

from __future__ import annotations

from klynge.apps import App, MenuEntry
from klynge.auth.principal import Principal
from klynge.i18n import N_
from literature.notices import NOTICES


def _in_a_cluster(user: Principal | None) -> bool:
    return user is not None and bool(user.cluster_ids or user.is_admin)


APP = App(
    name="literature",
    order=20,
    package="literature",
    piccolo_app="literature.piccolo_app",
    routes=("literature.controllers:ROUTE_HANDLERS", "literature.views:VIEW_HANDLERS"),
    job_modules=("literature.imports",),
    commands="literature.cli",
    demo_seed="literature.demo:seed_demo",
    scale="literature.api:load_scale",
    menu=(
        MenuEntry("/litteratur", N_("Literature"), 120, _in_a_cluster),
        MenuEntry("/tiltak", N_("Knowledge bank"), 900),
        MenuEntry("/kunnskap", N_("Research and measures"), 910),
    ),
    notices=NOTICES,
    sections={"need": "literature.sections:need_section"},
    tasks=("literature.tasks:screening_tasks",),
    task_counts={"literature.tasks:screening_tasks": "literature.tasks:screening_task_count"},
)
