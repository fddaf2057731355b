"""The project workspace's public interface: what the other parts of `projects/` (proposals,
matching, grants, findings) and other apps may call. Nothing else of the workspace is imported
from outside it.

- `load_access(actor, project_id) -> Access` (404 for those who may see nothing) and the pure
  `decide(actor, ProjectFacts) -> Access`; `require_see/edit/manage/advise(access)`.
- `project_summary(project_id) -> ProjectOverview`: the overview as plain data, no access check.
- `list_projects(actor, cluster_id=None)`: the caller's visible projects.
- `visible_where(actor)`: the SQL filter of the projects a caller sees (None = all).
- `open_actions_for(account_id)`: an account's open follow-up actions across projects.
- `grant_facts(project_id)`: participant counts and the approvals checklist (grants).
- `md_escape`: the DOCX export's Markdown escaping, for other exports (klynge.documents writes
  the DOCX).
- `seed_demo_projects(...)`: the demo's three projects (`klynge demo`).
"""

from __future__ import annotations

from projects.workspace.access import (
    Access,
    ProjectFacts,
    decide,
    require_advise,
    require_edit,
    require_manage,
    require_see,
)
from projects.workspace.codesign_actions import open_actions_for
from projects.workspace.demo import seed_workspace as seed_demo_projects
from projects.workspace.description_md import md_escape
from projects.workspace.grant_facts import GrantFacts, grant_facts
from projects.workspace.listing import visible_where
from projects.workspace.loading import load_access, load_facts
from projects.workspace.overview import project_summary
from projects.workspace.overview_rules import STATUS_LABELS, STATUSES
from projects.workspace.project_schemas import NamedRef, ProjectListItem, ProjectOverview
from projects.workspace.projects import (
    add_project_funder,
    create_project,
    list_projects,
    notify_matched,
)
from projects.workspace.scale import write_workspaces

__all__ = [
    "STATUSES",
    "STATUS_LABELS",
    "Access",
    "GrantFacts",
    "NamedRef",
    "ProjectFacts",
    "ProjectListItem",
    "ProjectOverview",
    "add_project_funder",
    "create_project",
    "decide",
    "grant_facts",
    "list_projects",
    "load_access",
    "load_facts",
    "md_escape",
    "notify_matched",
    "open_actions_for",
    "project_summary",
    "require_advise",
    "require_edit",
    "require_manage",
    "require_see",
    "seed_demo_projects",
    "visible_where",
    "write_workspaces",
]
