"""Status messages of the findings outcomes pages (registered as
"projects.findings-outcomes-...")."""

NOTICES: dict[str, str] = {}
