"""Tables of the `projects` app: research group profiles and publications, stored matches,
round assignments, researchers' interest, project proposals and the projects they create."""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    Boolean,
    Bytea,
    Date,
    Float,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from klynge.auth.tables import Account
from klynge.orgs.tables import Cluster, ResearchGroup, Service

# Tables of other apps are referenced by name: an app never imports another app's tables.
NeedRef = LazyTableReference(table_class_name="Need", app_name="priorities")
PriorityRoundRef = LazyTableReference(table_class_name="PriorityRound", app_name="priorities")


class GroupProfile(Table, tablename="group_profile"):
    """What matching needs to know about a research group, beyond its core record."""

    group = ForeignKey(references=ResearchGroup, on_delete=OnDelete.cascade, unique=True)
    expertise = Text(default="")  # the expertise description
    keywords = JSONB(default=[])
    methods = JSONB(default=[])  # Method values
    target_groups = JSONB(default=[])
    service_types = JSONB(default=[])  # ServiceType values the group knows
    languages = JSONB(default=[])  # ISO 639-1
    region = Varchar(length=120, default="")
    location = Varchar(length=120, default="")  # place name
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)
    capacity = Integer(default=0)  # new projects it can take this year
    recency_years = Integer(null=True, default=None)  # publications window; None = all
    updated_at = Timestamptz(default=TimestamptzNow())


class GroupMember(Table, tablename="group_member"):
    group = ForeignKey(references=ResearchGroup, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=200)
    role = Varchar(length=120, default="")
    orcid = Varchar(length=19, default="")  # 0000-0002-1825-0097, ISO 7064 11,2 checked
    account = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    # Where the researcher also works (e.g. a clinician in BUP): the basis of conflict rules.
    employer_service = ForeignKey(references=Service, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class GroupPublication(Table, tablename="group_publication"):
    """A publication of a group; `included` is the group's curation (remembered on re-import)."""

    group = ForeignKey(references=ResearchGroup, on_delete=OnDelete.cascade, index=True)
    title = Text()
    abstract = Text(default="")
    authors = JSONB(default=[])
    year = Integer(null=True, default=None)
    container = Text(default="")
    doi = Varchar(length=255, default="", index=True)
    pmid = Varchar(length=20, default="")
    keywords = JSONB(default=[])
    language = Varchar(length=20, default="")
    url = Text(default="")
    included = Boolean(default=True)
    source = Varchar(length=20, default="manual")  # manual | ris | bibtex | csljson | xlsx ...
    created_at = Timestamptz(default=TimestamptzNow())


class PublicationVector(Table, tablename="publication_vector"):
    """A publication's embedding for one model (unique per publication and model): the model's
    version and the text's hash say whether it is still current (see projects.embeddings)."""

    publication = ForeignKey(references=GroupPublication, on_delete=OnDelete.cascade, index=True)
    model = Varchar(length=20)  # a key of projects.matching.embedders.MODELS
    version = Varchar(length=120)  # ModelInfo.version when it was computed
    text_hash = Varchar(length=40)  # of the embedded text (title + abstract)
    vector = Bytea()  # float32, L2-normalised
    created_at = Timestamptz(default=TimestamptzNow())


class Conflict(Table, tablename="match_conflict"):
    """A manual conflict of interest: the group (or one member) must not be matched."""

    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    need = ForeignKey(references=NeedRef, null=True, on_delete=OnDelete.cascade)  # None = all
    group = ForeignKey(references=ResearchGroup, on_delete=OnDelete.cascade, index=True)
    reason = Text(default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class MatchRun(Table, tablename="match_run"):
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=10, default="queued")  # queued | done | failed
    job_id = Varchar(length=36, default="")
    needs = Integer(default=0)
    groups = Integer(default=0)
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)


class Match(Table, tablename="need_match"):
    """A stored match of a need to a group with its explanation (served to the need's page)."""

    run = ForeignKey(references=MatchRun, on_delete=OnDelete.cascade, index=True)
    need = ForeignKey(references=NeedRef, on_delete=OnDelete.cascade, index=True)
    group = ForeignKey(references=ResearchGroup, on_delete=OnDelete.cascade, index=True)
    rank = Integer()
    score = Float()
    text_fit = Float(default=0.0)
    explanation = JSONB(default={})


class Assignment(Table, tablename="assignment"):
    """A proposed assignment of a closed round's needs to candidate groups."""

    round = ForeignKey(references=PriorityRoundRef, on_delete=OnDelete.cascade, index=True)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    k = Integer(default=2)
    weak_threshold = Float(default=0.2)
    pins = JSONB(default=[])  # [[need, group], ...]
    forbids = JSONB(default=[])
    status = Varchar(length=10, default="queued")  # queued | done | failed
    result = JSONB(default={})
    message = Text(default="")
    job_id = Varchar(length=36, default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class Interest(Table, tablename="match_interest"):
    """A research group's answer to a matched need: interested, or declined with a reason."""

    need = ForeignKey(references=NeedRef, on_delete=OnDelete.cascade, index=True)
    group = ForeignKey(references=ResearchGroup, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=10)  # interested | declined
    reason = Text(default="")
    account = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class Proposal(Table, tablename="proposal"):
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    group = ForeignKey(references=ResearchGroup, on_delete=OnDelete.cascade, index=True)
    need_ids = JSONB(default=[])
    title = Varchar(length=200)
    aims = Text(default="")
    research_questions = Text(default="")
    design = Text(default="")  # design and methods
    methods = JSONB(default=[])
    codesign = JSONB(default={})  # municipalities, services, user representatives, how
    ethics = JSONB(default=[])  # rek | sikt | bufdir_exemption | dpia
    ethics_note = Text(default="")
    budget_nok = Integer(null=True, default=None)
    start = Date(null=True, default=None)
    end = Date(null=True, default=None)
    timeline = Text(default="")
    status = Varchar(length=20, default="submitted")
    # submitted | changes_requested | accepted | declined | withdrawn
    review_reason = Text(default="")
    reviewed_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    reviewed_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Project(Table, tablename="project"):
    """A co-designed project, created when a proposal is accepted (see projects.workspace)."""

    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    proposal = ForeignKey(references=Proposal, null=True, on_delete=OnDelete.set_null)
    group = ForeignKey(references=ResearchGroup, on_delete=OnDelete.restrict, index=True)
    title = Varchar(length=200)
    status = Varchar(length=20, default="planned")
    need_ids = JSONB(default=[])
    municipality_ids = JSONB(default=[])
    created_at = Timestamptz(default=TimestamptzNow())
    # The workspace: leader, dates, summaries, keywords, registrations elsewhere, visibility.
    leader = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    summary_popular = Text(default="")  # for leaders, in `summary_language` (nb | nn)
    summary_language = Varchar(length=2, default="nb")
    summary_en = Text(default="")
    summary_academic = Text(default="")
    keywords = JSONB(default=[])
    service_areas = JSONB(default=[])  # ServiceType values
    registrations = JSONB(default={})  # {"cristin": "...", "nva": "...", "clinicaltrials": ...}
    is_public = Boolean(default=False)  # the public summary is shown on the portal
    # Funders with an application to one of their calls (kept by projects.grants): they read it.
    funder_ids = JSONB(default=[])
    status_changed_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())
