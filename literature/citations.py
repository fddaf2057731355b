"""A reference's record by its DOI, for other parts that cite literature (the findings part
fills an article's citation from the cluster's literature references)."""

from __future__ import annotations

from typing import Any

from klynge.db import json_value
from literature.formats.record import Author, Record, normalise_doi
from literature.tables import Reference


def record_of(row: dict[str, Any]) -> Record:
    """A stored reference as the common record shape."""
    authors = tuple(
        Author(str(a[0]), str(a[1]) if len(a) > 1 else "")
        for a in json_value(row.get("authors"), [])
        if isinstance(a, list | tuple) and a
    )
    return Record(
        title=str(row.get("title") or ""),
        abstract=str(row.get("abstract") or ""),
        authors=authors,
        year=row.get("year"),
        container=str(row.get("container") or ""),
        volume=str(row.get("volume") or ""),
        issue=str(row.get("issue") or ""),
        pages=str(row.get("pages") or ""),
        doi=str(row.get("doi") or ""),
        pmid=str(row.get("pmid") or ""),
        publication_types=tuple(json_value(row.get("publication_types"), [])),
        keywords=tuple(json_value(row.get("keywords"), [])),
        language=str(row.get("language") or ""),
        url=str(row.get("url") or ""),
        raw="",
    )


async def reference_by_doi(cluster_id: int, doi: str) -> Record | None:
    """The cluster's (unmerged) literature reference with this DOI, normalised; None if none."""
    wanted = normalise_doi(doi)
    if not wanted:
        return None
    row = await (
        Reference.select()
        .where(
            Reference.cluster == cluster_id,
            Reference.doi == wanted,
            Reference.merged_into.is_null(),
        )
        .order_by(Reference._meta.primary_key)
        .first()
    )
    return None if row is None else record_of(dict(row))
