"""The approvals checklist as pure rules: the catalogue of what Norwegian research with children
and services may need, the hints a proposal gives, and what blocks a project from running."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from klynge.i18n import N_


class Kind(StrEnum):
    REK = "rek"
    DATA_PROTECTION = "data_protection"
    CONFIDENTIALITY = "confidentiality"
    CONSENT = "consent"
    OWNER = "owner"
    OTHER = "other"


class ApprovalStatus(StrEnum):
    MISSING = "missing"
    APPLIED = "applied"
    APPROVED = "approved"
    REJECTED = "rejected"


STATUS_LABELS: dict[str, str] = {
    ApprovalStatus.MISSING: N_("Missing"),
    ApprovalStatus.APPLIED: N_("Applied for"),
    ApprovalStatus.APPROVED: N_("Approved"),
    ApprovalStatus.REJECTED: N_("Rejected"),
}

# The catalogue every project starts with: (kind, name, what it is and when it is needed).
CATALOGUE: tuple[tuple[Kind, str, str], ...] = (
    (
        Kind.REK,
        N_("REK approval"),
        N_(
            "The regional committee for medical and health research ethics; required if the "
            "project is health research."
        ),
    ),
    (
        Kind.DATA_PROTECTION,
        N_("Data protection assessment"),
        N_(
            "A notification to Sikt or the municipality's data protection impact assessment (DPIA)."
        ),
    ),
    (
        Kind.CONFIDENTIALITY,
        N_("Exemption from confidentiality"),
        N_(
            "Where data from case files is used: the Public Administration Act § 13 d or the "
            "Health Research Act § 35."
        ),
    ),
    (
        Kind.CONSENT,
        N_("Consent routines"),
        N_(
            "Consent from youth and guardians; in health research children over 16 consent "
            "themselves."
        ),
    ),
    (
        Kind.OWNER,
        N_("School owner or service leader approval"),
        N_("The school owner or the leader of the service agrees to the project."),
    ),
)
NAMES: dict[str, str] = {kind: name for kind, name, _ in CATALOGUE}
HELP: dict[str, str] = {kind: text for kind, _, text in CATALOGUE}
ORDER: dict[str, int] = {kind: i for i, kind in enumerate(Kind)}

# A proposal's "ethics and approvals" choices and the checklist items they name.
PROPOSAL_HINTS: dict[str, Kind] = {
    "rek": Kind.REK,
    "sikt": Kind.DATA_PROTECTION,
    "dpia": Kind.DATA_PROTECTION,
    "bufdir_exemption": Kind.CONFIDENTIALITY,
}
NAMED_IN_PROPOSAL = N_("Named in the proposal.")


def required_by_proposal(ethics: Iterable[str]) -> frozenset[Kind]:
    """The checklist items a proposal's ethics choices mark as required."""
    return frozenset(PROPOSAL_HINTS[e] for e in ethics if e in PROPOSAL_HINTS)


@dataclass(frozen=True, slots=True)
class Item:
    """What the rule needs of one checklist item."""

    kind: str
    required: bool | None  # None: the adviser has not decided
    status: str
    label: str = ""  # the adviser's own name for an item of kind "other"


@dataclass(frozen=True, slots=True)
class Missing:
    """One thing that blocks "running": `problem` is undecided | missing | rejected; `item` is
    the item's name, a msgid for catalogue items (`item_is_msgid`) or the adviser's label."""

    kind: str
    problem: str
    message: str
    item: str
    item_is_msgid: bool


MESSAGES: dict[str, str] = {
    "undecided": N_("The adviser has not decided whether «%(item)s» is required."),
    "missing": N_("«%(item)s» is required and not yet approved."),
    "rejected": N_("«%(item)s» is required and was rejected."),
}


def name_of(item: Item) -> tuple[str, bool]:
    """The item's name and whether it is a msgid (catalogue) or the adviser's own label."""
    if item.kind in NAMES and not item.label:
        return NAMES[item.kind], True
    return item.label or item.kind, False


def problem_of(item: Item) -> str | None:
    """What is wrong with one item for "running", or None."""
    if item.required is None:
        return "undecided"
    if not item.required or item.status == ApprovalStatus.APPROVED:
        return None
    return "rejected" if item.status == ApprovalStatus.REJECTED else "missing"


def missing(items: Iterable[Item]) -> list[Missing]:
    """Everything that blocks "running": undecided items, and required items not approved."""
    found: list[Missing] = []
    for item in sorted(items, key=lambda i: ORDER.get(i.kind, len(ORDER))):
        problem = problem_of(item)
        if problem is None:
            continue
        name, is_msgid = name_of(item)
        found.append(Missing(item.kind, problem, MESSAGES[problem], name, is_msgid))
    return found
