"""Labels for the audit log: every event name (action) the code records, the object types and
the code values the changes hold (statuses, "not_retrieved"), as English msgids translated when
the log is read. The core's own are here; each app adds its own in `<package>/audit_labels.py`
(dicts ACTIONS, OBJECTS and VALUES), found through the installed apps. A test checks that every
event name the code records has a label."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from typing import Any

from klynge.apps import installed
from klynge.i18n import N_, gettext

ACTIONS: dict[str, str] = {
    "account.create": N_("User account created"),
    "account.update": N_("User account changed"),
    "auth.refresh_reuse": N_("Reuse of a used sign-in token stopped"),
    "cluster.create": N_("Cluster created"),
    "cluster.update": N_("Cluster changed"),
    "demo.seed": N_("Demo data created"),
    "funder.create": N_("Funder created"),
    "membership.request": N_("Membership requested"),
    "membership.approve": N_("Membership approved"),
    "core.mail.preference": N_("E-mail preference changed"),
    "core.mail.unsubscribed": N_("Unsubscribed from e-mail"),
    "membership.decline": N_("Membership declined"),
    "membership.withdraw": N_("Membership request withdrawn"),
    "membership.leave": N_("Left the cluster"),
    "municipality.create": N_("Municipality created"),
    "municipality.import": N_("Municipalities imported"),
    "research_group.create": N_("Research group created"),
    "role.grant": N_("Role given"),
    "role.revoke": N_("Role taken away"),
    "service.create": N_("Service created"),
}
OBJECTS: dict[str, str] = {
    "account": N_("User account"),
    "cluster": N_("Cluster"),
    "funder": N_("Funder"),
    "membership": N_("Membership"),
    "municipality": N_("Municipality"),
    "research_group": N_("Research group"),
    "service": N_("Service"),
}
VALUES: dict[str, str] = {
    "requested": N_("Requested"),
    "member": N_("Member"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
    "left": N_("Left"),
}


@functools.cache
def tables() -> tuple[Mapping[str, str], Mapping[str, str], Mapping[str, str]]:
    """Actions, object types and values: the core's and every installed app's."""
    actions, objects, values = dict(ACTIONS), dict(OBJECTS), dict(VALUES)
    for app in installed():
        name = f"{app.package}.audit_labels"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        actions.update(getattr(module, "ACTIONS", {}))
        objects.update(getattr(module, "OBJECTS", {}))
        for key, label in getattr(module, "VALUES", {}).items():
            values.setdefault(key, label)
    return actions, objects, values


def action_label(action: str) -> str:
    """An event name as the reader reads it (the name itself when it has no label)."""
    msgid = tables()[0].get(action)
    return gettext(msgid) if msgid else action


def object_label(object_type: str) -> str:
    msgid = tables()[1].get(object_type)
    return gettext(msgid) if msgid else object_type


def translate_values(value: Any) -> Any:
    """The recorded before/after with the code values (statuses, reasons) translated."""
    if isinstance(value, str):
        msgid = tables()[2].get(value)
        return gettext(msgid) if msgid else value
    if isinstance(value, Mapping):
        return {k: translate_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [translate_values(v) for v in value]
    return value
