"""Every text field a request schema writes has a maximum, and it fits the column: for a Varchar
column the schema's max_length is at most the column's length; a Text column still gets a
maximum in the schema. Walks the request schemas paired with the tables they write."""

from __future__ import annotations

from typing import Any

import msgspec
import msgspec.inspect as mi
from piccolo.columns import Text, Varchar
from piccolo.table import Table

from klynge.orgs import schemas as orgs
from klynge.orgs import tables as orgs_tables
from literature import schemas as lit
from literature import tables as lit_tables
from priorities import schemas as prio
from priorities import tables as prio_tables
from projects import schemas as proj
from projects import tables as proj_tables

WRITES: list[tuple[type[msgspec.Struct], type[Table]]] = [
    (orgs.MunicipalityCreate, orgs_tables.Municipality),
    (orgs.ClusterCreate, orgs_tables.Cluster),
    (orgs.ClusterUpdate, orgs_tables.Cluster),
    (orgs.ServiceCreate, orgs_tables.Service),
    (orgs.ResearchGroupCreate, orgs_tables.ResearchGroup),
    (orgs.FunderCreate, orgs_tables.Funder),
    (prio.NeedCreate, prio_tables.Need),
    (prio.NeedUpdate, prio_tables.Need),
    (prio.EndorsementCreate, prio_tables.NeedEndorsement),
    (prio.RoundCreate, prio_tables.PriorityRound),
    (prio.ScoreIn, prio_tables.Score),
    (prio.DecisionIn, prio_tables.Decision),
    (lit.CheckCreate, lit_tables.LiteratureCheck),
    (lit.SearchCreate, lit_tables.CheckSearch),
    (lit.DecisionCreate, lit_tables.ScreeningDecision),
    (lit.ReviewIn, lit_tables.CheckReview),
    (lit.MeasureCreate, lit_tables.Measure),
    (lit.AdoptionCreate, lit_tables.Adoption),
    (proj.ProfileIn, proj_tables.GroupProfile),
    (proj.MemberIn, proj_tables.GroupMember),
    (proj.PublicationIn, proj_tables.GroupPublication),
    (proj.ConflictIn, proj_tables.Conflict),
    (proj.InterestIn, proj_tables.Interest),
    (proj.ProposalIn, proj_tables.Proposal),
]
# Raw input that the use case normalises and checks to the column's length itself, answering
# a wrong value with its own 422 (spaces in numbers, an orcid.org URL, a resolver-prefixed DOI).
CHECKED_BY_THE_USE_CASE = {
    "MunicipalityCreate.number",
    "ResearchGroupCreate.org_number",
    "FunderCreate.org_number",
    "MemberIn.orcid",
    "PublicationIn.doi",
}


def _max_length(info: mi.Type) -> int | None:
    if isinstance(info, mi.UnionType):
        found = [_max_length(t) for t in info.types if not isinstance(t, mi.NoneType)]
        return found[0] if found else None
    if isinstance(info, mi.Metadata):
        return _max_length(info.type)
    if isinstance(info, mi.StrType):
        return info.max_length
    return None


def _is_str(info: mi.Type) -> bool:
    if isinstance(info, mi.UnionType):
        return any(_is_str(t) for t in info.types)
    if isinstance(info, mi.Metadata):
        return _is_str(info.type)
    return isinstance(info, mi.StrType)


def test_schema_lengths_fit_the_columns() -> None:
    problems: list[str] = []
    for struct, table in WRITES:
        info = mi.type_info(struct)
        assert isinstance(info, mi.StructType)
        columns: dict[str, Any] = {c._meta.name: c for c in table._meta.columns}
        for field in info.fields:
            column = columns.get(field.name)
            name = f"{struct.__name__}.{field.name}"
            if column is None or not _is_str(field.type) or name in CHECKED_BY_THE_USE_CASE:
                continue
            limit = _max_length(field.type)
            if isinstance(column, Varchar) and (limit is None or limit > column.length):
                problems.append(f"{name}: max_length {limit} > {table.__name__} {column.length}")
            elif isinstance(column, Text) and limit is None:
                problems.append(f"{name}: no max_length for {table.__name__}.{field.name} (text)")
    assert not problems, "schema lengths that do not fit the columns:\n" + "\n".join(problems)
