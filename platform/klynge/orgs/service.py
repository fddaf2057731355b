"""The organisations' use cases under one name, for the many callers that import it; the code
lives in municipalities, clusters, memberships, directory and grants."""

from klynge.orgs.clusters import (
    create_cluster,
    get_cluster,
    list_clusters,
    list_public_clusters,
    update_cluster,
)
from klynge.orgs.directory import (
    create_funder,
    create_research_group,
    create_service,
    funder_out,
    group_out,
    list_funders,
    list_research_groups,
    list_services,
    service_out,
)
from klynge.orgs.memberships import (
    OPEN_STATUSES,
    decide_membership,
    get_membership,
    leave_cluster,
    list_memberships,
    memberships_of_municipality,
    request_membership,
    withdraw_membership,
)
from klynge.orgs.municipalities import (
    create_municipality,
    get_municipality,
    import_municipalities,
    list_municipalities,
    municipality_out,
)
from klynge.privacy import guard_text

__all__ = [
    "OPEN_STATUSES",
    "create_cluster",
    "create_funder",
    "create_municipality",
    "create_research_group",
    "create_service",
    "decide_membership",
    "funder_out",
    "get_cluster",
    "get_membership",
    "get_municipality",
    "group_out",
    "guard_text",
    "import_municipalities",
    "leave_cluster",
    "list_clusters",
    "list_funders",
    "list_memberships",
    "list_municipalities",
    "list_public_clusters",
    "list_research_groups",
    "list_services",
    "memberships_of_municipality",
    "municipality_out",
    "request_membership",
    "service_out",
    "update_cluster",
    "withdraw_membership",
]
