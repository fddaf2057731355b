"""Locust users of the load benchmark (bench/load/run.py starts locust with this file).

The logged-in users of the demo cluster at national scale, each doing what their role does most,
and the public; plus HelloUser for the hello-world yardstick. Tokens and ids come from the JSON
file named by KLYNGE_LOAD_CONFIG (run.py logs in once before the run: logins are not measured).
LOAD_THINK is the mean pause between a user's requests in seconds (0 = none: throughput).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, constant, task

_THINK = float(os.environ.get("LOAD_THINK", "0"))
_CONFIG: dict[str, Any] = (
    json.loads(Path(os.environ["KLYNGE_LOAD_CONFIG"]).read_text())
    if os.environ.get("KLYNGE_LOAD_CONFIG")
    else {}
)
_QUERIES = ["school absenteeism", "parenting programme", "child welfare", "bullying", "anxiety"]


class _Base(FastHttpUser):
    abstract = True
    wait_time = between(_THINK / 2, _THINK * 1.5) if _THINK else constant(0)
    login = ""

    def on_start(self) -> None:
        token = _CONFIG["tokens"][self.login] if self.login else None
        self.api = {"Authorization": f"Bearer {token}"} if token else {}
        self.ui = {"Cookie": f"klynge_access={token}"} if token else {}
        self.ids: dict[str, int] = _CONFIG.get("ids", {})

    def page(self, path: str, name: str) -> None:
        self.client.get(path, headers=self.api if path.startswith("/api") else self.ui, name=name)

    def tasks_page(self) -> None:
        self.page("/oppgaver", "task list /oppgaver")

    def tasks_api(self) -> None:
        self.page("/api/me/tasks", "task list /api/me/tasks")


class Adviser(_Base):
    weight = 3
    login = "fou@demo.klynge.no"

    @task(2)
    def home(self) -> None:
        self.tasks_page()
        self.tasks_api()

    @task
    def ranked(self) -> None:
        self.page(f"/runder/{self.ids['round']}", "ranked needs /runder/{id}")

    @task
    def need(self) -> None:
        self.page(f"/behov/{self.ids['need']}", "need page /behov/{id}")

    @task
    def search(self) -> None:
        self.page(f"/litteratur?q={random.choice(_QUERIES)}", "literature search /litteratur?q=")

    @task
    def project(self) -> None:
        self.page(f"/prosjekter/{self.ids['project']}", "project page /prosjekter/{id}")

    @task
    def return_rates(self) -> None:
        self.page("/tilbakeforing", "return rates /tilbakeforing")


class ServiceLeader(_Base):
    weight = 2
    login = "leder@demo.klynge.no"

    @task(2)
    def home(self) -> None:
        self.tasks_page()
        self.tasks_api()

    @task
    def ranked(self) -> None:
        self.page(f"/runder/{self.ids['round']}", "ranked needs /runder/{id}")

    @task
    def need(self) -> None:
        self.page(f"/behov/{self.ids['need']}", "need page /behov/{id}")


class Coordinator(_Base):
    login = "koordinator@demo.klynge.no"

    @task(2)
    def home(self) -> None:
        self.tasks_page()
        self.tasks_api()

    @task
    def return_rates(self) -> None:
        self.page("/tilbakeforing", "return rates /tilbakeforing")


class Researcher(_Base):
    login = "forsker@demo.klynge.no"

    @task(2)
    def home(self) -> None:
        self.tasks_page()
        self.tasks_api()

    @task
    def project(self) -> None:
        self.page(f"/prosjekter/{self.ids['researcher_project']}", "project page /prosjekter/{id}")


class Funder(_Base):
    login = "finansiering@demo.klynge.no"

    @task
    def home(self) -> None:
        self.tasks_page()

    @task(2)
    def dashboard(self) -> None:
        self.page("/finansiering", "funder dashboard /finansiering")


class Public(_Base):
    weight = 2

    @task(2)
    def portal(self) -> None:
        self.page("/kunnskap", "public portal /kunnskap")

    @task
    def return_rates(self) -> None:
        self.page("/kunnskap/tilbakeforing", "public return rates /kunnskap/tilbakeforing")


class HelloUser(_Base):
    @task
    def hello(self) -> None:
        self.client.get("/hello", name="hello-world /hello")
