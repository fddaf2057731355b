"""Status messages of the participants' forms (to register as "projects.<key>")."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "participants-added": N_("The participant was added."),
    "participants-invited": N_(
        "The municipality was invited. It answers on the project's join page."
    ),
    "participants-approved": N_("The request was approved. The municipality now takes part."),
    "participants-declined": N_("The request to join was declined."),
    "participants-contact": N_("The contact person was saved."),
    "participants-removed": N_("The participation has ended."),
    "participants-requested": N_(
        "Your request was sent to the project leader and the cluster's R&D adviser."
    ),
    "participants-accepted": N_("Welcome to the project. Your municipality now takes part."),
    "participants-refused": N_("You declined the invitation."),
}
