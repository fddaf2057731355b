"""Tables of the findings part: a project's outcomes (typed, with a plain-language summary, the
evidence behind them, links and attachments), and the deliveries that carry a published outcome
to every municipality and service that took part or asked, with their acknowledgement and
answers."""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    Boolean,
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
from klynge.orgs.tables import Cluster, Municipality, Service
from projects.tables import Project


class Outcome(Table, tablename="project_outcome"):
    """One result of a project. `kind`: finding | report | article | recommendation | tool |
    practice (changed practice)."""

    id: Serial
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20)
    title = Varchar(length=200)
    summary = Text(default="")  # plain language for leaders, in `summary_language` (nb | nn)
    summary_language = Varchar(length=2, default="nb")
    summary_en = Text(default="")
    practice = Text(default="")  # what it means for practice (in `summary_language`)
    evidence_type = Varchar(length=20, default="")  # the literature part's evidence types
    evidence_note = Text(default="")
    doi = Varchar(length=255, default="", index=True)
    # An article's metadata in the literature part's record shape: title, authors
    # [[family, given]], year, container, volume, issue, pages, url.
    citation = JSONB(default={})
    links = JSONB(default=[])  # [{"title": ..., "url": ...}]
    is_public = Boolean(default=False)  # shown on the public portal once published
    status = Varchar(length=12, default="draft", index=True)  # draft | published | withdrawn
    published_at = Timestamptz(null=True, default=None)
    published_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    # A recommendation proposed to the knowledge bank of measures (literature), for the
    # adviser to accept: scale and level as the literature part's evidence scales.
    measure_scale = Varchar(length=12, default="")
    measure_level = Varchar(length=12, default="")
    measure_status = Varchar(length=10, default="")  # "" | proposed | accepted | declined
    measure_slug = Varchar(length=200, default="")  # the knowledge-bank measure, once accepted
    measure_note = Text(default="")  # the adviser's reason when declined
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class OutcomeFile(Table, tablename="project_outcome_file"):
    """An attachment of an outcome, kept in the core file store (klynge.files)."""

    id: Serial
    outcome = ForeignKey(references=Outcome, on_delete=OnDelete.cascade, index=True)
    sha256 = Varchar(length=64)
    filename = Varchar(length=255)
    media_type = Varchar(length=100)
    size = Integer()
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class Delivery(Table, tablename="findings_delivery"):
    """A published outcome delivered to one recipient: a municipality (its coordinator and the
    relevant service leaders), a service (the asking service's leaders) or the cluster (its
    R&D advisers). `key` makes publishing twice or a retry create nothing new."""

    id: Serial
    key = Varchar(
        length=60, unique=True
    )  # "<outcome>:municipality:<id>" | ":service:" | ":cluster:"
    outcome = ForeignKey(references=Outcome, on_delete=OnDelete.cascade, index=True)
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=12)  # participant | endorser | asker | cluster | added
    municipality = ForeignKey(
        references=Municipality, null=True, on_delete=OnDelete.cascade, index=True
    )
    service = ForeignKey(references=Service, null=True, on_delete=OnDelete.cascade, index=True)
    language = Varchar(length=2, default="nb")  # the recipient's written standard: nb | nn
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    read_at = Timestamptz(null=True, default=None)
    read_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    answered_at = Timestamptz(null=True, default=None, index=True)
    answered_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    relevant = Varchar(length=8, default="")  # yes | partly | no
    will_use = Varchar(length=10, default="")  # yes | partly | no | undecided
    change = Text(default="")  # what we will change (privacy-guarded free text)
    reminders = Integer(default=0)  # reminders sent (each step once: klynge.once)
    last_reminded_at = Timestamptz(null=True, default=None)
    escalated_at = Timestamptz(null=True, default=None)


class DeliveryService(Table, tablename="findings_addressed_service"):
    """The relevant services of a municipality's delivery: their leaders are addressed too."""

    id: Serial
    delivery = ForeignKey(references=Delivery, on_delete=OnDelete.cascade, index=True)
    service = ForeignKey(references=Service, on_delete=OnDelete.cascade, index=True)
