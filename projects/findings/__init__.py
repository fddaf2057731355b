"""Findings return: outcomes, publishing = delivering, answers, reminders, reports and the
return-rate dashboard. Other parts use it only through `projects.findings.api`."""
