"""`klynge match score|evaluate`: the matcher without a database (being built)."""

from __future__ import annotations

from typing import Any


class MatchCommandError(Exception):
    """One line for the user; the core CLI prints it and exits 1."""


COMMAND_ERRORS = (MatchCommandError,)


def register(sub: Any) -> None:
    sub.add_parser("match", help="match needs to research groups (offline)")
