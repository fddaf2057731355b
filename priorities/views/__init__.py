"""HTML pages of the priorities app: knowledge needs and Blankholm prioritisation rounds.

Thin handlers over priorities.needs and priorities.rounds; every route is left out of the
OpenAPI schema and carries a guard or `opt=PUBLIC`.
"""

from __future__ import annotations

from typing import Any

from priorities.views import needs, rounds

VIEW_HANDLERS: list[Any] = [*needs.HANDLERS, *rounds.HANDLERS]
