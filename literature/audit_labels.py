"""The literature app's labels for the audit log (see klynge.audit_labels): every event name it
records, its object types and the code values its changes hold ("not_retrieved")."""

from __future__ import annotations

from klynge.i18n import N_
from literature.views.common import (
    CHECK_STATUS_LABELS,
    EVIDENCE_LABELS,
    IMPORT_STATUS_LABELS,
    VERDICT_LABELS,
)

ACTIONS: dict[str, str] = {
    "literature.check.create": N_("Literature check created"),
    "literature.check.verdict": N_("Literature check verdict given"),
    "literature.duplicate.merge": N_("Duplicates merged"),
    "literature.duplicate.not_duplicate": N_("Marked as not duplicates"),
    "literature.duplicate.unmerge": N_("Duplicates separated again"),
    "literature.duplicate.split": N_("Source split off a reference"),
    "literature.import": N_("References imported"),
    "literature.import.undo": N_("Reference import undone"),
    "literature.measure.create": N_("Measure created from the literature"),
    "literature.measure.adopt": N_("Measure adopted"),
    "literature.reference.evidence_type": N_("Evidence type of a reference set"),
}
OBJECTS: dict[str, str] = {
    "literature_check": N_("Literature check"),
    "literature_duplicate": N_("Possible duplicate"),
    "literature_import": N_("Reference import"),
    "literature_measure": N_("Measure"),
    "literature_adoption": N_("Adoption of a measure"),
    "literature_reference": N_("Reference"),
    "literature_reference_source": N_("Source of a reference"),
}
VALUES: dict[str, str] = {
    "not_retrieved": N_("Report not retrieved"),
    **VERDICT_LABELS,
    **EVIDENCE_LABELS,
    **CHECK_STATUS_LABELS,
    **IMPORT_STATUS_LABELS,
}
