"""Status messages of the grants pages (registered as "projects.<key>"; each part keeps its own
dict, keys starting with "grants-<part>-")."""

NOTICES: dict[str, str] = {}
