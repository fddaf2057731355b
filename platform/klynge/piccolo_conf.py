"""Piccolo configuration: the engine comes from DATABASE_URL (SQLite file by default)."""

import os

from piccolo.conf.apps import AppRegistry

from klynge.apps import piccolo_apps
from klynge.engine import make_engine
from klynge.settings import parse_database_url

DB = make_engine(parse_database_url(os.environ.get("DATABASE_URL", "").strip() or None))

APP_REGISTRY = AppRegistry(apps=["klynge.piccolo_app", *piccolo_apps()])
