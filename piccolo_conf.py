"""Entry point for the `piccolo` command line; the real configuration lives in the package."""

import os

os.environ.setdefault("PICCOLO_CONF", "klynge.piccolo_conf")

from klynge.piccolo_conf import APP_REGISTRY, DB

__all__ = ["APP_REGISTRY", "DB"]
