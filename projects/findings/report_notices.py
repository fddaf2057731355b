"""Status messages of the findings report pages (registered as
"projects.findings-report-...")."""

NOTICES: dict[str, str] = {}
