"""Status messages of the findings deliveries pages (registered as
"projects.findings-deliveries-..."), and the labels of delivery kinds, states and answers."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "findings-deliveries-published": N_(
        "The outcome is published and delivered to every recipient."
    ),
    "findings-deliveries-publish-refused": N_(
        "The outcome cannot be published yet: write a plain-language summary first."
    ),
    "findings-deliveries-added": N_("The outcome is delivered to the chosen municipalities."),
    "findings-deliveries-add-refused": N_(
        "Choose one or more member municipalities of the cluster to deliver to."
    ),
    "findings-deliveries-read": N_("The delivery is marked as read."),
    "findings-deliveries-answered": N_("Your answer is saved. Thank you!"),
}

LABELS: dict[str, str] = {
    "participant": N_("Taking part"),
    "endorser": N_("Endorsed the need"),
    "asker": N_("Asked the question"),
    "cluster": N_("The cluster"),
    "added": N_("Added by the adviser"),
    "delivered": N_("Delivered"),
    "read": N_("Read"),
    "answered": N_("Answered"),
    "overdue": N_("Overdue"),
    "escalated": N_("Escalated to the adviser"),
    "yes": N_("Yes"),
    "partly": N_("Partly"),
    "no": N_("No"),
    "undecided": N_("Not yet decided"),
}
