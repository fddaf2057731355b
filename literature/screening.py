"""Final screening state of a literature check, computed from the decision events.

Pure module: `Decision` events in (one per `ScreeningDecision` row), `Outcome`s out.

Rules (domain.md §3, PRISMA 2020):

- Only the latest decision per (reference, stage, screener) counts; ties on `at` are broken by
  the order of the input (the later one wins), so pass rows ordered by id.
- A reconciled decision (the adviser's final word) always wins, blind or not; the latest
  reconciled decision counts.
- Non-blind (or blind with fewer than two assigned screeners): the latest decision by anyone
  is final.
- Blind with two or more assigned screeners: only the assigned screeners' decisions count. The
  record is decided when every assigned screener has decided and they agree; both "exclude"
  with different reasons still agree on exclude (the first assigned screener's reason is kept,
  all reasons are listed in `Outcome.reasons`). Disagreement is a `conflict`; while some have
  not decided the record is `pending`.
- "uncertain" at the title stage sends the record on to full text like "include" (PRISMA:
  sought for retrieval); blind screeners who say include and uncertain agree on moving it on,
  and the outcome is "uncertain" unless all said include. At full text "uncertain" is
  unresolved: the outcome is `pending` with `uncertain=True` until someone resolves it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "DECISIONS",
    "STAGES",
    "STATES",
    "Decision",
    "Outcome",
    "Waiting",
    "final_decisions",
    "outcomes_by_stage",
    "screen",
    "visible_decisions",
    "waiting",
]

STAGES = ("title", "fulltext")
DECISIONS = ("include", "exclude", "uncertain")
STATES = ("include", "exclude", "uncertain", "conflict", "pending")


@dataclass(frozen=True, slots=True)
class Decision:
    """One screener's decision on one record at one stage (a `ScreeningDecision` row)."""

    reference: int
    stage: str  # title | fulltext
    decision: str  # include | exclude | uncertain
    screener: int | None
    reconciled: bool
    at: datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where a record stands at one stage.

    `state`: include | exclude | uncertain (title stage only: moves on to full text) |
    conflict | pending. `decided_by`: the screeners whose decisions made the outcome (for
    pending and conflict: those who have decided so far). `reasons`: every distinct exclusion
    reason given by the deciding screeners, `reason` the one that counts. `uncertain`: a full
    text record left pending because the (agreed or reconciled) decision is "uncertain".
    """

    state: str
    reason: str = ""
    decided_by: tuple[int | None, ...] = ()
    reasons: tuple[str, ...] = ()
    reconciled: bool = False
    uncertain: bool = False

    @property
    def moves_on(self) -> bool:
        """Title stage: the record is sought for full-text retrieval."""
        return self.state in ("include", "uncertain")

    @property
    def resolved(self) -> bool:
        return self.state in ("include", "exclude", "uncertain")


def final_decisions(decisions: Iterable[Decision]) -> dict[tuple[int, str], list[Decision]]:
    """The latest decision per (reference, stage, screener), grouped by (reference, stage).

    Reconciled decisions are kept apart from ordinary ones: for each (reference, stage) the
    list holds the latest ordinary decision of every screener, then the latest reconciled one.
    """
    ordered = sorted(enumerate(decisions), key=lambda pair: (pair[1].at, pair[0]))
    latest: dict[tuple[int, str, int | None, bool], Decision] = {}
    for _, decision in ordered:
        key = (decision.reference, decision.stage, decision.screener, decision.reconciled)
        latest.pop(key, None)  # re-insert so dict order follows time
        latest[key] = decision
    grouped: dict[tuple[int, str], list[Decision]] = {}
    reconciled: dict[tuple[int, str], Decision] = {}
    for (reference, stage, _, is_reconciled), decision in latest.items():
        if is_reconciled:
            current = reconciled.get((reference, stage))
            if current is None or current.at <= decision.at:
                reconciled[(reference, stage)] = decision
        else:
            grouped.setdefault((reference, stage), []).append(decision)
    for key, decision in reconciled.items():
        grouped.setdefault(key, []).append(decision)
    return grouped


def _single(decision: Decision, *, reconciled: bool = False) -> Outcome:
    reasons = (decision.reason,) if decision.reason else ()
    if decision.stage != "title" and decision.decision == "uncertain":
        return Outcome(
            "pending", "", (decision.screener,), (), reconciled=reconciled, uncertain=True
        )
    return Outcome(
        decision.decision,
        decision.reason if decision.decision == "exclude" else "",
        (decision.screener,),
        reasons if decision.decision == "exclude" else (),
        reconciled=reconciled,
    )


def _blind(stage: str, latest: Sequence[Decision], screeners: Sequence[int]) -> Outcome:
    by_screener = {d.screener: d for d in latest if d.screener in screeners}
    decided = [by_screener[s] for s in screeners if s in by_screener]
    decided_by = tuple(d.screener for d in decided)
    if not decided:
        return Outcome("pending")
    values = {d.decision for d in decided}
    if stage == "title":
        forward = values <= {"include", "uncertain"}
        agree = values == {"exclude"} or forward
    else:
        forward = False
        agree = len(values) == 1
    if len(decided) < len(screeners):
        return Outcome("pending", "", decided_by)
    if not agree:
        return Outcome("conflict", "", decided_by)
    if forward:
        return Outcome("include" if values == {"include"} else "uncertain", "", decided_by)
    value = decided[0].decision
    if value == "uncertain":
        return Outcome("pending", "", decided_by, uncertain=True)
    if value == "exclude":
        reasons = tuple(dict.fromkeys(d.reason for d in decided if d.reason))
        return Outcome(
            "exclude", decided[0].reason or (reasons[0] if reasons else ""), decided_by, reasons
        )
    return Outcome(value, "", decided_by)


def screen(
    decisions: Iterable[Decision],
    *,
    blind: bool,
    screeners: Sequence[int],
    references: Iterable[int] = (),
) -> dict[tuple[int, str], Outcome]:
    """Outcome per (reference, stage) from the decision events of one check.

    Every (reference, stage) with a decision gets an outcome. `references` (the check's unique
    records) adds a `pending` title outcome with no `decided_by` for records nobody has screened,
    and a `pending` full-text outcome for records sent on from the title stage that have no
    full-text decision yet.
    """
    outcomes: dict[tuple[int, str], Outcome] = {}
    use_blind = blind and len(screeners) >= 2
    for (reference, stage), latest in final_decisions(decisions).items():
        reconciled = [d for d in latest if d.reconciled]
        ordinary = [d for d in latest if not d.reconciled]
        if reconciled:
            outcomes[(reference, stage)] = _single(reconciled[-1], reconciled=True)
        elif use_blind:
            outcomes[(reference, stage)] = _blind(stage, ordinary, screeners)
        else:
            newest = max(enumerate(ordinary), key=lambda pair: (pair[1].at, pair[0]))[1]
            outcomes[(reference, stage)] = _single(newest)
    for reference in references:
        title = outcomes.setdefault((reference, "title"), Outcome("pending"))
        if title.moves_on:
            outcomes.setdefault((reference, "fulltext"), Outcome("pending"))
    return outcomes


def visible_decisions(
    decisions: Iterable[Decision],
    viewer: int,
    blind: bool,
    *,
    can_reconcile: bool = False,
) -> list[Decision]:
    """The decisions `viewer` may see.

    While a check is blind, a screener without the right to reconcile sees only their own
    decisions and reconciled ones (the adviser's final word, which settles the record); the
    other screeners' decisions stay hidden so the screening stays independent.
    """
    decisions = list(decisions)
    if not blind or can_reconcile:
        return decisions
    return [d for d in decisions if d.screener == viewer or d.reconciled]


def outcomes_by_stage(
    outcomes: Mapping[tuple[int, str], Outcome], stage: str
) -> dict[int, Outcome]:
    """{reference: outcome} for one stage."""
    return {ref: outcome for (ref, st), outcome in outcomes.items() if st == stage}


@dataclass(frozen=True, slots=True)
class Waiting:
    """What a check's screening still waits for: records a screener has to decide (`mine`),
    records nobody has settled (`open`) and disagreements for the adviser (`conflicts`)."""

    mine: int
    open: int
    conflicts: int


def waiting(outcomes: Mapping[tuple[int, str], Outcome], screener: int, *, blind: bool) -> Waiting:
    """Count what waits in a check's outcomes (from `screen` with its references). While
    screening is blind a record waits for the screener until they have decided it; otherwise
    any pending record waits for every screener."""
    pending = [o for o in outcomes.values() if o.state == "pending"]
    mine = [o for o in pending if not blind or (screener not in o.decided_by and not o.uncertain)]
    conflicts = sum(1 for o in outcomes.values() if o.state == "conflict")
    return Waiting(mine=len(mine), open=len(pending), conflicts=conflicts)
