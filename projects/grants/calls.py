"""Calls by funders: created, edited, published and closed by the funder's own officers; seen by
every logged-in user once published, and by anyone on the portal when public."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import msgspec

from klynge import audit
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.orgs.schemas import SERVICE_TYPE_LABELS
from klynge.orgs.tables import Cluster, Funder
from literature import api as literature
from projects.grants import calls_rules as rules
from projects.grants import calls_schemas as s
from projects.grants.access import CallFacts, decide_call, require_call_manager
from projects.grants.conditions import CATALOGUE, Kind
from projects.grants.loading import load_call_access
from projects.grants.money import format_nok, parse_nok
from projects.grants.tables import Call

NOT_YOUR_FUNDER = N_("Choose one of the funders you work for.")
NOT_AN_AMOUNT = N_("Write an amount in kroner, e.g. 1 500 000.")
UNKNOWN_CLUSTER = N_("Choose clusters from the list.")
UNKNOWN_MEASURE = N_("Choose measures from the knowledge bank.")
FIXED = N_("A published call keeps its money, applicants and conditions.")
NOT_DRAFT = N_("Only a draft can be published.")
NOT_PUBLISHED = N_("Only a published call can be closed.")
CLOSED_CALL = N_("A closed call cannot be changed.")
CHECK = N_("Some fields need attention.")
JSON_FIELDS = (
    "eligible_kinds", "eligible_cluster_ids", "measure_ids", "service_areas", "conditions",
    "report_schedule", "criteria",
)  # fmt: skip


def _amount(field: str, text: str) -> int:
    try:
        return parse_nok(text)
    except ValueError:
        raise Invalid(CHECK, [FieldError(field, NOT_AN_AMOUNT)]) from None


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, **{k: json_value(row[k], []) for k in JSON_FIELDS}}


def _raise(problems: list[rules.Problem]) -> None:
    if problems:
        raise Invalid(CHECK, [FieldError(p.field, p.message, params=p.params) for p in problems])


def approval_names() -> dict[str, str]:
    return {k: _(v) for k, v in rules.APPROVAL_KINDS.items()}


def condition_out(item: Mapping[str, Any]) -> s.ConditionOut:
    kind = Kind(item["kind"])
    message, params = rules.in_words(kind, item.get("params") or {}, approval_names())
    return s.ConditionOut(
        kind=kind.value,
        name=_(CATALOGUE[kind][0]),
        params=dict(item.get("params") or {}),
        hard=bool(item.get("hard", True)),
        text=_(message) % params,
    )


async def _names(table: Any, ids: list[int]) -> list[s.NamedRef]:
    if not ids:
        return []
    rows = await table.select(table.id, table.name).where(table.id.is_in(ids))
    return [s.NamedRef(r["id"], r["name"]) for r in rows]


async def _out(
    row: dict[str, Any], actor: Principal | None, measures: dict[int, str], today: dt.date
) -> s.CallOut:
    row = _row(row)
    status_label = rules.STATUS_LABELS[row["status"]]
    access = decide_call(
        actor, CallFacts(row["id"], row["funder"], row["status"], row["is_public"])
    )
    return s.CallOut(
        id=row["id"],
        funder=s.NamedRef(row["funder"], row["funder.name"]),
        title=row["title"],
        description=row["description"],
        status=row["status"],
        status_label=_(status_label),
        is_open=rules.is_open(row["status"], row["opens_on"], row["closes_on"], today),
        is_public=bool(row["is_public"]),
        opens_on=row["opens_on"],
        closes_on=row["closes_on"],
        budget_ore=row["budget_ore"],
        budget=format_nok(row["budget_ore"]),
        max_per_application_ore=row["max_per_application_ore"],
        max_per_application=format_nok(row["max_per_application_ore"]),
        eligible_kinds=list(row["eligible_kinds"]),
        eligible_clusters=await _names(Cluster, list(row["eligible_cluster_ids"])),
        measures=[s.NamedRef(m, measures.get(m, "")) for m in row["measure_ids"] if m in measures],
        service_areas=list(row["service_areas"]),
        criteria=list(row["criteria"]),
        report_schedule=dict(json_value(row["report_schedule"], {}) or {}),
        conditions=[condition_out(c) for c in row["conditions"]],
        manage=access.manage,
    )


def _select() -> Any:
    return Call.select(*Call.all_columns(), Call.funder.name.as_alias("funder.name"))


async def list_calls(
    actor: Principal | None,
    *,
    open_now: bool = False,
    funder_id: int | None = None,
    public_only: bool = False,
    today: dt.date | None = None,
) -> s.CallPage:
    """The calls the caller may see: open first, then coming, own drafts, closed."""
    today = today or dt.date.today()
    query = _select()
    if funder_id:
        query = query.where(Call.funder == funder_id)
    rows = []
    for row in await query:
        facts = CallFacts(row["id"], row["funder"], row["status"], bool(row["is_public"]))
        if public_only and not (row["status"] != rules.DRAFT and row["is_public"]):
            continue
        if not decide_call(actor, facts).see:
            continue
        if open_now and not rules.is_open(row["status"], row["opens_on"], row["closes_on"], today):
            continue
        rows.append(row)
    rows.sort(key=lambda r: rules.list_key(r["status"], r["opens_on"], r["closes_on"], today))
    measures = dict(await literature.measure_choices())
    items = [await _out(r, actor, measures, today) for r in rows]
    return s.CallPage(total=len(items), items=items)


async def get_call(actor: Principal | None, call_id: int) -> s.CallOut:
    await load_call_access(actor, call_id)
    row = await _select().where(Call.id == call_id).first()
    assert row is not None
    return await _out(row, actor, dict(await literature.measure_choices()), dt.date.today())


async def _check_refs(values: Mapping[str, Any]) -> None:
    problems = []
    clusters = list(values.get("eligible_cluster_ids") or [])
    if clusters and len(await _names(Cluster, clusters)) != len(set(clusters)):
        problems.append(FieldError("eligible_cluster_ids", UNKNOWN_CLUSTER))
    measures = set(values.get("measure_ids") or [])
    if measures and not measures <= {m for m, _n in await literature.measure_choices()}:
        problems.append(FieldError("measure_ids", UNKNOWN_MEASURE))
    if problems:
        raise Invalid(CHECK, problems)


def _values(data: s.CallCreate | s.CallUpdate) -> dict[str, Any]:
    """The columns a request sets (by name), amounts in øre; None means keep."""
    values: dict[str, Any] = {}
    for name in data.__struct_fields__:
        value = getattr(data, name)
        if not isinstance(value, dt.date):  # dates stay dates; nested Structs become JSON
            value = msgspec.to_builtins(value)
        if value is None or name == "funder_id":
            continue
        if name in ("budget", "max_per_application"):
            values[f"{name}_ore"] = _amount(name, value)
        else:
            values[name] = value
    return values


def _validated(merged: dict[str, Any]) -> dict[str, Any]:
    """The whole call after the change, checked; conditions normalised."""
    schedule = dict(merged.get("report_schedule") or {"progress_months": 6, "final": True})
    max_ore = int(merged.get("max_per_application_ore") or 0)
    conditions = rules.normalise(merged.get("conditions") or [], schedule, max_ore)
    _raise(
        rules.check_call(
            merged["opens_on"],
            merged["closes_on"],
            int(merged.get("budget_ore") or 0),
            max_ore,
            merged.get("eligible_kinds") or [],
            schedule,
        )
        + rules.check_conditions(conditions, max_ore)
    )
    return {**merged, "conditions": conditions, "report_schedule": schedule}


def _columns(values: Mapping[str, Any]) -> dict[Any, Any]:
    return {Call._meta.get_column_by_name(k): v for k, v in values.items()}


async def create_call(actor: Principal, data: s.CallCreate) -> s.CallOut:
    if not (actor.is_admin or actor.has(Role.FUNDER_OFFICER, data.funder_id)):
        raise Invalid(CHECK, [FieldError("funder_id", NOT_YOUR_FUNDER)])
    if not await Funder.exists().where(Funder.id == data.funder_id):
        raise Invalid(CHECK, [FieldError("funder_id", NOT_YOUR_FUNDER)])
    values = _validated(_values(data))
    await _check_refs(values)
    async with transaction():
        row = await Call.insert(
            Call(funder=data.funder_id, created_by=actor.account_id, status=rules.DRAFT)
        ).returning(Call.id)
        call_id = int(row[0]["id"])
        await Call.update(_columns(values)).where(Call.id == call_id)
        await audit.record(actor, "call.created", "grant_call", call_id, after=_audit(values))
    return await get_call(actor, call_id)


def _audit(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def _touches_fixed(before: Mapping[str, Any], changes: Mapping[str, Any]) -> bool:
    schedule, max_ore = before["report_schedule"], before["max_per_application_ore"]
    for key in rules.FIXED_ONCE_PUBLISHED & changes.keys():
        new = changes[key]
        if key == "conditions":
            new = rules.normalise(new, schedule, max_ore)
        if new != before[key]:
            return True
    return False


async def update_call(actor: Principal, call_id: int, data: s.CallUpdate) -> s.CallOut:
    access = await load_call_access(actor, call_id)
    require_call_manager(access)
    changes = _values(data)
    async with transaction():
        before = _row(await Call.select().where(Call.id == call_id).first() or {})
        if before["status"] == rules.CLOSED:
            raise Conflict(CLOSED_CALL)
        if before["status"] == rules.PUBLISHED and _touches_fixed(before, changes):
            raise Conflict(FIXED)
        merged = _validated({**before, **changes})
        values = {k: merged[k] for k in changes} | {"updated_at": dt.datetime.now(dt.UTC)}
        if changes.keys() & {"conditions", "max_per_application_ore", "report_schedule"}:
            values |= {k: merged[k] for k in ("conditions", "report_schedule")}
        await _check_refs(values)
        await Call.update(_columns(values)).where(Call.id == call_id)
        await audit.record(
            actor,
            "call.updated",
            "grant_call",
            call_id,
            before=_audit({k: before[k] for k in values if k in before and k != "updated_at"}),
            after=_audit({k: v for k, v in values.items() if k != "updated_at"}),
        )
    return await get_call(actor, call_id)


async def _move(actor: Principal, call_id: int, frm: str, to: str, refused: str) -> s.CallOut:
    access = await load_call_access(actor, call_id)
    require_call_manager(access)
    async with transaction():
        row = await Call.select(Call.status).where(Call.id == call_id).first()
        if row is None:  # pragma: no cover - loaded above
            raise NotFound()
        if row["status"] != frm:
            raise Conflict(refused)
        await Call.update({Call.status: to, Call.updated_at: dt.datetime.now(dt.UTC)}).where(
            Call.id == call_id
        )
        await audit.record(
            actor, f"call.{to}", "grant_call", call_id, before={"status": frm}, after={"status": to}
        )
    return await get_call(actor, call_id)


async def publish_call(actor: Principal, call_id: int) -> s.CallOut:
    return await _move(actor, call_id, rules.DRAFT, rules.PUBLISHED, NOT_DRAFT)


async def close_call(actor: Principal, call_id: int) -> s.CallOut:
    return await _move(actor, call_id, rules.PUBLISHED, rules.CLOSED, NOT_PUBLISHED)


def catalogue() -> list[s.CatalogueKindOut]:
    """The condition kinds a call can choose, with their parameters, in the caller's language."""
    approvals = [s.Choice(k, v) for k, v in approval_names().items()]
    items = []
    for kind, (name, params) in CATALOGUE.items():
        message, words = rules.in_words(
            kind, {p: default for p, (_t, default) in params.items()}, approval_names()
        )
        items.append(
            s.CatalogueKindOut(
                kind=kind.value,
                name=_(name),
                description=_(message) % words,
                params=[
                    s.ParamOut(p, t.__name__, default, approvals if p == "kinds" else [])
                    for p, (t, default) in params.items()
                ],
            )
        )
    return items


def service_area_choices() -> list[tuple[str, str]]:
    return [(k.value, _(v)) for k, v in SERVICE_TYPE_LABELS.items()]


def my_funders(actor: Principal) -> list[int]:
    return sorted(actor.org_ids(Role.FUNDER_OFFICER))


async def form_choices(actor: Principal) -> dict[str, Any]:
    """What the call form offers: the caller's funders, clusters, measures, service areas, the
    condition catalogue and the approvals."""
    funders = my_funders(actor) if not actor.is_admin else None
    query = Funder.select(Funder.id, Funder.name).order_by(Funder.name)
    if funders is not None:
        query = query.where(Funder.id.is_in(funders or [0]))
    clusters = await Cluster.select(Cluster.id, Cluster.name).order_by(Cluster.name)
    return {
        "funder_options": [(r["id"], r["name"]) for r in await query],
        "cluster_options": [(r["id"], r["name"]) for r in clusters],
        "measure_options": await literature.measure_choices(),
        "area_options": service_area_choices(),
        "kind_options": [(k, _(v)) for k, v in rules.ELIGIBLE_KINDS.items()],
        "approval_options": list(approval_names().items()),
        "catalogue": catalogue(),
        "param_labels": {
            "percent": _("share in percent"),
            "own_percent": _("own share in percent"),
            "count": _("number"),
        },
    }


def labels() -> dict[str, dict[str, str]]:
    """Eligible applicant kinds and service areas in the reader's language."""
    return {
        "kinds": {k: _(v) for k, v in rules.ELIGIBLE_KINDS.items()},
        "areas": dict(service_area_choices()),
    }


def may_create(actor: Principal | None) -> bool:
    return actor is not None and (actor.is_admin or bool(my_funders(actor)))


def require_manage(call: s.CallOut) -> None:
    if not call.manage:
        raise Forbidden(N_("Only the funder's own staff can change the call."))
