"""Display labels of the literature part's vocabulary that other parts show too (English
msgids, translated where shown): the evidence types of a reference."""

from __future__ import annotations

from klynge.i18n import N_

EVIDENCE_LABELS: dict[str, str] = {
    "systematic_review": N_("Systematic review"),
    "meta_analysis": N_("Meta-analysis"),
    "overview_of_reviews": N_("Overview of reviews"),
    "scoping_review": N_("Scoping review"),
    "guideline": N_("Guideline"),
    "rct": N_("Randomised controlled trial"),
    "other_primary": N_("Other primary study"),
    "other": N_("Other"),
}
