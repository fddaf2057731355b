"""Tables of the `priorities` app (none yet)."""
