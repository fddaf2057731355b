"""API of the literature app: imports, references and search, duplicates, literature checks,
the knowledge bank of measures, exports, and the public portal's read-only endpoints."""

from __future__ import annotations

from literature.controllers.checks import CheckController
from literature.controllers.imports import ImportController
from literature.controllers.measures import MeasureController
from literature.controllers.public import PublicLiteratureController
from literature.controllers.references import ReferenceController

ROUTE_HANDLERS = [
    ImportController,
    ReferenceController,
    CheckController,
    MeasureController,
    PublicLiteratureController,
]
