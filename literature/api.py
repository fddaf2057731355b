"""The literature app's public interface: the only module other apps may import from it.
Functions and plain data (records, Structs), never tables or views."""

from literature.citations import reference_by_doi
from literature.classify import EvidenceType
from literature.dedup import DedupRecord, find_duplicates
from literature.evidence import SCALES, Scale, normalise_level
from literature.evidence import label as evidence_label
from literature.formats import FormatError, Record
from literature.formats.record import Author, normalise_doi
from literature.import_run import parse_file
from literature.labels import EVIDENCE_LABELS
from literature.measures import create_measure, measure_choices
from literature.scale import load_scale
from literature.schemas import ImportFormat, LinkIn, MeasureCreate
from literature.vocabulary import EvidenceScale

__all__ = [
    "EVIDENCE_LABELS",
    "SCALES",
    "Author",
    "DedupRecord",
    "EvidenceScale",
    "EvidenceType",
    "FormatError",
    "ImportFormat",
    "LinkIn",
    "MeasureCreate",
    "Record",
    "Scale",
    "create_measure",
    "evidence_label",
    "find_duplicates",
    "load_scale",
    "measure_choices",
    "normalise_doi",
    "normalise_level",
    "parse_file",
    "reference_by_doi",
]
