"""The findings part's public interface: what the other parts of `projects/` and other apps may
call. Nothing else of findings is imported from outside it.

- `seed_demo_findings()`: the demo's outcomes and deliveries (`klynge demo`).
"""

from __future__ import annotations

__all__: list[str] = []
