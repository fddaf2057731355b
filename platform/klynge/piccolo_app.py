"""Piccolo app config for the platform core (app name "platform": migrations/platform/)."""

from piccolo.conf.apps import AppConfig

from klynge.audit import AuditEvent
from klynge.auth.tables import (
    Account,
    LoginThrottle,
    RefreshToken,
    RevokedSession,
    RoleAssignment,
)
from klynge.jobs.tables import Job
from klynge.mail.tables import MailOutbox
from klynge.notifications import Notification
from klynge.once import OnceClaim
from klynge.orgs.tables import (
    Cluster,
    ClusterMembership,
    Funder,
    MembershipEvent,
    Municipality,
    ResearchGroup,
    Service,
)
from klynge.paths import migrations_folder

APP_CONFIG = AppConfig(
    app_name="platform",
    migrations_folder_path=migrations_folder("platform"),
    table_classes=[
        Municipality,
        Cluster,
        ClusterMembership,
        MembershipEvent,
        Service,
        ResearchGroup,
        Funder,
        Account,
        RoleAssignment,
        RefreshToken,
        LoginThrottle,
        RevokedSession,
        Job,
        AuditEvent,
        Notification,
        OnceClaim,
        MailOutbox,
    ],
    migration_dependencies=[],
    commands=[],
)
