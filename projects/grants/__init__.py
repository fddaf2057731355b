"""Grants: funders' calls with their conditions, applications from projects with budget and
financing plan, the condition engine, review and decision, grant agreements, reports with the
attestation, payments, and the funder dashboard. Public interface: `projects.grants.api`."""
