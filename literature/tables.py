"""Tables of the `literature` app: references and their imports, duplicates, literature checks
(searches, screening, verdict), and the knowledge bank of measures with their adoptions.

References belong to a cluster (what the cluster imported and screened is its own work); the
knowledge bank is shared by all clusters (measures are public), adoptions are per municipality.
"""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LazyTableReference,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from klynge.auth.tables import Account
from klynge.orgs.tables import Cluster, Municipality, Service

# Tables of other apps are referenced by name: an app never imports another app's tables.
NeedRef = LazyTableReference(table_class_name="Need", app_name="priorities")


class LiteratureCheck(Table, tablename="literature_check"):
    """A verification of one knowledge need against summarised research (domain.md §3)."""

    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    need = ForeignKey(references=NeedRef, on_delete=OnDelete.cascade, index=True)
    question = Text()  # the question as searched
    population = Text(default="")
    intervention = Text(default="")
    comparison = Text(default="")
    outcome = Text(default="")
    blind = Boolean(default=False)  # two screeners decide independently, then reconcile
    screeners = JSONB(default=[])  # account ids
    exclusion_reasons = JSONB(default=[])  # the configurable list for this check
    status = Varchar(length=12, default="open")  # open | completed
    verdict = Varchar(length=10, null=True, default=None)  # answered | partly | unanswered
    reason_code = Varchar(length=1, null=True, default=None)  # A-E persistent uncertainty
    certainty = Varchar(length=10, null=True, default=None)  # GRADE of the body of evidence
    verdict_summary = Text(default="")
    public = Boolean(default=False)  # verdict and reviews shown on the portal
    disseminate = Boolean(default=False)  # answered: tell whoever asked
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    completed_at = Timestamptz(null=True, default=None)
    completed_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)


class LiteratureImport(Table, tablename="literature_import"):
    """One uploaded reference file and its report."""

    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    check = ForeignKey(
        references=LiteratureCheck, null=True, on_delete=OnDelete.set_null, index=True
    )
    filename = Varchar(length=255)
    format = Varchar(length=10)  # ris | bibtex | medline | csljson | xlsx | csv
    source = Varchar(length=120)  # source database: PubMed, Cochrane Library, ...
    query = Text(default="")  # the search string that produced the file
    searched_on = Date(null=True, default=None)
    status = Varchar(length=10, default="running")  # running | done | undone | failed
    read = Integer(default=0)
    imported = Integer(default=0)
    duplicates = Integer(default=0)
    possible_duplicates = Integer(default=0)
    problems = JSONB(default=[])  # [{"record": n, "reason": "..."}]
    job_id = Varchar(length=36, default="")  # the job that runs the import
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    undone_at = Timestamptz(null=True, default=None)


class Reference(Table, tablename="literature_reference"):
    """A normalised bibliographic record, unique within its cluster after deduplication."""

    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    title = Text()
    abstract = Text(default="")
    authors = JSONB(default=[])  # [[family, given], ...]
    year = Integer(null=True, default=None)
    container = Text(default="")
    volume = Varchar(length=40, default="")
    issue = Varchar(length=40, default="")
    pages = Varchar(length=40, default="")
    doi = Varchar(length=255, default="", index=True)
    pmid = Varchar(length=20, default="", index=True)
    publication_types = JSONB(default=[])
    keywords = JSONB(default=[])
    keywords_text = Text(default="")  # keywords joined for full-text search
    language = Varchar(length=20, default="")
    url = Text(default="")
    evidence_type = Varchar(length=20, default="other", index=True)
    evidence_auto = Varchar(length=20, default="other")  # what the classifier said
    evidence_reason = Text(default="")
    evidence_corrected_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    summarised = Boolean(default=False, index=True)  # oppsummert forskning
    merged_into = ForeignKey(
        references=LazyTableReference("Reference", module_path="literature.tables"),
        null=True,
        on_delete=OnDelete.set_null,
        index=True,
    )
    first_import = ForeignKey(references=LiteratureImport, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class ReferenceSource(Table, tablename="literature_reference_source"):
    """Provenance: one record read from one import, kept with its raw text.

    `duplicate_tier` is set when the record was recognised as a duplicate (1 or 2) and merged
    into `reference` on import; PRISMA counts duplicates per source from these rows.
    """

    reference = ForeignKey(references=Reference, on_delete=OnDelete.cascade, index=True)
    literature_import = ForeignKey(
        references=LiteratureImport, on_delete=OnDelete.cascade, index=True
    )
    position = Integer()  # 1-based record number in the file
    raw = Text(default="")
    record = JSONB(default={})  # the normalised record as read (lets a merge be split again)
    duplicate_tier = Integer(null=True, default=None)
    duplicate_reason = Text(default="")


class DuplicateCandidate(Table, tablename="literature_duplicate"):
    """A possible duplicate pair (tier 3) for a person to confirm, and what they decided."""

    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    keeper = ForeignKey(references=Reference, on_delete=OnDelete.cascade, index=True)
    duplicate = ForeignKey(
        references=LazyTableReference("Reference", module_path="literature.tables"),
        on_delete=OnDelete.cascade,
        index=True,
    )
    score = Float(default=0.0)
    reason = Text(default="")
    status = Varchar(length=14, default="open")  # open | merged | not_duplicate | unmerged
    moved_sources = JSONB(default=[])  # ReferenceSource ids moved by the merge (for undo)
    decided_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class CheckSearch(Table, tablename="literature_check_search"):
    """A source searched for a check: which database, the query string and the date."""

    check = ForeignKey(references=LiteratureCheck, on_delete=OnDelete.cascade, index=True)
    source = Varchar(length=120)
    query = Text(default="")
    searched_on = Date(null=True, default=None)
    literature_import = ForeignKey(
        references=LiteratureImport, null=True, on_delete=OnDelete.set_null
    )
    hits = Integer(null=True, default=None)  # when no file was imported (e.g. zero hits)
    notes = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ScreeningDecision(Table, tablename="literature_screening"):
    """One screener's decision on one record at one stage; the latest per screener counts.

    `reconciled` marks the adviser's final word on a blind conflict.
    """

    check = ForeignKey(references=LiteratureCheck, on_delete=OnDelete.cascade, index=True)
    reference = ForeignKey(references=Reference, on_delete=OnDelete.cascade, index=True)
    stage = Varchar(length=10)  # title | fulltext
    decision = Varchar(length=10)  # include | exclude | uncertain
    reason = Varchar(length=80, default="")
    note = Text(default="")
    screener = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    reconciled = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class CheckReview(Table, tablename="literature_check_review"):
    """A review judged for the verdict, with its certainty and reliability."""

    check = ForeignKey(references=LiteratureCheck, on_delete=OnDelete.cascade, index=True)
    reference = ForeignKey(references=Reference, on_delete=OnDelete.cascade)
    certainty = Varchar(length=10, default="")  # GRADE: high | moderate | low | very_low
    reliability = Text(default="")
    supports = Varchar(length=10, default="answered")  # what this review says of the question


class Measure(Table, tablename="literature_measure"):
    """An evidence-based measure (tiltak) of the knowledge bank; public."""

    name = Varchar(length=200)
    slug = Varchar(length=200, unique=True)
    description = Text(default="")
    target_group = Text(default="")
    age_from = Integer(default=0)
    age_to = Integer(default=24)
    service_types = JSONB(default=[])  # ServiceType values
    scale = Varchar(length=12)  # ungsinn | ungsinn_old | grade | eif
    level = Varchar(length=10)
    links = JSONB(default=[])  # [{"title", "url"}]
    cluster = ForeignKey(references=Cluster, null=True, on_delete=OnDelete.set_null)
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class MeasureReference(Table, tablename="literature_measure_reference"):
    """Summarised research behind a measure."""

    measure = ForeignKey(references=Measure, on_delete=OnDelete.cascade, index=True)
    reference = ForeignKey(references=Reference, on_delete=OnDelete.cascade)


class Adoption(Table, tablename="literature_adoption"):
    """ "We use this measure": a municipality (and service) since a date."""

    measure = ForeignKey(references=Measure, on_delete=OnDelete.cascade, index=True)
    municipality = ForeignKey(references=Municipality, on_delete=OnDelete.cascade, index=True)
    service = ForeignKey(references=Service, null=True, on_delete=OnDelete.set_null)
    since = Date(null=True, default=None)
    note = Text(default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
