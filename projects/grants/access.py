"""Who may see and do what with a call or an application: pure rules over plain facts, and the
loaders every grants use case starts from (404 for anyone who may not see the thing: another
funder's applications and another cluster's do not admit to existing)."""

from __future__ import annotations

from dataclasses import dataclass

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import Forbidden
from klynge.i18n import N_
from projects.workspace import api as workspace

NO_APPLICATION = N_("No such application.")
NO_CALL = N_("No such call.")


@dataclass(frozen=True, slots=True)
class CallFacts:
    call_id: int
    funder_id: int
    status: str  # draft | published | closed
    is_public: bool


@dataclass(frozen=True, slots=True)
class CallAccess:
    facts: CallFacts
    see: bool
    manage: bool  # the funder's own officers (and admins): edit, publish, close


def decide_call(actor: Principal | None, facts: CallFacts) -> CallAccess:
    manage = actor is not None and (
        actor.is_admin or actor.has(Role.FUNDER_OFFICER, facts.funder_id)
    )
    published = facts.status != "draft"
    see = manage or (published and (actor is not None or facts.is_public))
    return CallAccess(facts, see, manage)


@dataclass(frozen=True, slots=True)
class ApplicationFacts:
    application_id: int
    call_id: int
    funder_id: int
    project_id: int
    cluster_id: int
    status: str  # draft | submitted | changes_requested | granted | declined | withdrawn


@dataclass(frozen=True, slots=True)
class ApplicationAccess:
    facts: ApplicationFacts
    project: workspace.Access
    see: bool
    edit: bool  # the project team, while the application is a draft or sent back
    submit: bool  # the project leader or the adviser
    funder: bool  # the call's funder: comment, score, ask for changes, decide, follow up


EDITABLE = frozenset({"draft", "changes_requested"})


def decide_application(
    actor: Principal | None, facts: ApplicationFacts, project: workspace.Access
) -> ApplicationAccess:
    """The project's own access decides for the applicants; the call's funder sees every
    application to its calls except drafts."""
    funder = actor is not None and (
        actor.is_admin
        or (actor.has(Role.FUNDER_OFFICER, facts.funder_id) and facts.status != "draft")
    )
    editable = facts.status in EDITABLE
    # A funder reads the projects it has applications from, but never another application's
    # draft: only the project's own team (and the cluster) sees a draft.
    funder_only = (
        actor is not None
        and not actor.is_admin
        and bool(actor.org_ids(Role.FUNDER_OFFICER))
        and not (project.edit or project.manage)
        and not (actor.cluster_ids or actor.municipality_ids)
    )
    see = funder or (project.see and not (funder_only and facts.status == "draft"))
    edit = project.edit and editable
    submit = project.manage and editable
    return ApplicationAccess(facts, project, see, edit, submit, funder)


def require_edit(access: ApplicationAccess) -> None:
    if not access.edit:
        raise Forbidden(N_("Only the project team can change the application while it is a draft."))


def require_submit(access: ApplicationAccess) -> None:
    if not access.submit:
        raise Forbidden(N_("Only the project leader or the R&D adviser can do this."))


def require_funder(access: ApplicationAccess) -> None:
    if not access.funder:
        raise Forbidden(N_("Only the call's funder can do this."))


def require_call_manager(access: CallAccess) -> None:
    if not access.manage:
        raise Forbidden(N_("Only the funder's own staff can change the call."))
