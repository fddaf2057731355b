"""An article's citation: from the cluster's literature reference with the same DOI (the
literature part's record model), or from a citation pasted as RIS or BibTeX."""

from __future__ import annotations

from typing import Any

from klynge.errors import FieldError, Invalid
from klynge.i18n import N_
from literature import api as literature
from projects.findings.outcomes_rules import BAD_DOI, citation_of

UNREADABLE = N_("We could not read the citation. Paste it as RIS or BibTeX.")


def clean_doi(value: str) -> str:
    """The normalised DOI; "" stays ""; a malformed one is a 422 on the field."""
    if not value.strip():
        return ""
    doi = literature.normalise_doi(value)
    if not doi:
        raise Invalid(N_("Some fields need attention."), [FieldError("doi", BAD_DOI)])
    return str(doi)


def parse_pasted(text: str) -> tuple[dict[str, Any], str]:
    """(citation, DOI) of the first record of a pasted RIS or BibTeX citation."""
    fmt = literature.ImportFormat.BIBTEX if text.lstrip().startswith("@") else None
    fmt = fmt or literature.ImportFormat.RIS
    try:
        result = literature.parse_file(text.encode("utf-8"), fmt, "citation")
    except literature.FormatError:
        result = None
    if result is None or not result.records:
        raise Invalid(N_("Some fields need attention."), [FieldError("citation_text", UNREADABLE)])
    record = result.records[0]
    return citation_of(record), str(record.doi or "")


async def resolve(
    cluster_id: int, doi: str, pasted: str, citation: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """(DOI, citation) of an outcome: a pasted citation wins; else, with a DOI and no
    citation, the cluster's literature record of that DOI fills it."""
    doi = clean_doi(doi)
    if pasted.strip():
        citation, found = parse_pasted(pasted)
        doi = doi or clean_doi(found) if found else doi
    if doi and not citation.get("title"):
        record = await literature.reference_by_doi(cluster_id, doi)
        if record is not None:
            citation = citation_of(record)
    return doi, citation
