"""Klynge app `priorities`."""
