"""Literature checks in the browser: the check's page (searches, PRISMA 2020 diagram,
screening at both stages, conflicts, verdict) and its files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)
from literature import check_screen, check_screening, checks, service, verdicts
from literature import schemas as s
from literature.views import common as c
from literature.views.search import _file

CHECK_MEMBER = c.requires_cluster_member("check")
SEARCH_FIELDS = ("source", "query", "searched_on", "hits", "notes")
VERDICT_FIELDS = (
    "verdict",
    "reason_code",
    "certainty",
    "reviews",
    "summary",
    "public",
    "confirm_warnings",
)


# --- the check's page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ListView:
    """Which slice of the screening lists a page shows (kept across a screening POST)."""

    show: str = "alle"
    page: int = 1  # title/abstract list
    ft_page: int = 1  # full-text list

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> ListView:
        show = str(params.get("vis") or "alle")
        return cls(
            show=show if show in check_screen.SHOW_STATES else "alle",
            page=max(1, c.int_or_none(str(params.get("side") or "")) or 1),
            ft_page=max(1, c.int_or_none(str(params.get("ft") or "")) or 1),
        )

    def query(self, **changes: Any) -> str:
        values = {"vis": self.show, "side": self.page, "ft": self.ft_page, **changes}
        return urlencode({k: v for k, v in values.items() if v not in ("alle", 1)})


async def _check_page(
    actor: Principal,
    check_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
    view: ListView | None = None,
) -> Template:
    view = view or ListView()
    screen = await check_screen.check_screen(
        actor, check_id, show=view.show, page=view.page, ft_page=view.ft_page
    )
    check = screen.check
    view = ListView(show=view.show, page=screen.title_page, ft_page=screen.ft_page)
    forms = {
        "search": Form("search", SEARCH_FIELDS),
        "verdict": Form(
            "verdict",
            VERDICT_FIELDS,
            values={
                "verdict": check.verdict.value if check.verdict else "",
                "reason_code": check.reason_code.value if check.reason_code else "",
                "certainty": check.certainty.value if check.certainty else "",
                "summary": check.verdict_summary,
                "reviews": [str(r.reference.id) for r in check.reviews],
                **({"public": "1"} if check.public else {}),
                **{f"certainty_{r.reference.id}": r.certainty for r in check.reviews},
            },
        ),
    }
    if failed is not None:
        forms[failed.id] = failed
    return render(
        "literature/check.html",
        check=check,
        title_stage=screen.title_stage,
        fulltext_stage=screen.fulltext_stage,
        title_count=screen.title_count,
        fulltext_count=screen.fulltext_count,
        title_pages=screen.title_pages,
        ft_pages=screen.ft_pages,
        view=view,
        show_states=list(check_screen.SHOW_STATES),
        conflicts=screen.conflicts,
        forms=forms,
        failed=failed,
        manager=screen.manager,
        screener=screen.screener and check.status == "open",
        review_options=screen.review_options,
        prisma_svg=screen.prisma_svg,
        names=screen.names,
        notice=notice,
        here=f"/litteratursjekker/{check_id}",
        status=status,
        **c.labels(),
    )


@get(
    "/litteratursjekker/{check_id:int}",
    guards=[CHECK_MEMBER],
    include_in_schema=False,
    name="lit_check",
)
async def check_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], check_id: FromPath[int]
) -> Template:
    return await _check_page(
        actor,
        check_id,
        notice=notice_text(request.query_params.get("notice")),
        view=ListView.parse(request.query_params),
    )


@post(
    "/litteratursjekker/{check_id:int}/sok",
    guards=[c.MANAGERS],
    include_in_schema=False,
    name="lit_check_search",
)
async def check_add_search(
    actor: NamedDependency[Principal], check_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("search", SEARCH_FIELDS, values=form_values(data))
    try:
        body = parse(
            s.SearchCreate,
            {k: text(data, k) for k in SEARCH_FIELDS},
            {
                "source": _("Write the source (database) that was searched."),
                "searched_on": _("Write the date as YYYY-MM-DD."),
                "hits": _("Write the number of hits as a whole number."),
                "query": _("The search string can be at most 20,000 characters."),
                "notes": _("At most 10,000 characters."),
            },
        )
        await checks.add_search(actor, check_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _check_page(actor, check_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/litteratursjekker/{check_id}", notice="literature.search-added", fragment="sok"
    )


@post(
    "/litteratursjekker/{check_id:int}/screening",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="lit_check_decide",
)
async def check_decide(
    actor: NamedDependency[Principal], check_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    stage = text(data, "stage") if text(data, "stage") in ("title", "fulltext") else "title"
    reference_id = c.int_or_none(text(data, "reference_id"))
    form_id = f"screen-{stage}-{reference_id}"
    form = Form(form_id, ("decision", "reason", "note"), values=form_values(data))
    try:
        if reference_id is None:
            raise Invalid(N_("Unknown record."))
        if text(data, "decision") not in c.CHOICE_LABELS:
            raise Invalid(
                N_("Some fields need attention."),
                [FieldError("decision", N_("Choose include, exclude or uncertain."))],
            )
        await check_screening.decide(
            actor,
            check_id,
            s.DecisionCreate(
                reference_id=reference_id,
                decision=s.ScreeningChoice(text(data, "decision")),
                stage=s.Stage(stage),
                reason=text(data, "reason")[:200],
                note=text(data, "note")[:10_000],
                reconcile=text(data, "reconcile") == "1",
            ),
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _check_page(
            actor, check_id, failed=form.fail(exc), status=exc.status, view=ListView.parse(data)
        )
    query = ListView.parse(data).query()
    return see_other(
        f"/litteratursjekker/{check_id}" + (f"?{query}" if query else ""),
        notice="literature.decision-saved",
        fragment=form_id,
    )


@post(
    "/litteratursjekker/{check_id:int}/konklusjon",
    guards=[c.MANAGERS],
    include_in_schema=False,
    name="lit_check_verdict",
)
async def check_verdict(
    actor: NamedDependency[Principal], check_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("verdict", VERDICT_FIELDS, values=form_values(data))
    try:
        errors: list[FieldError] = []
        verdict = text(data, "verdict")
        if verdict not in c.VERDICT_LABELS:
            errors.append(
                FieldError("verdict", N_("Choose answered, partly answered or unanswered."))
            )
        code = text(data, "reason_code")
        certainty = text(data, "certainty")
        reviews = []
        for ref_id in c.int_list(data.get("reviews", [])):
            own = text(data, f"certainty_{ref_id}")
            reviews.append(
                s.ReviewIn(
                    reference_id=ref_id,
                    certainty=s.Certainty(own) if own in c.CERTAINTY_LABELS else None,
                )
            )
        if errors:
            raise Invalid(N_("Some fields need attention."), errors)
        await verdicts.set_verdict(
            actor,
            check_id,
            s.VerdictCreate(
                verdict=s.Verdict(verdict),
                reviews=reviews,
                certainty=s.Certainty(certainty) if certainty in c.CERTAINTY_LABELS else None,
                reason_code=s.ReasonCode(code) if code in c.REASON_CODE_LABELS else None,
                summary=text(data, "summary")[:10_000],
                public=text(data, "public") == "1",
                confirm_warnings=text(data, "confirm_warnings") == "1",
            ),
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        for problem in list(exc.errors):
            if problem.field.startswith("reviews."):
                problem.field = "reviews"  # shown beside the list of reviews
        return await _check_page(actor, check_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/litteratursjekker/{check_id}", notice="literature.verdict-saved", fragment="konklusjon"
    )


@post(
    "/litteratursjekker/{check_id:int}/rapport",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="lit_check_report",
)
async def check_report(
    actor: NamedDependency[Principal], check_id: FromPath[int]
) -> Response[bytes]:
    """The DOCX report (a POST form: a download is not a page)."""
    return _file(*await service.check_report(actor, check_id))


@post(
    "/litteratursjekker/{check_id:int}/eksport",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="lit_check_export",
)
async def check_export(
    actor: NamedDependency[Principal], check_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Response[bytes]:
    return _file(
        *await service.export_check(
            actor, check_id, text(data, "format") or "ris", text(data, "selection") or "all"
        )
    )


HANDLERS = [
    check_page,
    check_add_search,
    check_decide,
    check_verdict,
    check_report,
    check_export,
]
