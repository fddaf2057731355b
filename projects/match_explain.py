"""A stored match's explanation: written as data when matching runs (the publications that drove
it with their similarity to the need, the shared terms, the parts of the score, the summary's
parameters), and worded when it is read, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from klynge.i18n import N_, gettext, ngettext
from projects import schemas as s
from projects.matching import Explanation, factors


def explanation_json(
    explanation: Explanation,
    combined: factors.Combined,
    group: s.GroupOut,
    km: float | None,
    pub_ids: Sequence[int],
) -> dict[str, Any]:
    """What a match stores: data only (no sentence: that is worded when read)."""
    return {
        "summary_params": explanation.summary_params(),
        "language": explanation.need_language,
        "shared": [
            {
                "label": t.label,
                "kind": t.kind,
                "need_forms": list(t.need_forms),
                "group_forms": list(t.group_forms),
                "contribution": round(t.contribution, 4),
            }
            for t in explanation.shared
        ],
        # Best first: the group's publications closest to the need (cosine similarity).
        "publications": [
            {
                "id": pub_ids[p.index] if p.index < len(pub_ids) else None,
                "title": p.title,
                "year": p.year,
                "score": round(p.score, 4),
            }
            for p in explanation.driving_publications
        ],
        "parts": {k: round(v, 4) for k, v in combined.parts.items()},
        "contributions": {k: round(v, 4) for k, v in combined.contributions().items()},
        "methods": group.methods,
        "service_types": group.service_types,
        "capacity_left": group.capacity_left,
        "distance_km": None if km is None else round(km, 1),
    }


def summary_text(params: Mapping[str, Any]) -> str:
    """The one plain sentence, in the current language: what drove the match."""
    count = int(params.get("publications") or 0)
    terms = [str(t) for t in params.get("terms") or []]
    values = {"num": count, "title": str(params.get("title") or ""), "terms": ", ".join(terms)}
    if count and terms:
        text = ngettext(
            "Matched mainly on %(num)s publication, «%(title)s», and the shared terms %(terms)s.",
            "Matched mainly on %(num)s publications, the closest «%(title)s», and the shared "
            "terms %(terms)s.",
            count,
        )
    elif count:
        text = ngettext(
            "Matched mainly on %(num)s publication, «%(title)s».",
            "Matched mainly on %(num)s publications, the closest «%(title)s».",
            count,
        )
    elif terms:
        text = gettext(N_("Matched on the group's profile and the shared terms %(terms)s."))
    else:
        text = gettext(N_("Matched on the group's profile."))
    return text % values


def worded(explanation: Mapping[str, Any], excluded: set[int]) -> dict[str, Any]:
    """A stored explanation for the reader: its sentence in their language, and the
    publications excluded from the group's profile since the run marked as such."""
    params = explanation.get("summary_params")
    publications = [
        {**p, "excluded": p.get("id") in excluded} for p in explanation.get("publications") or []
    ]
    return {
        **explanation,
        # Runs before the sentence was worded when read stored it in bokmål: left out.
        "summary": summary_text(params) if isinstance(params, Mapping) else "",
        "publications": publications,
    }


def publication_ids(explanations: Sequence[Mapping[str, Any]]) -> list[int]:
    return sorted(
        {
            int(p["id"])
            for e in explanations
            for p in e.get("publications") or []
            if isinstance(p.get("id"), int)
        }
    )
