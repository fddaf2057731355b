"""The literature check's screening page as one use case: the check, its records filtered by
state and paged for the title/abstract and full-text lists, conflicts, the records a verdict
may rest on, the PRISMA diagram and the screeners' names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from klynge.auth.principal import Principal
from klynge.i18n import current_language
from klynge.scoping import can_manage_cluster
from literature import check_screening, checks, people, service
from literature import schemas as s


def _review_options(check: s.CheckOut, candidates: list[s.CandidateOut]) -> list[s.ReferenceOut]:
    """Records a verdict may rest on: included at full text, or summarised research; plus the
    reviews already chosen."""
    chosen = {r.reference.id for r in check.reviews}
    out = [
        x.reference
        for x in candidates
        if x.fulltext_state == "include" or x.reference.summarised or x.reference.id in chosen
    ]
    known = {r.id for r in out}
    out += [r.reference for r in check.reviews if r.reference.id not in known]
    return out


PAGE_SIZE = 50  # records per screening list page: a check can have thousands
# ?vis= filter of the screening lists -> the states it shows ("" = all)
SHOW_STATES: dict[str, tuple[str, ...]] = {
    "alle": (),
    "ubehandlet": ("pending",),
    "inkludert": ("include",),
    "usikker": ("uncertain",),
    "ekskludert": ("exclude",),
    "uenighet": ("conflict",),
}


def _paged(items: list[Any], page: int) -> tuple[list[Any], int, int]:
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(page, pages)
    return items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], page, pages


@dataclass
class CheckScreen:
    """What the check's page shows."""

    check: s.CheckOut
    title_stage: list[s.CandidateOut]
    fulltext_stage: list[s.CandidateOut]
    title_count: int
    fulltext_count: int
    title_page: int
    title_pages: int
    ft_page: int
    ft_pages: int
    conflicts: list[tuple[str, s.CandidateOut]]
    manager: bool
    screener: bool
    review_options: list[s.ReferenceOut]
    prisma_svg: str
    names: dict[int, str]


async def check_screen(
    actor: Principal, check_id: int, *, show: str = "alle", page: int = 1, ft_page: int = 1
) -> CheckScreen:
    """The check's page: screening lists filtered by `show` (a SHOW_STATES key) and paged."""
    check = await checks.get_check(actor, check_id)
    candidates = await check_screening.candidates(actor, check_id)
    manager = can_manage_cluster(actor, check.cluster_id)
    wanted = SHOW_STATES.get(show, ())
    title_all = [x for x in candidates if not wanted or x.title_state in wanted]
    fulltext_all = [
        x
        for x in candidates
        if x.title_state in ("include", "uncertain") and (not wanted or x.fulltext_state in wanted)
    ]
    title_stage, title_page, title_pages = _paged(title_all, page)
    fulltext_stage, ft_page, ft_pages = _paged(fulltext_all, ft_page)
    conflicts = [
        (stage, x)
        for x in candidates
        for stage in ("title", "fulltext")
        if (x.title_state if stage == "title" else x.fulltext_state) == "conflict"
    ]
    return CheckScreen(
        check=check,
        title_stage=title_stage,
        fulltext_stage=fulltext_stage,
        title_count=len(title_all),
        fulltext_count=len(fulltext_all),
        title_page=title_page,
        title_pages=title_pages,
        ft_page=ft_page,
        ft_pages=ft_pages,
        conflicts=conflicts,
        manager=manager,
        screener=manager or actor.account_id in check.screeners,
        review_options=_review_options(check, candidates),
        prisma_svg=await service.prisma_svg(actor, check_id, current_language()),
        names=dict(await people.cluster_accounts(check.cluster_id)),
    )
