"""Parsers for reference files: RIS, BibTeX, PubMed MEDLINE, CSL-JSON and spreadsheets.

Pure code: no database, no network. Each `parse` returns a ParseResult (records, problems per
broken record, records read) or raises FormatError when the file is not the format at all.
"""

from literature.formats.record import (
    Author,
    FormatError,
    ParseResult,
    Problem,
    Record,
    normalise_doi,
)

__all__ = ["Author", "FormatError", "ParseResult", "Problem", "Record", "normalise_doi"]
