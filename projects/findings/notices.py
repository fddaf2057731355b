"""Status messages of the findings pages (registered as "projects.<key>"): each part keeps its
own dict (keys "findings-<part>-..."); this module joins them."""

from projects.findings.dashboard_notices import NOTICES as DASHBOARD
from projects.findings.deliveries_notices import NOTICES as DELIVERIES
from projects.findings.outcomes_notices import NOTICES as OUTCOMES
from projects.findings.report_notices import NOTICES as REPORT

NOTICES: dict[str, str] = {
    **OUTCOMES,
    **DELIVERIES,
    **REPORT,
    **DASHBOARD,
}
