"""Tables of the project workspace: participants, co-design sessions and their actions, the plan,
PDSA cycles with their measures, the approvals checklist and the project's documents. The project
row itself is `projects.tables.Project` (an accepted proposal creates it)."""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    Boolean,
    Date,
    Float,
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
from klynge.orgs.tables import Municipality, ResearchGroup, Service
from projects.tables import Project


class Participant(Table, tablename="project_participant"):
    """Who takes part: a research group (with the project leader), a municipality or a service
    (with a contact person), or a user representative recorded by role — never personal data
    about children. `status` follows invitations and requests to join."""

    id: Serial
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20)  # research_group | municipality | service | user_representative
    # Indexed each: the project list finds a caller's projects through any of them (an OR of
    # four conditions, one index each, or a sequential scan of every participant).
    group = ForeignKey(references=ResearchGroup, null=True, on_delete=OnDelete.cascade, index=True)
    municipality = ForeignKey(
        references=Municipality, null=True, on_delete=OnDelete.cascade, index=True
    )
    service = ForeignKey(references=Service, null=True, on_delete=OnDelete.cascade, index=True)
    # The project leader (group), the contact person (municipality/service), or the user
    # representative's own account where they have one.
    account = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null, index=True)
    # research_group: leader | partner; user_representative: youth | parent | user_organisation
    role = Varchar(length=30, default="")
    label = Varchar(length=200, default="")  # e.g. the user organisation or youth council
    status = Varchar(length=12, default="active")  # invited | requested | active | declined | left
    note = Text(default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    decided_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(null=True, default=None)


class CodesignSession(Table, tablename="codesign_session"):
    id: Serial
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    held_on = Date()
    mode = Varchar(length=12, default="in_person")  # in_person | video | hybrid
    place = Varchar(length=200, default="")
    # Who took part, by role: {"leaders": 2, "employees": 4, "researchers": 1, ...}
    attendance = JSONB(default={})
    user_representatives = Integer(default=0)
    agenda = Text(default="")
    decisions = Text(default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class ProjectAction(Table, tablename="project_action"):
    """A follow-up action (from a co-design session or the plan): shown to its owner until done."""

    id: Serial
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(references=CodesignSession, null=True, on_delete=OnDelete.set_null)
    title = Varchar(length=300)
    owner = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null, index=True)
    due = Date(null=True, default=None)
    done_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class PlanItem(Table, tablename="project_plan_item"):
    """Goals, work packages, milestones and deliverables; a milestone or deliverable may belong to
    a work package (`parent`)."""

    id: Serial
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=14)  # goal | work_package | milestone | deliverable
    parent = ForeignKey(references="self", null=True, on_delete=OnDelete.set_null)
    title = Varchar(length=300)
    description = Text(default="")
    starts_on = Date(null=True, default=None)
    due = Date(null=True, default=None)
    status = Varchar(length=12, default="planned")  # planned | in_progress | done | cancelled
    position = Integer(default=0)
    # Set when the overdue notice went to the project leader, so it goes once.
    overdue_notified_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PdsaCycle(Table, tablename="pdsa_cycle"):
    id: Serial
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    number = Integer()  # 1, 2, ... within the project
    title = Varchar(length=200, default="")
    # Plan
    change_idea = Text(default="")
    prediction = Text(default="")
    # Do
    done_what = Text(default="")
    started_on = Date(null=True, default=None)
    ended_on = Date(null=True, default=None)
    # Study
    study = Text(default="")
    learned = Text(default="")
    # Act
    decision = Varchar(length=10, default="")  # "" | adopt | adapt | abandon
    next_test = Text(default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Measure(Table, tablename="pdsa_measure"):
    """A measure a project follows (outcome, process or balancing), with a baseline; a cycle names
    the measures it predicts (`cycle`, optional)."""

    id: Serial
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    cycle = ForeignKey(references=PdsaCycle, null=True, on_delete=OnDelete.set_null)
    name = Varchar(length=200)
    kind = Varchar(length=10, default="outcome")  # outcome | process | balancing
    unit = Varchar(length=40, default="")
    better = Varchar(length=6, default="up")  # up | down: which direction is an improvement
    baseline = Float(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class MeasureValue(Table, tablename="pdsa_measure_value"):
    id: Serial
    measure = ForeignKey(references=Measure, on_delete=OnDelete.cascade, index=True)
    measured_on = Date()
    value = Float()
    note = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Approval(Table, tablename="project_approval"):
    """One item of the approvals checklist (REK, data protection, confidentiality exemption,
    consent routines, service/school owner approval, or another the adviser adds)."""

    id: Serial
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=30)  # rek | data_protection | confidentiality | consent | owner | other
    label = Varchar(length=200, default="")  # for `other`
    required = Boolean(null=True, default=None)  # None = not decided yet
    required_reason = Text(default="")
    status = Varchar(length=12, default="missing")  # missing | applied | approved | rejected
    reference = Varchar(length=100, default="")  # e.g. REK 2026/12345, Sikt 123456
    decided_on = Date(null=True, default=None)
    document = Integer(null=True, default=None)  # a ProjectDocument id
    updated_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz(default=TimestamptzNow())


class ProjectDocument(Table, tablename="project_document"):
    id: Serial
    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=12, default="other")  # plan | approval | minutes | other
    filename = Varchar(length=200)
    content_type = Varchar(length=100)
    size = Integer()
    sha256 = Varchar(length=64)
    storage_key = Varchar(length=200)  # the file store's key
    uploaded_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
