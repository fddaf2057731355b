"""Screening use cases of a literature check: the records with their screening state (blind
screening respected) and one screener's decision."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from klynge import privacy
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster
from literature import references, screening
from literature import schemas as s
from literature.checks import _decisions, _load, _prisma, candidate_ids
from literature.tables import ScreeningDecision


def _may_screen(actor: Principal, row: Mapping[str, Any]) -> bool:
    screeners = [int(i) for i in json_value(row["screeners"], [])]
    return can_manage_cluster(actor, row["cluster"]) or actor.account_id in screeners


async def candidates(
    actor: Principal, check_id: int, *, stage: str | None = None, state: str | None = None
) -> list[s.CandidateOut]:
    """The check's unique records with their screening state; while screening is blind a
    screener sees only their own decisions (the adviser sees all, to reconcile)."""
    row = await _load(actor, check_id)
    decision_rows = await _decisions(check_id)
    _, outcomes, unique = await _prisma(row, decision_rows)
    manager = can_manage_cluster(actor, row["cluster"])
    visible_rows = _visible_rows(decision_rows, actor.account_id, row["blind"], manager)
    refs = {r.id: r for r in await references.load_many(unique)}
    out = []
    for ref_id in unique:
        title = outcomes.get((ref_id, "title"), screening.Outcome("pending"))
        full = outcomes.get((ref_id, "fulltext"), screening.Outcome("pending"))
        if stage == "fulltext" and not title.moves_on:
            continue
        if state is not None and (full if stage == "fulltext" else title).state != state:
            continue
        if ref_id not in refs:
            continue
        out.append(
            s.CandidateOut(
                reference=refs[ref_id],
                title_state=title.state if not row["blind"] or manager else _own(title, actor),
                fulltext_state=full.state if not row["blind"] or manager else _own(full, actor),
                title_reason=title.reason,
                fulltext_reason=full.reason,
                decisions=[_decision_out(d) for d in visible_rows if d["reference"] == ref_id],
            )
        )
    return out


def _own(outcome: screening.Outcome, actor: Principal) -> str:
    # While blind, a screener learns only whether the record is settled, not others' votes.
    if outcome.state == "conflict":
        return "pending"
    return outcome.state


def _visible_rows(
    rows: Sequence[Mapping[str, Any]], viewer: int, blind: bool, manager: bool
) -> list[Mapping[str, Any]]:
    if not blind or manager:
        return list(rows)
    return [r for r in rows if r["screener"] == viewer]


def _decision_out(row: Mapping[str, Any]) -> s.DecisionOut:
    return s.DecisionOut(
        id=row["id"],
        reference_id=row["reference"],
        stage=s.Stage(row["stage"]),
        decision=s.ScreeningChoice(row["decision"]),
        reason=row["reason"],
        note=row["note"],
        screener_id=row["screener"],
        reconciled=row["reconciled"],
        created_at=row["created_at"],
    )


async def decide(actor: Principal, check_id: int, data: s.DecisionCreate) -> s.DecisionOut:
    """Record one screening decision (include / exclude / uncertain, with a reason)."""
    async with transaction():
        row = await _load(actor, check_id)
        if not _may_screen(actor, row):
            raise Forbidden(N_("You are not a screener in this literature check."))
        if data.reconcile and not can_manage_cluster(actor, row["cluster"]):
            raise Forbidden(N_("Only the R&D adviser can settle disagreement between screeners."))
        if row["status"] != "open":
            raise Conflict(N_("The literature check is closed; screening is locked."))
        privacy.guard_text({"note": data.note})
        errors = []
        if data.reference_id not in await candidate_ids(check_id):
            errors.append(
                FieldError("reference_id", N_("The reference does not belong to this check."))
            )
        reasons = [str(r) for r in json_value(row["exclusion_reasons"], [])]
        reason = " ".join(data.reason.split())
        if data.decision is s.ScreeningChoice.EXCLUDE:
            if data.stage is s.Stage.FULLTEXT and not reason:
                errors.append(FieldError("reason", N_("Choose a reason for exclusion.")))
            if reason and reason not in reasons:
                errors.append(FieldError("reason", N_("Unknown exclusion reason for this check.")))
        elif reason:
            reason = ""  # a reason belongs to an exclusion only
        if data.stage is s.Stage.FULLTEXT and not errors:
            title = await _title_outcome(row, data.reference_id)
            if not title.moves_on:
                errors.append(
                    FieldError(
                        "stage",
                        N_("Include the record at title/abstract before its full-text assessment."),
                    )
                )
        if errors:
            raise Invalid(N_("The decision cannot be saved."), errors)
        inserted = await ScreeningDecision.insert(
            ScreeningDecision(
                check=check_id,
                reference=data.reference_id,
                stage=data.stage.value,
                decision=data.decision.value,
                reason=reason,
                note=data.note,
                screener=actor.account_id,
                reconciled=data.reconcile,
            )
        ).returning(ScreeningDecision.id)
        stored = (
            await ScreeningDecision.select()
            .where(ScreeningDecision.id == inserted[0]["id"])
            .first()
        )
        assert stored is not None
    return _decision_out(stored)


async def _title_outcome(row: Mapping[str, Any], reference_id: int) -> screening.Outcome:
    _, outcomes, _ = await _prisma(row, await _decisions(row["id"]))
    return outcomes.get((reference_id, "title"), screening.Outcome("pending"))
