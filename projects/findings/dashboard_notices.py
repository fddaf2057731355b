"""Status messages of the findings dashboard pages (registered as
"projects.findings-dashboard-...")."""

NOTICES: dict[str, str] = {}
