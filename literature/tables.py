"""Tables of the `literature` app (none yet)."""
