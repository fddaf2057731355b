"""The contract between the core and the apps: each app declares itself once (an `App`) and the
core finds the declarations through the `klynge.apps` entry-point group. The core imports no app."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klynge.auth.principal import Principal

ENTRY_POINT_GROUP = "klynge.apps"
CORE = "core"  # the core's own namespace (notices, menu)


def resolve(reference: str) -> Any:
    """The object a "package.module:attribute" reference names (imported on first use, so an
    app's declaration stays cheap to load)."""
    module, _, attribute = reference.partition(":")
    value: Any = importlib.import_module(module)
    for part in attribute.split(".") if attribute else ():
        value = getattr(value, part)
    return value


def always(_: Principal | None) -> bool:
    return True


@dataclass(frozen=True)
class MenuEntry:
    """A link in the main menu. `label` is an English msgid, translated when shown; entries of
    all apps are ordered by `order`."""

    href: str
    label: str
    order: int
    visible: Callable[[Principal | None], bool] = always


@dataclass(frozen=True)
class CronJob:
    """A job run on a schedule (arq cron on the workers, the in-process scheduler otherwise).
    `job` is a registered job name; minutes and hours as arq reads them (None = every)."""

    job: str
    minute: frozenset[int] | None = None
    hour: frozenset[int] | None = None


@dataclass(frozen=True)
class Section:
    """A part of another app's page: the template to include and what it shows; `anchor` and
    `label` (an N_ msgid) put it in the page's "on this page" navigation where it has one."""

    template: str
    context: Mapping[str, Any]
    anchor: str = ""
    label: str = ""


@dataclass(frozen=True)
class App:
    """Everything the core needs to know about an app. References are "module:attribute"
    strings, resolved lazily."""

    name: str
    order: int
    package: str
    piccolo_app: str
    routes: Sequence[str] = ()
    job_modules: Sequence[str] = ()
    cron_jobs: Sequence[CronJob] = ()
    commands: str = ""  # a module with register(subparsers) and COMMAND_ERRORS (one-line errors)
    demo_seed: str = ""  # "module:seed_demo", async () -> bool (True when it created data)
    # "module:function", async (klynge.scale.context.ScaleContext) -> None: the app's part of
    # the national-scale demo (`klynge demo --scale`), written with ctx.writer in bulk.
    scale: str = ""
    menu: Sequence[MenuEntry] = ()
    notices: Mapping[str, str] = field(default_factory=dict)
    labels: Sequence[str] = ()  # "module:DICT" of run-time translated labels (for extraction)
    # Parts this app adds to pages of other apps: slot (e.g. "need") -> "module:function",
    # an async (actor, object_id) -> Section | None.
    sections: Mapping[str, str] = field(default_factory=dict)
    # The app's contributions to each user's task list: "module:function" references of
    # async (actor) -> Sequence[klynge.tasks.Task].
    tasks: Sequence[str] = ()
    # Cheap counts for the page header: provider reference -> "module:function", an async
    # (actor) -> int equal to len(provider(actor)) found in SQL without building the list. A
    # provider without one is counted by the length of its list.
    task_counts: Mapping[str, str] = field(default_factory=dict)
    # Who refers to stored files (klynge.files): "module:function" references of async
    # (key) -> bool, so shared content is deleted only when no table uses it any more.
    file_users: Sequence[str] = ()

    @property
    def folder(self) -> Path:
        spec = importlib.util.find_spec(self.package)
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError(self.package)
        return Path(spec.origin).parent

    @property
    def template_dir(self) -> Path:
        return self.folder / "templates"

    @property
    def locale_dir(self) -> Path:
        return self.folder / "locale"

    def route_handlers(self) -> list[Any]:
        return [handler for reference in self.routes for handler in resolve(reference)]

    def demo_seeder(self) -> Callable[[], Awaitable[bool]] | None:
        return resolve(self.demo_seed) if self.demo_seed else None


class AppConflict(RuntimeError):
    """Two apps claim the same name, notice key or route prefix."""


@cache
def installed() -> tuple[App, ...]:
    """Every app declared through the entry-point group, in their declared order."""
    apps: list[App] = []
    for point in entry_points(group=ENTRY_POINT_GROUP):
        app = point.load()
        if not isinstance(app, App):
            raise AppConflict(f"entry point {point.name!r} is not a klynge.apps.App")
        apps.append(app)
    names = [a.name for a in apps]
    duplicates = {n for n in names if names.count(n) > 1} | ({CORE} & set(names))
    if duplicates:
        raise AppConflict(f"app name declared twice or reserved: {sorted(duplicates)}")
    return tuple(sorted(apps, key=lambda a: (a.order, a.name)))


def load_job_modules(core_modules: Sequence[str] = ()) -> None:
    """Import every module whose import registers job functions."""
    for name in (*core_modules, *(m for a in installed() for m in a.job_modules)):
        importlib.import_module(name)


# The core's own scheduled jobs (registered by klynge.app.CORE_JOB_MODULES): the mail sender
# retries what is due every 10 minutes; the daily digest goes out at 07:00.
CORE_CRON_JOBS: tuple[CronJob, ...] = (
    CronJob("send_mail", minute=frozenset(range(0, 60, 10))),
    CronJob("send_mail_digest", minute=frozenset({0}), hour=frozenset({7})),
)


def cron_jobs() -> list[CronJob]:
    return [*CORE_CRON_JOBS, *(job for app in installed() for job in app.cron_jobs)]


def register_commands(subparsers: Any) -> tuple[type[Exception], ...]:
    """Add every app's commands to `klynge`; return the apps' one-line error types."""
    errors: list[type[Exception]] = []
    for app in installed():
        if app.commands:
            module = importlib.import_module(app.commands)
            module.register(subparsers)
            errors.extend(getattr(module, "COMMAND_ERRORS", ()))
    return tuple(errors)


def demo_seeders() -> list[Callable[[], Awaitable[bool]]]:
    return [seeder for app in installed() if (seeder := app.demo_seeder()) is not None]


def template_dirs() -> list[Path]:
    return [d for app in installed() if (d := app.template_dir).is_dir()]


def locale_dirs() -> list[Path]:
    return [d for app in installed() if (d := app.locale_dir).is_dir()]


def menu(user: Principal | None) -> list[MenuEntry]:
    """The apps' menu entries this user sees, in order."""
    entries = [e for app in installed() for e in app.menu if e.visible(user)]
    return sorted(entries, key=lambda e: e.order)


def register_all_notices(register: Callable[[str, Mapping[str, str]], None]) -> None:
    for app in installed():
        register(app.name, app.notices)


def piccolo_apps() -> list[str]:
    return [app.piccolo_app for app in installed()]


async def page_sections(slot: str, actor: Principal, object_id: int) -> list[Section]:
    """What the apps add to a page (the need page's literature checks, say), in app order."""
    found: list[Section] = []
    for app in installed():
        if slot in app.sections:
            section = await resolve(app.sections[slot])(actor, object_id)
            if section is not None:
                found.append(section)
    return found
