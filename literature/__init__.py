"""Klynge app `literature`."""
