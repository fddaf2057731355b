"""Project workspace part: participants. Research groups with the project leader, municipalities
and services with a contact person, user representatives by role (never personal data about
children); invitations, requests to join and the leader's or adviser's decision, every change
audited. The join page for invited and member municipalities is in `participants_join`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from klynge import directory
from klynge.apps import Section
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid
from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.views.common import Form
from priorities import api as priorities
from projects.workspace import participant_store as store
from projects.workspace.access import Access, require_edit, require_manage, require_see
from projects.workspace.loading import load_access
from projects.workspace.participant_schemas import (
    Decision,
    ParticipantCreate,
    ParticipantDecision,
    ParticipantOut,
)
from projects.workspace.participants_contact import contact_options
from projects.workspace.participants_join import acts_for_row
from projects.workspace.participants_rules import ROLES, Event, Kind, Status, role_allowed

ADD_FIELDS = ("kind", "group_id", "municipality_id", "service_id", "account_id", "role", "label")
# Research groups offered at once (thousands at national scale: the rest by searching).
GROUP_CHOICES = 50
IN_PROJECT = N_("The organisation already takes part in the project or is invited.")
NOT_MEMBER = N_("Choose a member municipality of the cluster.")
NOT_OF_ORG = N_("Choose a person from that organisation.")
CHOOSE = N_("Choose from the list.")
LABEL_NEEDED = N_("Write what they represent, e.g. the user organisation or youth council.")
ROLE_LABELS = {
    "leader": N_("Project leader"),
    "partner": N_("Partner"),
    "youth": N_("Youth with lived experience"),
    "parent": N_("Parent"),
    "user_organisation": N_("User organisation"),
}
KIND_LABELS = {
    "research_group": N_("Research groups"),
    "municipality": N_("Municipalities"),
    "service": N_("Services"),
    "user_representative": N_("User representatives"),
}
STATUS_LABELS = {
    "invited": N_("Invited"),
    "requested": N_("Asks to join"),
    "active": N_("Active"),
    "declined": N_("Declined"),
    "left": N_("Has left"),
}


def page_link(project_id: int, anchor: str = "deltakere") -> str:
    return f"/prosjekter/{project_id}#{anchor}"


async def list_participants(actor: Principal | None, project_id: int) -> list[ParticipantOut]:
    access = await load_access(actor, project_id)
    require_see(access)
    return await store.outs(await store.rows(project_id))


async def _groups(group_query: str, group_id: int | None) -> list[tuple[int, str]]:
    """The research groups to choose from: the one chosen (when adding), else the first
    `GROUP_CHOICES` + 1 by name matching the search (the last one only says there are more)."""
    if group_id is not None:
        return list((await directory.group_names([group_id])).items())
    return await directory.research_groups(group_query, limit=GROUP_CHOICES + 1)


async def _add_choices(
    cluster_id: int, group_query: str = "", group_id: int | None = None
) -> dict[str, Any]:
    members = await directory.member_municipalities(cluster_id)
    services = await directory.cluster_services(cluster_id)
    member_ids = [m for m, _ in members]
    return {
        "municipalities": members,
        "services": services,
        "service_people": await directory.org_people(service_ids=[s["id"] for s in services]),
        "representatives": await directory.org_people(
            municipality_ids=member_ids, roles=(Role.USER_REPRESENTATIVE,)
        ),
        "groups": await _groups(group_query, group_id),
    }


def _form_options(choices: dict[str, Any]) -> dict[str, Any]:
    """The add forms' select options, labelled in the caller's language."""
    services = choices["services"]
    people = choices["service_people"]
    return {
        "service_options": [(s["id"], f"{s['name']} ({s['municipality']})") for s in services],
        "service_people_groups": [
            (s["name"], [(p["id"], p["name"]) for p in people if p["org_id"] == s["id"]])
            for s in services
        ],
        "representative_roles": [
            (role, _(ROLE_LABELS[role])) for role in ROLES[Kind.USER_REPRESENTATIVE]
        ],
        "representative_options": [
            (p["id"], p["name"]) for p in {p["id"]: p for p in choices["representatives"]}.values()
        ],
    }


def add_forms() -> dict[str, Form]:
    return {kind.value: Form(f"participant-{kind.value}", ADD_FIELDS) for kind in Kind}


def _person_in(people: list[dict[str, Any]], account_id: int | None, org_id: int | None) -> bool:
    return account_id is None or any(
        p["id"] == account_id and (org_id is None or p["org_id"] == org_id) for p in people
    )


def _check_add(data: ParticipantCreate, choices: dict[str, Any]) -> tuple[str, int | None]:
    """The column and organisation the new participation is about, or Invalid naming fields."""
    kind = data.kind
    problems: list[FieldError] = []
    if not role_allowed(kind, data.role):
        problems.append(FieldError("role", CHOOSE))
    column, org_id, people = "account", data.account_id, choices["representatives"]
    if kind is Kind.RESEARCH_GROUP:
        column, org_id = "group", data.group_id
        if org_id not in {g for g, _ in choices["groups"]} or data.role != "partner":
            problems.append(FieldError("group_id", CHOOSE))
    elif kind is Kind.MUNICIPALITY:
        column, org_id = "municipality", data.municipality_id
        if org_id not in {m for m, _ in choices["municipalities"]}:
            problems.append(FieldError("municipality_id", NOT_MEMBER))
    elif kind is Kind.SERVICE:
        column, org_id = "service", data.service_id
        if org_id not in {s["id"] for s in choices["services"]}:
            problems.append(FieldError("service_id", CHOOSE))
        elif not _person_in(choices["service_people"], data.account_id, org_id):
            problems.append(FieldError("account_id", NOT_OF_ORG))
    else:
        if not data.label.strip():
            problems.append(FieldError("label", LABEL_NEEDED))
        if not _person_in(people, data.account_id, None):
            problems.append(FieldError("account_id", NOT_OF_ORG))
    if problems:
        raise Invalid(N_("Some fields need attention."), problems)
    return column, org_id


async def add_participant(
    actor: Principal, project_id: int, data: ParticipantCreate
) -> ParticipantOut:
    """The team adds a partner group, a service or a user representative (active at once), or
    invites a municipality (it answers on the join page)."""
    async with transaction():
        access = await load_access(actor, project_id)
        require_edit(access)
        project = await store.project_row(project_id)
        group_id = data.group_id if data.kind is Kind.RESEARCH_GROUP else None
        choices = await _add_choices(project["cluster"], group_id=group_id)
        column, org_id = _check_add(data, choices)
        existing = await store.rows(project_id)
        if org_id is not None and store.open_row(existing, column, org_id):
            raise Conflict(IN_PROJECT)
        values = {
            "kind": data.kind.value,
            "group": data.group_id if data.kind is Kind.RESEARCH_GROUP else None,
            "municipality": data.municipality_id if data.kind is Kind.MUNICIPALITY else None,
            "service": data.service_id if data.kind is Kind.SERVICE else None,
            "account": None if data.kind is Kind.MUNICIPALITY else data.account_id,
            "role": data.role,
            "label": data.label.strip() if data.kind is Kind.USER_REPRESENTATIVE else "",
        }
        if data.kind is Kind.MUNICIPALITY:
            new = await _invite(actor, project, existing, values)
        else:
            new = await store.insert(actor, project, Status.ACTIVE, **values)
            await store.notify_org(
                project,
                new,
                "project_participant_added",
                N_("You have been added as a participant in the project «%(title)s»."),
                page_link(project_id),
            )
    return (await store.outs([new]))[0]


async def _invite(
    actor: Principal | None,
    project: dict[str, Any],
    existing: list[dict[str, Any]],
    values: dict[str, Any],
) -> dict[str, Any]:
    earlier = store.last_row(existing, "municipality", values["municipality"])
    if earlier is not None and earlier["status"] in (Status.DECLINED, Status.LEFT):
        new = await store.move(actor, project, earlier, Event.INVITE, note="")
    else:
        new = await store.insert(actor, project, Status.INVITED, **values)
    await store.notify_org(
        project,
        new,
        "project_invitation",
        N_(
            "The municipality is invited to take part in the project «%(title)s». "
            "Answer the invitation."
        ),
        f"/prosjekter/{project['id']}/bli-med",
    )
    return new


_JOIN_DECIDED = {
    (True, False): N_("The request to take part in the project «%(title)s» is approved."),
    (True, True): N_(
        "The request to take part in the project «%(title)s» is approved. Reason: %(reason)s"
    ),
    (False, False): N_("The request to take part in the project «%(title)s» is declined."),
    (False, True): N_(
        "The request to take part in the project «%(title)s» is declined. Reason: %(reason)s"
    ),
}


async def decide_request(
    actor: Principal, project_id: int, participant_id: int, data: ParticipantDecision
) -> ParticipantOut:
    """The project leader or the adviser approves or declines a request to join."""
    async with transaction():
        access = await load_access(actor, project_id)
        require_manage(access)
        project = await store.project_row(project_id)
        current = await store.row(project_id, participant_id)
        approve = data.decision is Decision.APPROVE
        event = Event.APPROVE if approve else Event.REJECT
        changes = {} if approve or not data.reason.strip() else {"note": data.reason.strip()}
        moved = await store.move(actor, project, current, event, **changes)
        reason = data.reason.strip()
        await store.notify_org(
            project,
            moved,
            "project_join_decided",
            _JOIN_DECIDED[approve, bool(reason)],
            page_link(project_id) if approve else f"/prosjekter/{project_id}/bli-med",
            {"reason": reason},
        )
    return (await store.outs([moved]))[0]


def _may_remove(access: Access, current: dict[str, Any], acting_for: bool) -> bool:
    if current["kind"] == Kind.RESEARCH_GROUP and current["role"] == "leader":
        return False  # the leading group stays; the leader changes on the project itself
    return access.manage or access.edit or acting_for


async def remove_participant(
    actor: Principal, project_id: int, participant_id: int
) -> ParticipantOut:
    """A participation ends (status left): removed by the team, or left by its own people."""
    async with transaction():
        access = await load_access(actor, project_id)
        project = await store.project_row(project_id)
        current = await store.row(project_id, participant_id)
        if not _may_remove(access, current, await acts_for_row(actor, current)):
            if current["kind"] == Kind.RESEARCH_GROUP and current["role"] == "leader":
                raise Conflict(N_("The leading research group cannot leave the project."))
            raise Forbidden(N_("Only the project team can change the project."))
        moved = await store.move(actor, project, current, Event.LEAVE)
    return (await store.outs([moved]))[0]


async def on_project_created(
    actor: Principal | None, project_id: int, *, services: Sequence[int] = ()
) -> None:
    """A new project's participants: its research group as leader (account = the project's
    leader), the asking municipalities and `services` as active, and the municipalities that
    endorsed the originating needs (and are not in yet) invited and notified. In the caller's
    transaction."""
    project = await store.project_row(project_id)
    existing = await store.rows(project_id)
    if not store.open_row(existing, "group", project["group"]):
        await store.insert(
            actor,
            project,
            Status.ACTIVE,
            kind=Kind.RESEARCH_GROUP.value,
            group=project["group"],
            account=project["leader"],
            role="leader",
        )
    asking = [int(m) for m in json_value(project["municipality_ids"], [])]
    for muni in asking:
        if not store.open_row(existing, "municipality", muni):
            await store.insert(
                actor, project, Status.ACTIVE, kind=Kind.MUNICIPALITY.value, municipality=muni
            )
    for service in services:
        if not store.open_row(existing, "service", service):
            await store.insert(
                actor, project, Status.ACTIVE, kind=Kind.SERVICE.value, service=service
            )
    endorsers: list[int] = []
    for need_id in json_value(project["need_ids"], []):
        endorsers += await priorities.endorsing_municipalities(int(need_id))
    for muni in dict.fromkeys(endorsers):
        if muni in asking or store.open_row(existing, "municipality", muni):
            continue
        values = {"kind": Kind.MUNICIPALITY.value, "municipality": muni}
        await _invite(actor, project, existing, values)


async def section(actor: Principal | None, access: Access, group_query: str = "") -> Section:
    """The project page's participants section: who takes part, requests waiting for a
    decision, and the forms the caller may use."""
    project = await store.project_row(access.project_id)
    found = await store.outs(await store.rows(access.project_id))
    context: dict[str, Any] = {
        "project_id": access.project_id,
        "participants": found,
        "kinds": KIND_LABELS,
        "roles": ROLE_LABELS,
        "statuses": STATUS_LABELS,
        "may_edit": access.edit,
        "may_manage": access.manage,
        "forms": add_forms(),
    }
    if access.edit:
        choices = await _add_choices(project["cluster"], group_query)
        more = len(choices["groups"]) > GROUP_CHOICES
        choices["groups"] = choices["groups"][:GROUP_CHOICES]
        context.update(choices, **_form_options(choices))
        context.update(groups_more=more, group_query=group_query)
        context["contact_options"] = await contact_options(await store.rows(access.project_id))
    return Section("projects/workspace/_participants.html", context)


async def participants_page(
    actor: Principal | None, project_id: int, group_query: str = ""
) -> dict[str, Any]:
    """The participants section as a page of its own (also where a failed form is shown again,
    and where research groups are searched)."""
    access = await load_access(actor, project_id)
    require_see(access)
    project = await store.project_row(project_id)
    shown = await section(actor, access, group_query)
    return {"project": project, "data": dict(shown.context)}
