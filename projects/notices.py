"""Status messages the projects pages show after a redirect (registered as "projects.<key>")."""

from klynge.views.common import N_
from projects.findings.notices import NOTICES as FINDINGS_NOTICES
from projects.grants.notices import NOTICES as GRANTS_NOTICES
from projects.workspace.notices import NOTICES as WORKSPACE_NOTICES

NOTICES: dict[str, str] = {
    # views/groups.py
    "profile-saved": N_("The profile was saved."),
    "publication-added": N_("The publication was added."),
    "curation-saved": N_("The choice of publications was saved."),
    # views/inbox.py
    "interest-saved": N_("The group's interest was registered. The adviser can see it."),
    "decline-saved": N_("The group's decline was registered."),
    # views/matches.py
    "conflict-added": N_("The conflict of interest was registered."),
    "publication-excluded": N_(
        "The publication no longer represents the group. Run matching again to update the matches."
    ),
    # views/notifications.py
    "notification-read": N_("The notification was marked as read."),
    # views/proposals.py
    "proposal-created": N_("The proposal was sent to the cluster's R&D adviser."),
    "proposal-resubmitted": N_("The revised proposal was sent."),
    "proposal-reviewed": N_("The review was saved."),
    **WORKSPACE_NOTICES,
    **GRANTS_NOTICES,
    **FINDINGS_NOTICES,
}
