"""CSL-JSON out (the inverse of literature.formats.csljson). Pure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from literature.export.bibtex import bibtex_keys
from literature.export.common import (
    clean,
    csl_type,
    keyword_text,
    record_authors,
)
from literature.formats.record import Record


def _csl_item(record: Record, key: str) -> dict[str, Any]:
    item: dict[str, Any] = {"id": key, "type": csl_type(record), "title": clean(record.title)}
    people = []
    for author in record_authors(record):
        if author.given:
            people.append({"family": author.family, "given": author.given})
        else:
            people.append({"literal": author.family})  # organisations
    if people:
        item["author"] = people
    if record.year is not None:
        item["issued"] = {"date-parts": [[record.year]]}
    for name, value in (
        ("container-title", record.container),
        ("volume", record.volume),
        ("issue", record.issue),
        ("page", record.pages),
        ("DOI", record.doi),
        ("PMID", record.pmid),
        ("language", record.language),
        ("URL", record.url),
        ("abstract", record.abstract),
    ):
        text = clean(value)
        if text:
            item[name] = text
    keywords = [text for text in (clean(value) for value in record.keywords) if text]
    if keywords:
        # CSL's keyword is a string; a list only when a keyword itself holds a ";".
        item["keyword"] = (
            keywords if any(";" in value for value in keywords) else keyword_text(keywords)
        )
    return item


def to_csljson(records: Sequence[Record]) -> bytes:
    """A CSL-JSON array (Zotero, pandoc, citeproc), UTF-8 with non-ASCII kept readable."""
    keys = bibtex_keys(records)
    items = [_csl_item(record, key) for record, key in zip(records, keys, strict=True)]
    return json.dumps(items, ensure_ascii=False, indent=2).encode("utf-8")
