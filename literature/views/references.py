"""One reference with its provenance, the evidence-type correction, splitting an automatic
merge, and the queue of possible duplicates."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    render,
    see_other,
    text,
)
from literature import references
from literature import schemas as s
from literature.views import common as c

REFERENCE_MEMBER = c.requires_cluster_member("reference")


async def _reference_page(
    actor: Principal,
    reference_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    ref = await references.get_reference(actor, reference_id)
    form = failed or Form(
        "evidence", ("evidence_type",), values={"evidence_type": ref.evidence_type.value}
    )
    return render(
        "literature/reference.html",
        ref=ref,
        form=form,
        failed=failed,
        may_manage=c.manages(actor, ref.cluster_id),
        notice=notice,
        here=f"/litteratur/referanser/{reference_id}",
        status=status,
        **c.labels(),
    )


@get(
    "/litteratur/referanser/{reference_id:int}",
    guards=[REFERENCE_MEMBER],
    include_in_schema=False,
    name="lit_reference",
)
async def reference_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], reference_id: FromPath[int]
) -> Template:
    return await _reference_page(
        actor, reference_id, notice=notice_text(request.query_params.get("notice"))
    )


@post(
    "/litteratur/referanser/{reference_id:int}/evidenstype",
    guards=[c.MANAGERS],
    include_in_schema=False,
    name="lit_reference_evidence",
)
async def reference_evidence(
    actor: NamedDependency[Principal],
    reference_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("evidence", ("evidence_type",), values=form_values(data))
    try:
        try:
            chosen = s.EvidenceType(text(data, "evidence_type"))
        except ValueError:
            raise Invalid(
                N_("Some fields need attention."),
                [FieldError("evidence_type", N_("Choose an evidence type."))],
            ) from None
        await references.correct_evidence_type(
            actor, reference_id, s.EvidenceCorrection(evidence_type=chosen)
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _reference_page(actor, reference_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/litteratur/referanser/{reference_id}", notice="literature.evidence-corrected"
    )


@post(
    "/litteratur/kilder/{source_id:int}/skill-ut",
    guards=[c.MANAGERS],
    include_in_schema=False,
    name="lit_source_split",
)
async def source_split(actor: NamedDependency[Principal], source_id: FromPath[int]) -> Redirect:
    out = await references.split_source(actor, source_id)
    return see_other(f"/litteratur/referanser/{out.id}", notice="literature.source-split")


@get("/litteratur/duplikater", guards=[c.MANAGERS], include_in_schema=False, name="lit_duplicates")
async def duplicates_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    return render(
        "literature/duplicates.html",
        open_pairs=await references.list_duplicates(actor, status="open")
        + await references.list_duplicates(actor, status="unmerged"),
        merged=await references.list_duplicates(actor, status="merged"),
        notice=notice_text(request.query_params.get("notice")),
        **c.labels(),
    )


@post(
    "/litteratur/duplikater/{candidate_id:int}",
    guards=[c.MANAGERS],
    include_in_schema=False,
    name="lit_duplicate_decide",
)
async def duplicate_decide(
    actor: NamedDependency[Principal],
    candidate_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Redirect:
    decision = text(data, "decision")
    if decision not in ("merge", "not_duplicate", "unmerge"):
        raise Invalid(N_("Unknown decision."))
    await references.decide_duplicate(actor, candidate_id, s.DuplicateDecision(decision=decision))
    return see_other("/litteratur/duplikater", notice=f"literature.duplicate-{decision}")


HANDLERS = [reference_page, reference_evidence, source_split, duplicates_page, duplicate_decide]
