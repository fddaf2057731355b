"""Load benchmark: Klynge as deployed (PostgreSQL, Redis, `klynge run` with 2 app processes, 2 arq
workers) under a mix of logged-in users and the public, against a Litestar hello-world route served
the same way, in the same run: the mix's requests/s as a share of hello-world's holds on a noisy
machine. Two phases each: users who pause (LOAD_THINK, latency) and users who do not (throughput).

Run: make bench-load   (or .venv/bin/python bench/load/run.py [--load national|0.1] [--users 50])
Needs the `bench` extra (locust), PostgreSQL and Redis. `--load` (re)creates the database
(BENCH_DATABASE_URL, default klynge_load on the local server) and runs `klynge demo --scale`;
without it the loaded database is reused. Servers and workers are stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/klynge_load"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
KLYNGE_PORT, HELLO_PORT, PROCESSES = 8765, 8766, 2
PASSWORD = "demo-passord"  # noqa: S105  (the demo logins' published password)
MIX = ["Adviser", "ServiceLeader", "Coordinator", "Researcher", "Funder", "Public"]  # users.py
LOGINS = [
    "fou@demo.klynge.no",
    "leder@demo.klynge.no",
    "koordinator@demo.klynge.no",
    "forsker@demo.klynge.no",
    "finansiering@demo.klynge.no",
]


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "KLYNGE_SECRET_KEY": secrets.token_urlsafe(48),
        "KLYNGE_WEB_CONCURRENCY": str(PROCESSES),
        "KLYNGE_PORT": str(KLYNGE_PORT),
        "KLYNGE_LOG_LEVEL": "WARNING",
        "KLYNGE_ACCESS_TOKEN_SECONDS": "7200",  # outlives the run: no refresh inside the figures
    }


async def _recreate_database() -> None:
    import asyncpg

    base, name = DATABASE_URL.rsplit("/", 1)
    conn = await asyncpg.connect(base.replace("postgresql", "postgres", 1) + "/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def load(scale: str) -> None:
    asyncio.run(_recreate_database())
    start = time.perf_counter()
    subprocess.run([BIN / "klynge", "demo", "--force", "--scale", scale], env=_env(), check=True)  # noqa: S603
    print(f"loaded scale {scale} in {time.perf_counter() - start:.0f} s")


class Deployment:
    """The app processes, the workers and the hello-world server, each in a process group."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []

    def _start(self, argv: list[Any], env: dict[str, str]) -> None:
        self.processes.append(subprocess.Popen(argv, env=env, start_new_session=True))  # noqa: S603

    def start(self) -> None:
        env = _env()
        self._start([BIN / "klynge", "run"], env)
        for _ in range(2):
            self._start([BIN / "klynge", "worker"], env)
        self._start([sys.executable, HERE / "hello.py", str(HELLO_PORT), str(PROCESSES)], env)
        _wait_up(f"http://127.0.0.1:{KLYNGE_PORT}/healthz")
        _wait_up(f"http://127.0.0.1:{HELLO_PORT}/hello")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _wait_up(url: str) -> None:
    for _ in range(120):
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"bench: {url} did not come up")


def fixtures() -> dict[str, Any]:
    """One token per login (logins are not measured) and the ids of the pages in the mix."""
    base = f"http://127.0.0.1:{KLYNGE_PORT}"
    tokens = {}
    for email in LOGINS:
        answer = httpx.post(f"{base}/api/auth/token", json={"email": email, "password": PASSWORD})
        answer.raise_for_status()
        tokens[email] = answer.json()["access_token"]

    def first(path: str, login: str = LOGINS[0], **match: str) -> int:
        headers = {"Authorization": f"Bearer {tokens[login]}"}
        answer = httpx.get(base + path, headers=headers, timeout=30)
        answer.raise_for_status()
        body = answer.json()
        items = body["items"] if isinstance(body, dict) else body
        return next(int(i["id"]) for i in items if match.items() <= i.items())

    ids = {
        "need": first("/api/needs?status=prioritised"),
        "round": first("/api/rounds", status="closed"),
        "project": first("/api/projects"),
        "researcher_project": first("/api/projects", "forsker@demo.klynge.no"),
    }
    return {"tokens": tokens, "ids": ids}


def locust(
    users: list[str], n: int, seconds: int, think: float, port: int, config: Path
) -> list[dict[str, str]]:
    prefix = config.parent / f"run-{port}-{think}"
    env = {**os.environ, "KLYNGE_LOAD_CONFIG": str(config), "LOAD_THINK": str(think)}
    argv = [
        sys.executable, "-m", "locust", "-f", str(HERE / "users.py"), "--headless",
        "-u", str(n), "-r", str(n), "-t", f"{seconds}s", "--reset-stats",
        "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
        "--loglevel", "WARNING", "--exit-code-on-error", "0", *users,
    ]  # fmt: skip
    done = subprocess.run(argv, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"bench: locust failed:\n{done.stderr[-3000:]}")
    with open(f"{prefix}_failures.csv") as failures:
        for row in csv.DictReader(failures):
            print(f"  failed {row['Occurrences']}x {row['Name']}: {row['Error'][:120]}")
    with open(f"{prefix}_stats.csv") as stats:
        return list(csv.DictReader(stats))


def table(title: str, rows: list[dict[str, str]], goal_ms: float | None) -> None:
    print(f"\n{title}")
    print(f"  {'page':<46}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'fail':>6}")
    for row in rows:
        name = "all pages" if row["Name"] == "Aggregated" else row["Name"]
        p95 = float(row["95%"])
        miss = "  > goal" if goal_ms and name != "all pages" and p95 >= goal_ms else ""
        print(
            f"  {name:<46}{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}"
            f"{row['99%']:>7}{row['Failure Count']:>6}{miss}"
        )


def rps(rows: list[dict[str, str]]) -> float:
    return next(float(r["Requests/s"]) for r in rows if r["Name"] == "Aggregated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--load", metavar="SCALE", help="recreate the database and load this scale")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30, help="per phase and target")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause (s), latency phase")
    args = parser.parse_args()
    if args.load:
        load(args.load)
    deployment = Deployment()
    try:
        deployment.start()
        with tempfile.TemporaryDirectory(prefix="klynge-load-") as tmp:
            config = Path(tmp) / "config.json"
            config.write_text(json.dumps(fixtures()))
            print(
                f"{args.users} users, {args.seconds} s per phase, {PROCESSES} app processes, "
                f"2 workers; ids {json.loads(config.read_text())['ids']}"
            )
            runs = {}
            for think in (args.think, 0.0):
                for name, users, port in (
                    ("hello", ["HelloUser"], HELLO_PORT),
                    ("mix", MIX, KLYNGE_PORT),
                ):
                    runs[name, think] = locust(users, args.users, args.seconds, think, port, config)
    finally:
        deployment.stop()
    for think in (args.think, 0.0):
        phase = f"mean pause {think:g} s" if think else "no pause (throughput)"
        table(f"Hello-world, {args.users} users, {phase}", runs["hello", think], None)
        table(f"Klynge mix, {args.users} users, {phase} (goal p95 < 50 ms)", runs["mix", think], 50)
    share = rps(runs["mix", 0.0]) / rps(runs["hello", 0.0])
    print(
        f"\nthroughput: mix {rps(runs['mix', 0.0]):.0f} req/s = {share:.2%} of hello-world's "
        f"{rps(runs['hello', 0.0]):.0f} req/s (goal >= 20 %)"
    )


if __name__ == "__main__":
    main()
