"""HTML pages of the priorities app: knowledge needs and Blankholm prioritisation rounds.

Thin handlers over priorities.needs and priorities.rounds; every route is left out of the
OpenAPI schema and carries a guard or `opt=PUBLIC`.
"""

from __future__ import annotations

from typing import Any

from priorities.views import need_import, need_page, needs, round_page, rounds, scoring

VIEW_HANDLERS: list[Any] = [
    *needs.HANDLERS,
    *need_import.HANDLERS,
    *need_page.HANDLERS,
    *rounds.HANDLERS,
    *round_page.HANDLERS,
    *scoring.HANDLERS,
]
