"""Tables of the priorities app: knowledge needs and Blankholm prioritisation rounds."""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    Boolean,
    ForeignKey,
    Integer,
    LazyTableReference,
    Real,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from klynge.auth.tables import Account
from klynge.orgs.tables import Cluster, Municipality, Service


class Need(Table, tablename="need"):
    """A knowledge need (kunnskapsbehov): a research question from a municipal service."""

    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    municipality = ForeignKey(references=Municipality, on_delete=OnDelete.restrict)
    service = ForeignKey(references=Service, null=True, on_delete=OnDelete.set_null)
    submitted_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    title = Varchar(length=200)
    question = Text()
    background = Text(default="")
    age_from = Integer(default=0)
    age_to = Integer(default=24)
    target_group = Text(default="")
    prevention_level = Varchar(length=12)  # universal | selected | indicated
    intended_use = Varchar(length=20)  # service_development | decision | evaluate_measure | other
    language = Varchar(length=2, default="nb")
    cross_service = Boolean(default=False, index=True)  # two or more services: sammensatt
    status = Varchar(length=20, default="draft", index=True)
    status_reason = Text(default="")
    rank = Integer(null=True, default=None)  # set when prioritised
    knowledge_gap = Integer(null=True, default=None)  # 1/3/5 from the literature verdict
    merged_into = ForeignKey(
        references=LazyTableReference("Need", module_path="priorities.tables"),
        null=True,
        on_delete=OnDelete.set_null,
    )
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    submitted_at = Timestamptz(null=True, default=None)
    # Answered by a project's findings (projects.findings): the public summary and the link.
    answer_summary = Text(default="")
    answer_link = Varchar(length=300, default="")
    answered_at = Timestamptz(null=True, default=None)


class NeedTerm(Table, tablename="need_term"):
    """A word stem of a need's text with its field-weighted count (priorities.similarity):
    similar needs are found through shared rare terms in SQL, not by comparing every need."""

    need = ForeignKey(references=Need, on_delete=OnDelete.cascade, index=True)
    cluster = Integer()  # the need's cluster, for the (cluster, term) index of the migration
    term = Varchar(length=60)
    weight = Real()


class NeedService(Table, tablename="need_service"):
    need = ForeignKey(references=Need, on_delete=OnDelete.cascade, index=True)
    service = ForeignKey(references=Service, on_delete=OnDelete.cascade)


class NeedSubmitter(Table, tablename="need_submitter"):
    """Everyone who submitted the need; a merge moves the submitters of both needs here."""

    need = ForeignKey(references=Need, on_delete=OnDelete.cascade, index=True)
    account = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    municipality = ForeignKey(references=Municipality, on_delete=OnDelete.cascade)
    service = ForeignKey(references=Service, null=True, on_delete=OnDelete.set_null)
    original_need = Integer()  # the need it was first submitted as
    created_at = Timestamptz(default=TimestamptzNow())


class NeedEndorsement(Table, tablename="need_endorsement"):
    """ "We have the same need" from another municipality of the cluster."""

    need = ForeignKey(references=Need, on_delete=OnDelete.cascade, index=True)
    municipality = ForeignKey(references=Municipality, on_delete=OnDelete.cascade)
    service = ForeignKey(references=Service, null=True, on_delete=OnDelete.set_null)
    account = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class NeedEvent(Table, tablename="need_event"):
    """The need's history: status changes with reason and actor, edits, merges, endorsements."""

    need = ForeignKey(references=Need, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow())
    actor = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    kind = Varchar(length=12)  # status | edit | merge | endorse
    from_status = Varchar(length=20, default="")
    to_status = Varchar(length=20, default="")
    reason = Text(default="")
    original_need = Integer(null=True, default=None)  # history carried over by a merge


class PriorityRound(Table, tablename="priority_round"):
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    status = Varchar(length=10, default="open")  # open | closed
    deadline = Timestamptz(null=True, default=None)
    weights = JSONB(default="{}")  # criterion -> weight
    weighting = Varchar(length=12, default="group")  # group | municipality | none
    pseudonymise = Boolean(default=True)  # raters pseudonymised in exports unless agreed
    publish_public = Boolean(default=False)  # the published list also on the public portal
    result = JSONB(null=True, default=None)  # the computed ranking, stored at close
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)


class RoundNeed(Table, tablename="round_need"):
    round = ForeignKey(references=PriorityRound, on_delete=OnDelete.cascade, index=True)
    need = ForeignKey(references=Need, on_delete=OnDelete.cascade, index=True)
    # The need's knowledge-gap score when the round closed: a later literature verdict must
    # not change a closed round's ranking.
    knowledge_gap = Integer(null=True, default=None)


class RoundRater(Table, tablename="round_rater"):
    """A panel member: an account, their stakeholder group and their municipality."""

    round = ForeignKey(references=PriorityRound, on_delete=OnDelete.cascade, index=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    stakeholder_group = Varchar(length=12)  # leaders | staff | users | researchers
    municipality = ForeignKey(references=Municipality, null=True, on_delete=OnDelete.set_null)
    finished_at = Timestamptz(null=True, default=None)


class Score(Table, tablename="score"):
    """One rater's answers for one need; None = "kan ikke vurdere"."""

    round = ForeignKey(references=PriorityRound, on_delete=OnDelete.cascade, index=True)
    rater = ForeignKey(references=RoundRater, on_delete=OnDelete.cascade, index=True)
    need = ForeignKey(references=Need, on_delete=OnDelete.cascade)
    nytte = Integer(null=True, default=None)
    alvorlighet = Integer(null=True, default=None)
    ressurs = Integer(null=True, default=None)
    comment = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class Decision(Table, tablename="decision"):
    """The adviser's decision per need, with the beslutningsgrunnlag (domain.md §2)."""

    round = ForeignKey(references=PriorityRound, on_delete=OnDelete.cascade, index=True)
    need = ForeignKey(references=Need, on_delete=OnDelete.cascade)
    decision = Varchar(length=16)  # prioritised | not_prioritised | deferred
    justification = Text()
    situation = Text(default="")
    frame = Text(default="")  # legal, economic and professional frame
    assessment = Text(default="")  # per criterion
    knowledge_base = Text(default="")  # and its uncertainty
    participation = Text(default="")
    child_best_interest = Text(default="")  # barnets beste
    local_conditions = Text(default="")
    equal_access = Text(default="")  # likeverdig tilgang
    departs_reason = Text(default="")  # required when the decision departs from the rank
    decided_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(default=TimestamptzNow())
