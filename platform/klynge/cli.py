"""The `klynge` command: run · worker · migrate · demo · backup · restore · create-user · routes,
and the apps' commands (literature import)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Callable, Sequence

os.environ.setdefault("PICCOLO_CONF", "klynge.piccolo_conf")

from klynge.settings import ConfigError, Settings, load_settings


class CommandError(Exception):
    """A one-line failure for the user (no traceback)."""


_APP_ERRORS: list[type[Exception]] = []  # the apps' one-line command errors


def _settings(*, require_secret: bool = True) -> Settings:
    return load_settings(require_secret=require_secret)


def _cmd_migrate(args: argparse.Namespace) -> None:
    _settings(require_secret=False)
    from klynge.migrate import migrate

    asyncio.run(migrate(quiet=not args.verbose))
    print("klynge: migrations applied")


def _cmd_demo(args: argparse.Namespace) -> None:
    settings = _settings(require_secret=False)
    if settings.database.engine == "postgres" and not args.force:
        raise CommandError(
            "refusing to load demo data into PostgreSQL (DATABASE_URL); add --force if you mean it"
        )
    from klynge import demo
    from klynge.migrate import migrate

    fraction = _scale_fraction(args.scale)

    async def run() -> bool:
        await migrate()
        created = await demo.seed()
        if fraction is not None:
            await _load_scale(fraction)
        return created

    created = asyncio.run(run())
    print("klynge: demo data loaded" if created else "klynge: demo data already present")
    print(demo.logins_table())


def _scale_fraction(value: str | None) -> float | None:
    if value is None:
        return None
    from klynge.scale.load import parse_scale

    try:
        return parse_scale(value)
    except ValueError as exc:
        raise CommandError(str(exc) if "--scale" in str(exc) else f"--scale: {exc}") from None


async def _load_scale(fraction: float) -> None:
    from klynge.scale.load import AlreadyLoaded, load

    def progress(line: str) -> None:
        print(f"klynge: {line}", flush=True)

    try:
        report = await load(fraction, progress=progress)
    except AlreadyLoaded as exc:
        raise CommandError(str(exc)) from None
    width = max(len(t) for t in report.rows)
    for table, rows in sorted(report.rows.items()):
        print(f"  {table:<{width}} {rows:>10,}")


def _cmd_run(args: argparse.Namespace) -> None:
    settings = _settings()
    import uvicorn

    if args.migrate:
        from klynge.migrate import migrate

        asyncio.run(migrate())
    if settings.generated_secret:
        print("klynge: demo mode — a temporary secret key was generated (set KLYNGE_SECRET_KEY)")
    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.web_concurrency
    print(
        f"klynge: serving on http://{host}:{port} ({workers} process(es), "
        f"{settings.database.engine}, jobs {'on Redis' if settings.redis_url else 'in-process'})"
    )
    if args.print_logins:
        from klynge import demo

        print(demo.logins_table())
    uvicorn.run(
        "klynge.app:asgi",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # Off: klynge.auth.middleware reads the proxy headers itself (KLYNGE_TRUSTED_PROXY_HOPS);
        # uvicorn's would rewrite the peer address from the same header a second time.
        proxy_headers=False,
        log_level=settings.log_level.lower(),
        access_log=args.access_log,
    )


def _cmd_worker(args: argparse.Namespace) -> None:
    settings = _settings()
    if not settings.redis_url:
        raise CommandError("REDIS_URL is not set: without it jobs run inside `klynge run`")
    from klynge.jobs.worker import create_worker

    worker = create_worker(settings.redis_url, burst=args.burst)
    worker.run()


def _cmd_backup(args: argparse.Namespace) -> None:
    settings = _settings(require_secret=False)
    from pathlib import Path

    from klynge.backup import BackupError, backup

    try:
        backup(settings.database, Path(args.file))
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"klynge: {settings.database.engine} database backed up to {args.file}")


def _cmd_restore(args: argparse.Namespace) -> None:
    settings = _settings(require_secret=False)
    from pathlib import Path

    from klynge.backup import BackupError, restore

    try:
        restore(settings.database, Path(args.file))
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"klynge: {settings.database.engine} database restored from {args.file}")


def _cmd_create_user(args: argparse.Namespace) -> None:
    _settings(require_secret=False)
    from klynge.auth import accounts
    from klynge.auth.principal import Principal
    from klynge.auth.roles import Role
    from klynge.errors import DomainError

    password = args.password or os.environ.get("KLYNGE_NEW_USER_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            raise CommandError("give --password or KLYNGE_NEW_USER_PASSWORD (no terminal)")
        password = getpass.getpass("Password: ")
    system = Principal(account_id=0, name="klynge create-user", email="", language="nb")

    async def run() -> accounts.AccountOut:
        try:
            created = await accounts.create_account(
                None,
                accounts.AccountCreate(
                    name=args.name, email=args.email, password=password, language=args.language
                ),
            )
            if args.role:
                created = await accounts.grant_role(
                    system, created.id, accounts.GrantIn(role=Role(args.role), org_id=args.org_id)
                )
        except DomainError as exc:
            detail = "; ".join(f"{e.field}: {e.text}" for e in exc.errors) or exc.text
            raise CommandError(detail) from None
        return created

    account = asyncio.run(run())
    roles = ", ".join(g.role.value for g in account.roles) or "no roles"
    print(f"klynge: created {account.email} (id {account.id}; {roles})")


def _cmd_routes(args: argparse.Namespace) -> None:
    _settings()
    from klynge.app import create_app
    from klynge.routes import route_table

    rows = route_table(create_app())
    width = max(len(r.path) for r in rows)
    for row in rows:
        guard = ", ".join(row.guards) if row.guards else ("PUBLIC" if row.public else "NONE (!)")
        print(f"{','.join(row.methods):<7} {row.path:<{width}}  {guard}")


def build_parser() -> argparse.ArgumentParser:
    from klynge.auth.roles import Role

    parser = argparse.ArgumentParser(prog="klynge", description="Klynge: R&D clusters platform")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve the web app (uvicorn)")
    run.add_argument("--host")
    run.add_argument("--port", type=int)
    run.add_argument("--workers", type=int, help="app processes (default KLYNGE_WEB_CONCURRENCY)")
    run.add_argument("--migrate", action="store_true", help="apply migrations first")
    run.add_argument("--print-logins", action="store_true", help="print the demo logins")
    run.add_argument("--access-log", action="store_true")
    run.set_defaults(func=_cmd_run)

    worker = sub.add_parser("worker", help="run an arq job worker (needs REDIS_URL)")
    worker.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    worker.set_defaults(func=_cmd_worker)

    migrate = sub.add_parser("migrate", help="apply all migrations")
    migrate.add_argument("--verbose", action="store_true")
    migrate.set_defaults(func=_cmd_migrate)

    demo = sub.add_parser("demo", help="migrate and load the demo cluster")
    demo.add_argument("--force", action="store_true", help="allow PostgreSQL")
    demo.add_argument(
        "--scale",
        metavar="national|N",
        help="also load a whole country of clusters around the demo (national, or a fraction)",
    )
    demo.set_defaults(func=_cmd_demo)

    backup = sub.add_parser("backup", help="copy the whole database to FILE")
    backup.add_argument("file", metavar="FILE")
    backup.set_defaults(func=_cmd_backup)

    restore = sub.add_parser("restore", help="replace the whole database with a backup FILE")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=_cmd_restore)

    user = sub.add_parser("create-user", help="create an account (optionally with a role)")
    user.add_argument("--email", required=True)
    user.add_argument("--name", required=True)
    user.add_argument("--password", help="or KLYNGE_NEW_USER_PASSWORD, or asked for")
    user.add_argument("--language", default="", choices=["", "nb", "nn", "en"])
    user.add_argument("--role", choices=[r.value for r in Role])
    user.add_argument("--org-id", type=int, help="the organisation the role is held in")
    user.set_defaults(func=_cmd_create_user)

    routes = sub.add_parser("routes", help="print every route with its guard")
    routes.set_defaults(func=_cmd_routes)

    from klynge.apps import register_commands

    _APP_ERRORS.extend(register_commands(sub))
    return parser


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], None] = args.func
    try:
        func(args)
    except ConfigError as exc:
        print(f"klynge: configuration error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except (CommandError, *_APP_ERRORS) as exc:
        print(f"klynge: {_one_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except (OSError, ConnectionError) as exc:
        print(f"klynge: cannot reach a service: {_one_line(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("KLYNGE_DEBUG"):
            raise
        print(f"klynge: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
