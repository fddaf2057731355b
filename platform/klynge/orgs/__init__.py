"""Organisations: clusters, municipalities, memberships, services, research groups, funders."""
