"""Klynge app `projects`."""
