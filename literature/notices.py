"""Status messages the literature pages show after a redirect (registered as "literature.<key>")."""

from klynge.views.common import N_

NOTICES: dict[str, str] = {
    # views/checks.py
    "check-created": N_("The literature check was started."),
    "search-added": N_("The search was added."),
    "decision-saved": N_("The screening decision was saved."),
    "verdict-saved": N_("The verdict was saved and the check is completed."),
    # views/imports.py
    "import-undone": N_("The import was undone."),
    "import-not-undone": N_("Tick the box to confirm that the import shall be undone."),
    "import-cannot-undo": N_(
        "The import cannot be undone: screening has already used its records."
    ),
    # views/measures.py
    "measure-created": N_("The measure was added to the knowledge bank."),
    "measure-adopted": N_("It is recorded that you use the measure."),
    # views/references.py
    "evidence-corrected": N_("The evidence type was corrected."),
    "source-split": N_("The source is a reference of its own again."),
    "duplicate-merge": N_("The records were merged."),
    "duplicate-not_duplicate": N_("The records were marked as not duplicates."),
    "duplicate-unmerge": N_("The merge was undone."),
}
