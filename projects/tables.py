"""Tables of the `projects` app (none yet)."""
