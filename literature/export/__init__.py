"""Reference files out: RIS, BibTeX, CSL-JSON and Excel (.xlsx), the inverse of `formats`.

Pure code: no database, no network. Every exporter takes normalised `Record`s and returns the
file as bytes. Importing an export with the matching parser in `literature.formats` gives back
records equal to the originals in every normalised field (`raw` aside), with these limits of
the formats themselves:

* Publication types. RIS keeps them all (TY plus one M3 line each) and so does .xlsx; an empty
  list comes back from RIS as the type its TY code names ("Journal Article", "Generic").
  CSL-JSON and BibTeX carry one type from a fixed vocabulary: the first type that maps to a
  CSL type (`csl_type`), and BibTeX only those with an entry type of their own
  (`BIBTEX_ENTRY_TYPES`; the rest become @misc, which comes back without a type).
* BibTeX language goes through pandoc's `langid`, which lower-cases codes ("en-US" becomes
  "en-us") and turns babel names into codes ("english" becomes "en-US"). Family names with an
  apostrophe particle come back spaced ("d'Alembert" as "d' Alembert"), and a comma inside a
  given name is read as a name suffix and lost.
* Author names in RIS and .xlsx are "Family, Given": a comma inside a family name (or, in
  .xlsx, a ";" anywhere in a name) splits it differently on the way back.
* A keyword containing ";" is split in RIS, BibTeX and .xlsx (CSL-JSON then writes a list).
* URLs and DOIs containing "{" or "}" have those percent-encoded in BibTeX.
* Pages with an en dash come back with a hyphen from CSL-JSON and BibTeX (csljson.py's rule).
* Records without a title are written but skipped on import (every parser requires a title);
  authors with neither family nor given name are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from literature.export.bibtex import bibtex_keys, to_bibtex
from literature.export.common import BIBTEX_ENTRY_TYPES, csl_type
from literature.export.csljson import to_csljson
from literature.export.ris import to_ris
from literature.export.xlsx import XLSX_COLUMNS, to_xlsx
from literature.formats.record import Record

__all__ = [
    "BIBTEX_ENTRY_TYPES",
    "EXPORTERS",
    "XLSX_COLUMNS",
    "bibtex_keys",
    "csl_type",
    "to_bibtex",
    "to_csljson",
    "to_ris",
    "to_xlsx",
]

Exporter = Callable[[Sequence[Record]], bytes]

EXPORTERS: dict[str, tuple[Exporter, str, str]] = {
    "ris": (to_ris, "application/x-research-info-systems", "ris"),
    "bibtex": (to_bibtex, "application/x-bibtex", "bib"),
    "csljson": (to_csljson, "application/vnd.citationstyles.csl+json", "json"),
    "xlsx": (
        to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}
