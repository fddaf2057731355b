"""Status messages of the findings deliveries pages (registered as
"projects.findings-deliveries-...")."""

NOTICES: dict[str, str] = {}
