"""The literature app's public interface: the only module other apps may import from it.
Functions and plain data (records, Structs), never tables or views."""

from literature.dedup import DedupRecord, find_duplicates
from literature.formats import FormatError, Record
from literature.formats.record import normalise_doi
from literature.import_run import parse_file
from literature.measures import measure_choices
from literature.schemas import ImportFormat

__all__ = [
    "DedupRecord",
    "FormatError",
    "ImportFormat",
    "Record",
    "find_duplicates",
    "measure_choices",
    "normalise_doi",
    "parse_file",
]
