"""Rules of outcomes (pure). The outcomes work extends this module; `publish_blockers` is what
publishing (projects.findings.publishing) checks first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge.errors import FieldError
from klynge.i18n import N_


def publish_blockers(outcome: Mapping[str, Any]) -> list[FieldError]:
    """Why the outcome cannot be published yet (empty: it can). `outcome` is its row."""
    errors: list[FieldError] = []
    if not str(outcome.get("summary") or "").strip():
        errors.append(
            FieldError("summary", N_("Write a plain-language summary before publishing."))
        )
    return errors
