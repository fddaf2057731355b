"""RIS out (the inverse of literature.formats.ris). Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence

from literature.export.common import (
    CSL_TO_RIS,
    clean,
    csl_type,
    family_given,
    fold_type,
    record_authors,
)
from literature.formats.record import Record

_RIS_NAMED = {
    "journalarticle": "JOUR",
    "magazinearticle": "MGZN",
    "newspaperarticle": "NEWS",
    "book": "BOOK",
    "booksection": "CHAP",
    "conferenceproceedings": "CONF",
    "conferencepaper": "CPAPER",
    "report": "RPRT",
    "governmentdocument": "GOVDOC",
    "thesis": "THES",
    "webpage": "ELEC",
    "dataset": "DATA",
    "generic": "GEN",
}
_PAGE_RANGE = re.compile(r"([^\s-]+)-([^\s-]+)")


def _ris_type(record: Record) -> str:
    for value in record.publication_types:
        code = _RIS_NAMED.get(fold_type(value))
        if code:
            return code
    return CSL_TO_RIS.get(csl_type(record), "GEN")


def _ris_record(record: Record) -> list[str]:
    lines: list[tuple[str, str]] = [("TY", _ris_type(record)), ("TI", record.title)]
    lines += [("AU", family_given(author)) for author in record_authors(record)]
    if record.year is not None:
        lines.append(("PY", str(record.year)))
    lines += [("T2", record.container), ("VL", record.volume), ("IS", record.issue)]
    pages = clean(record.pages)
    split = _PAGE_RANGE.fullmatch(pages)
    if split and split.group(1) != split.group(2):
        lines += [("SP", split.group(1)), ("EP", split.group(2))]
    else:
        lines.append(("SP", pages))  # ris.py reads a lone SP as the whole page field
    lines += [("DO", record.doi), ("AN", record.pmid)]
    lines += [("M3", value) for value in record.publication_types]
    lines += [("KW", value) for value in record.keywords]
    lines += [("LA", record.language), ("UR", record.url), ("AB", record.abstract)]
    out = []
    for tag, value in lines:
        text = clean(value)
        if text or tag == "TY":
            out.append(f"{tag}  - {text}")
    out.append("ER  - ")
    return out


def to_ris(records: Sequence[Record]) -> bytes:
    """RIS as written by EndNote and Zotero: UTF-8, CRLF, a blank line between records."""
    blocks = ["\r\n".join(_ris_record(record)) for record in records]
    return ("\r\n\r\n".join(blocks) + "\r\n").encode("utf-8") if blocks else b""
