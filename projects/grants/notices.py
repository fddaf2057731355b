"""Status messages of the grants pages (registered as "projects.<key>"): each part keeps its own
dict (keys "grants-<part>-..."); this module joins them."""

from projects.grants.applications_notices import NOTICES as APPLICATIONS
from projects.grants.calls_notices import NOTICES as CALLS
from projects.grants.reports_notices import NOTICES as REPORTS
from projects.grants.reviews_notices import NOTICES as REVIEWS

NOTICES: dict[str, str] = {
    **CALLS,
    **APPLICATIONS,
    **REVIEWS,
    **REPORTS,
}
