"""Status messages of the documents' forms (to register as "projects.<key>")."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "documents-uploaded": N_("The document was uploaded."),
    "documents-deleted": N_("The document was deleted."),
}
