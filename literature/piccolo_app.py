"""Piccolo app config for `literature`."""

from piccolo.conf.apps import AppConfig

from klynge.paths import migrations_folder
from literature.tables import (
    Adoption,
    CheckReview,
    CheckSearch,
    DuplicateCandidate,
    LiteratureCheck,
    LiteratureImport,
    Measure,
    MeasureReference,
    Reference,
    ReferenceSource,
    ScreeningDecision,
)

APP_CONFIG = AppConfig(
    app_name="literature",
    migrations_folder_path=migrations_folder("literature"),
    table_classes=[
        LiteratureCheck,
        LiteratureImport,
        Reference,
        ReferenceSource,
        DuplicateCandidate,
        CheckSearch,
        ScreeningDecision,
        CheckReview,
        Measure,
        MeasureReference,
        Adoption,
    ],
    migration_dependencies=["klynge.piccolo_app", "priorities.piccolo_app"],
    commands=[],
)
