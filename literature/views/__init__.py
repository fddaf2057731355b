"""HTML pages of the literature app: reference search and imports, duplicates, literature
checks with screening and verdict, the knowledge bank of measures, and the public portal.

Thin handlers over the literature use cases; every route is left out of the OpenAPI schema
and carries a guard or `opt=PUBLIC`.
"""

from __future__ import annotations

from typing import Any

from literature.views import check_new, checks, imports, measures, portal, references, search

VIEW_HANDLERS: list[Any] = [
    *search.HANDLERS,
    *imports.HANDLERS,
    *references.HANDLERS,
    *check_new.HANDLERS,
    *checks.HANDLERS,
    *measures.HANDLERS,
    *portal.HANDLERS,
]
