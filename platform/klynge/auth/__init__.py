"""Accounts, roles, tokens, passwords, guards, CSRF and login throttling."""
