"""The findings part's public interface: what the other parts of `projects/` and other apps may
call. Nothing else of findings is imported from outside it.

- `seed_demo_findings(adviser, project_id)`: the demo's outcomes and deliveries (`klynge demo`).
"""

from __future__ import annotations

from projects.findings.demo import seed_demo_findings
from projects.findings.scale import write_findings

__all__ = ["seed_demo_findings", "write_findings"]
