"""Use cases behind the need pages: each gathers what one page shows, in one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from klynge import apps, directory
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.errors import Invalid
from klynge.i18n import N_
from klynge.scoping import ensure_cluster_visible
from priorities import need_rules as rules
from priorities import schemas as s
from priorities.need_read import NeedFilter, list_needs, load_visible, merge_choices, need_out
from priorities.needs import submit_need, update_need


@dataclass
class NeedsIndex:
    result: s.NeedPage
    services: list[dict[str, Any]]
    municipalities: list[tuple[int, str]]
    may_submit: bool


async def needs_index(actor: Principal, f: NeedFilter, page: int, per_page: int) -> NeedsIndex:
    """The list page: one page of needs and the choices of its filters."""
    result = await list_needs(
        actor,
        status=f.status,
        service_id=f.service_id,
        municipality_id=f.municipality_id,
        prevention_level=f.prevention_level,
        cross_service=f.cross_service,
        q=f.q,
        page=page,
        per_page=per_page,
    )
    clusters = sorted(actor.cluster_ids) if not actor.is_admin else None
    services: list[dict[str, Any]] = []
    municipalities: dict[int, str] = {}
    for cluster_id in await directory.cluster_names(clusters):
        services += await directory.cluster_services(cluster_id)
        municipalities.update(dict(await directory.member_municipalities(cluster_id)))
    return NeedsIndex(
        result=result,
        services=services,
        municipalities=sorted(municipalities.items(), key=lambda m: m[1]),
        may_submit=access.holds_any(actor, *rules.submitter_roles()),
    )


@dataclass
class NeedForm:
    clusters: dict[int, str]
    cluster_id: int | None
    services: list[dict[str, Any]] = field(default_factory=list)
    municipalities: list[tuple[int, str]] = field(default_factory=list)
    own_services: list[dict[str, Any]] = field(default_factory=list)
    default_service: int | None = None


async def need_form(actor: Principal, cluster_id: int | None) -> NeedForm:
    """The choices of the submit/edit form in one of the caller's clusters."""
    if actor.is_admin:
        clusters = await directory.cluster_names()
    else:
        clusters = await directory.cluster_names(sorted(actor.cluster_ids))
    if cluster_id not in clusters:
        cluster_id = next(iter(clusters), None)
    form = NeedForm(clusters, cluster_id)
    if cluster_id:
        form.services = await directory.cluster_services(cluster_id)
        form.municipalities = await directory.own_municipalities(actor, cluster_id)
        form.own_services = rules.own_services(
            actor, cluster_id, form.services, form.municipalities
        )
        form.default_service = rules.default_service(actor, form.own_services)
    return form


async def editable_need(actor: Principal, need_id: int) -> tuple[s.NeedOut, bool]:
    """The need for the edit form, and whether the caller may edit it."""
    row = await load_visible(actor, need_id)
    return await need_out(row), rules.may_edit(actor, row)


async def save_need(
    actor: Principal,
    need_id: int,
    body: s.NeedUpdate,
    *,
    submit: bool,
) -> s.NeedStatus:
    """The edit form: save, and submit a draft when asked; returns the status it had."""
    need = await need_out(await load_visible(actor, need_id))
    await update_need(actor, need_id, body)
    if submit and need.status == s.NeedStatus.DRAFT:
        await submit_need(actor, need_id)
    return s.NeedStatus(need.status)


@dataclass
class NeedView:
    need: s.NeedOut
    manager: bool
    may_edit: bool
    may_submit: bool
    may_withdraw: bool
    endorse_for: list[tuple[int, str]]
    merge_candidates: list[s.MergeChoice]
    warnings: list[s.Warning]
    import_municipalities: list[tuple[int, str]]
    sections: Any


async def need_view(actor: Principal, need_id: int) -> NeedView:
    """The need's page: the need in detail and what the caller may do with it."""
    row = await load_visible(actor, need_id)
    need = await need_out(row, detail=True)
    manager = rules.may_manage(actor, need.cluster_id)
    submitter = rules.is_submitter(actor, row)
    own = await directory.own_municipalities(actor, need.cluster_id)
    merge_candidates: list[s.MergeChoice] = []
    if manager and need.status not in rules.INACTIVE:
        listed = await merge_choices(actor, need.cluster_id, limit=200)
        merge_candidates = rules.merge_candidates(need, listed)
    warnings: list[s.Warning] = []
    if manager or submitter:
        warnings = rules.check_text({f: getattr(need, f) for f in rules.FREE_TEXT})
    return NeedView(
        need=need,
        manager=manager,
        may_edit=rules.may_edit(actor, row),
        may_submit=need.status == "draft" and (submitter or manager),
        may_withdraw=submitter and need.status in rules.OPEN_FOR_SUBMITTER,
        endorse_for=rules.endorse_for(actor, need, own),
        merge_candidates=merge_candidates,
        warnings=warnings,
        import_municipalities=own,
        sections=await apps.page_sections("need", actor, need_id),
    )


async def needs_template(actor: Principal, cluster_id: int | None) -> bytes:
    """The Excel template with the cluster's services as a dropdown."""
    from priorities.jobs import cluster_services
    from priorities.needs_xlsx import build_template

    if cluster_id is None:
        raise Invalid(N_("Choose the cluster."))
    ensure_cluster_visible(actor, cluster_id)
    services = await cluster_services(cluster_id)
    return build_template([(i, name) for name, i in services.items()])
