"""The grants part's public interface: what the other parts of `projects/` (findings) and other
apps may call. Nothing else of grants is imported from outside it."""

from __future__ import annotations

from projects.grants.conditions import Condition, Facts, Result, evaluate
from projects.grants.demo import seed_demo_grants
from projects.grants.money import format_nok, parse_nok
from projects.grants.scale import choose_funders, write_grants

__all__ = [
    "Condition",
    "Facts",
    "Result",
    "choose_funders",
    "evaluate",
    "format_nok",
    "parse_nok",
    "seed_demo_grants",
    "write_grants",
]
