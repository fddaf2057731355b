"""Tables of the grants part: funders' calls (with their conditions), applications from projects
with budget and financing lines, reviews, decisions and grant agreements, reports with their
attestation, and payments. Money is stored exactly, in integer øre."""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from klynge.auth.tables import Account
from klynge.orgs.tables import Cluster, Funder
from projects.tables import Project


class Call(Table, tablename="grant_call"):
    id: Serial
    funder = ForeignKey(references=Funder, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    description = Text(default="")
    opens_on = Date()
    closes_on = Date()
    budget_ore = BigInt(default=0)  # the call's budget frame
    max_per_application_ore = BigInt(default=0)  # 0 = no maximum
    eligible_kinds = JSONB(default=["cluster"])  # cluster | municipality
    eligible_cluster_ids = JSONB(default=[])  # empty = every cluster
    measure_ids = JSONB(default=[])  # knowledge-bank measures (literature) the call covers
    service_areas = JSONB(default=[])  # ServiceType values
    # The conditions, from the catalogue (projects.grants.conditions), each with its parameters:
    # [{"kind": "min_rnd_share", "params": {"percent": 20}, "hard": true}, ...]
    conditions = JSONB(default=[])
    # When reports fall due: {"progress_months": 6, "final": true}
    report_schedule = JSONB(default={})
    criteria = JSONB(default=[])  # review criteria: ["Relevans", "Kvalitet", ...]
    status = Varchar(length=12, default="draft")  # draft | published | closed
    is_public = Boolean(default=False)  # shown on the public portal
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Application(Table, tablename="grant_application"):
    id: Serial
    call = ForeignKey(references=Call, on_delete=OnDelete.restrict, index=True)
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    title = Varchar(length=200)
    summary = Text(default="")
    written_standard = Varchar(length=2, default="nb")  # nb | nn: the application's language
    # draft | submitted | changes_requested | granted | declined | withdrawn
    status = Varchar(length=20, default="draft", index=True)
    requested_ore = BigInt(default=0)
    decision_reason = Text(default="")
    submitted_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class BudgetLine(Table, tablename="grant_budget_line"):
    id: Serial
    application = ForeignKey(references=Application, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    # new_position | existing_position | rnd | operations | travel | equipment | indirect
    category = Varchar(length=20)
    description = Varchar(length=200, default="")
    fte_percent = Integer(null=True, default=None)  # positions: percent of a full-time equivalent
    amount_ore = BigInt()
    position = Integer(default=0)


class FinancingLine(Table, tablename="grant_financing_line"):
    id: Serial
    application = ForeignKey(references=Application, on_delete=OnDelete.cascade, index=True)
    source = Varchar(length=12)  # this_funder | own | other
    description = Varchar(length=200, default="")
    amount_ore = BigInt()


class Review(Table, tablename="grant_review"):
    """A funder officer's comment and scores (criterion -> 1..5) on an application."""

    id: Serial
    application = ForeignKey(references=Application, on_delete=OnDelete.cascade, index=True)
    reviewer = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    comment = Text(default="")
    scores = JSONB(default={})
    asks_for_changes = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class GrantAgreement(Table, tablename="grant_agreement"):
    """A granted application: the amount, the period, extra conditions and the report schedule
    (its reports are GrantReport rows)."""

    id: Serial
    application = ForeignKey(references=Application, on_delete=OnDelete.cascade, unique=True)
    amount_ore = BigInt()
    starts_on = Date()
    ends_on = Date()
    extra_conditions = Text(default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class GrantReport(Table, tablename="grant_report"):
    id: Serial
    grant = ForeignKey(references=GrantAgreement, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=10)  # progress | final
    period_start = Date()
    period_end = Date()
    due = Date(index=True)
    status = Varchar(length=12, default="due")  # due | submitted | approved | returned
    progress = Text(default="")  # what was done
    rnd_activity = Text(default="")
    deviations = Text(default="")
    spending = JSONB(default={})  # {budget line id: øre spent in the period}
    rnd_spent_ore = BigInt(default=0)
    # The attestation: a named municipal leader signs that no existing positions are financed.
    attested_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    attestation_name = Varchar(length=200, default="")
    attestation_role = Varchar(length=200, default="")
    no_existing_positions = Boolean(null=True, default=None)
    attested_at = Timestamptz(null=True, default=None)
    submitted_at = Timestamptz(null=True, default=None)
    reviewed_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    review_comment = Text(default="")
    reviewed_at = Timestamptz(null=True, default=None)
    # Reminders go once per report and step through klynge.once ("grant-report:<id>:<step>").


class Payment(Table, tablename="grant_payment"):
    id: Serial
    grant = ForeignKey(references=GrantAgreement, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=14)  # request | disbursement
    amount_ore = BigInt()
    on_date = Date()
    note = Varchar(length=300, default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
