"""The project workspace's public interface: what the other parts of `projects/` (proposals,
matching, grants, findings) and other apps may call. Nothing else of the workspace is imported
from outside it."""

from __future__ import annotations

from projects.workspace.projects import create_project, list_projects, notify_matched

__all__ = ["create_project", "list_projects", "notify_matched"]
