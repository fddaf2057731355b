"""Status messages of the workspace pages (registered as "projects.<key>"): each part keeps its
own dict (keys start with the part's name, so parts never collide); this module joins them."""

from klynge.i18n import N_
from projects.workspace.approvals_notices import NOTICES as APPROVALS
from projects.workspace.codesign_notices import NOTICES as CODESIGN
from projects.workspace.documents_notices import NOTICES as DOCUMENTS
from projects.workspace.participants_notices import NOTICES as PARTICIPANTS
from projects.workspace.pdsa_notices import NOTICES as PDSA
from projects.workspace.plan_notices import NOTICES as PLAN

NOTICES: dict[str, str] = {
    "project-saved": N_("The project was saved."),
    **APPROVALS,
    **CODESIGN,
    **DOCUMENTS,
    **PARTICIPANTS,
    **PDSA,
    **PLAN,
}
