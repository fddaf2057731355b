"""Piccolo app config for `projects`."""

from piccolo.conf.apps import AppConfig

from klynge.paths import migrations_folder
from projects.findings.tables import Delivery, DeliveryService, Outcome, OutcomeFile
from projects.grants.tables import (
    Application,
    BudgetLine,
    Call,
    FinancingLine,
    GrantAgreement,
    GrantReport,
    Payment,
    Review,
)
from projects.tables import (
    Assignment,
    Conflict,
    GroupMember,
    GroupProfile,
    GroupPublication,
    Interest,
    Match,
    MatchRun,
    Project,
    Proposal,
    PublicationVector,
)
from projects.workspace.tables import (
    Approval,
    CodesignSession,
    Measure,
    MeasureValue,
    Participant,
    PdsaCycle,
    PlanItem,
    ProjectAction,
    ProjectDocument,
)

APP_CONFIG = AppConfig(
    app_name="projects",
    migrations_folder_path=migrations_folder("projects"),
    table_classes=[
        GroupProfile,
        GroupMember,
        GroupPublication,
        PublicationVector,
        Conflict,
        MatchRun,
        Match,
        Assignment,
        Interest,
        Proposal,
        Project,
        Participant,
        CodesignSession,
        ProjectAction,
        PlanItem,
        PdsaCycle,
        Measure,
        MeasureValue,
        Approval,
        ProjectDocument,
        Call,
        Application,
        BudgetLine,
        FinancingLine,
        Review,
        GrantAgreement,
        GrantReport,
        Payment,
        Outcome,
        OutcomeFile,
        Delivery,
        DeliveryService,
    ],
    migration_dependencies=["klynge.piccolo_app", "priorities.piccolo_app"],
    commands=[],
)
