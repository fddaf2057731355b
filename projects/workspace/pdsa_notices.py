"""Status messages of the PDSA section (the owner of projects/workspace/notices.py merges them
into the workspace's NOTICES, shown as "projects.<key>")."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "pdsa-cycle-created": N_("The PDSA cycle was created."),
    "pdsa-cycle-saved": N_("The PDSA cycle was saved."),
    "pdsa-measure-created": N_("The measure was added."),
    "pdsa-values-added": N_("The values were added to the run chart."),
}
