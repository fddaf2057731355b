"""Reasons the code itself writes into a need's history and status ("Submitted", "Part of the
priority round «X»"): stored as the English text of a msgid and shown in the reader's language.
Reasons people write are stored and shown as written. Rows written before (in bokmål) are
recognised too and shown in the reader's language. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping

from klynge.i18n import N_, gettext

CREATED = N_("Created")
EDITED = N_("Edited")
SUBMITTED = N_("Submitted")
WITHDRAWN = N_("Withdrawn by the submitter")
IN_ROUND = N_("Part of the priority round «%(name)s»")
MERGED_INTO = N_("Merged with need %(id)s")
MERGED_HERE = N_("Need %(id)s merged into this one")
PROPOSAL_ACCEPTED = N_("Project proposal %(id)s is accepted")
CHECK_ANSWERED = N_("Literature check %(id)s: answered")
CHECK_PARTLY = N_("Literature check %(id)s: partly answered")
CHECK_UNANSWERED = N_("Literature check %(id)s: unanswered")
CHECK_VERDICTS = {
    "answered": CHECK_ANSWERED,
    "partly": CHECK_PARTLY,
    "unanswered": CHECK_UNANSWERED,
}
KNOWN = (
    CREATED, EDITED, SUBMITTED, WITHDRAWN, IN_ROUND, MERGED_INTO, MERGED_HERE,
    PROPOSAL_ACCEPTED, CHECK_ANSWERED, CHECK_PARTLY, CHECK_UNANSWERED,
)  # fmt: skip
# The bokmål texts stored before the reasons were msgids.
LEGACY = {
    "Opprettet": CREATED,
    "Endret": EDITED,
    "Sendt inn": SUBMITTED,
    "Trukket av innsender": WITHDRAWN,
    "Med i prioriteringsrunden «%(name)s»": IN_ROUND,
    "Slått sammen med behov %(id)s": MERGED_INTO,
    "Behov %(id)s slått sammen hit": MERGED_HERE,
    "Prosjektforslag %(id)s er godtatt": PROPOSAL_ACCEPTED,
    "Litteratursjekk %(id)s: besvart": CHECK_ANSWERED,
    "Litteratursjekk %(id)s: delvis besvart": CHECK_PARTLY,
    "Litteratursjekk %(id)s: ubesvart": CHECK_UNANSWERED,
}
_PARAM = re.compile(r"%\((\w+)\)s")


def _pattern(text: str) -> re.Pattern[str]:
    parts = _PARAM.split(text)  # literal, name, literal, name, ..., literal
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+)" for i, part in enumerate(parts)
    )
    return re.compile(regex, re.DOTALL)


_PATTERNS = [(_pattern(m), m) for m in KNOWN] + [(_pattern(t), m) for t, m in LEGACY.items()]


def reason(msgid: str, **params: str | int) -> str:
    """The stored text of a code-written reason (English)."""
    return msgid % params if params else msgid


def parse(stored: str) -> tuple[str, Mapping[str, str]] | None:
    """The msgid and params of a code-written reason; None for a reason a person wrote."""
    for pattern, msgid in _PATTERNS:
        found = pattern.fullmatch(stored)
        if found:
            return msgid, found.groupdict()
    return None


def show(stored: str) -> str:
    """A reason as the reader reads it: code-written ones translated, others as written."""
    known = parse(stored)
    if known is None:
        return stored
    msgid, params = known
    return gettext(msgid) % params if params else gettext(msgid)
