"""Klynge platform core (import name `klynge`; it lives in the repository's platform/ folder)."""

__version__ = "0.1.0"
