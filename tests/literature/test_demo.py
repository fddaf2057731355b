"""The literature demo (`klynge demo`): every sample file imported through the real importer,
duplicates found across files, two completed checks with consistent PRISMA counts, and the
knowledge bank with evidence levels and adoptions; idempotent."""

from __future__ import annotations

from collections import Counter


async def test_literature_demo_is_realistic_and_idempotent(db) -> None:
    from klynge import demo
    from klynge.auth.principal import Grant, Principal
    from klynge.auth.roles import OrgKind, Role
    from literature import checks, evidence
    from literature.tables import (
        Adoption,
        DuplicateCandidate,
        LiteratureCheck,
        LiteratureImport,
        Measure,
        MeasureReference,
        Reference,
    )
    from priorities.tables import Need

    assert await demo.seed() is True
    imports = await LiteratureImport.select().order_by(LiteratureImport.id)
    assert {i["format"] for i in imports} == {"medline", "ris", "bibtex", "csljson", "xlsx"}
    assert all(i["status"] == "done" and i["problems"] in ([], "[]") for i in imports)
    read = sum(i["read"] for i in imports)
    assert 300 <= read <= 400
    duplicates = sum(i["duplicates"] for i in imports)
    assert duplicates >= 25  # the sample files repeat works across sources
    assert await Reference.count() == read - duplicates
    assert await DuplicateCandidate.count() >= 4  # fuzzy pairs for a person to confirm
    types = Counter(r["evidence_type"] for r in await Reference.select(Reference.evidence_type))
    assert types["systematic_review"] > 0
    assert types["rct"] > 0
    assert types["guideline"] > 0

    completed = await LiteratureCheck.select().where(LiteratureCheck.status == "completed")
    assert sorted(c["verdict"] for c in completed) == ["answered", "partly"]
    admin = Principal(
        account_id=0,
        name="admin",
        email="a@x",
        language="nb",
        grants=(Grant(Role.PLATFORM_ADMIN, OrgKind.PLATFORM, None),),
    )
    for check in completed:
        counts = await checks.prisma_for(admin, check["id"])
        assert counts.problems == []
        assert counts.studies_included >= 1
        assert counts.identified_total == counts.duplicates_removed + counts.records_screened
        need = (
            await Need.select(Need.status, Need.knowledge_gap)
            .where(Need.id == check["need"])
            .first()
        )
        assert need is not None
        # The partly answered need (school absence) went on to a demo project, which moved it to
        # "matched"; the answered one stays literature-checked.
        expected = {"answered": "literature_checked", "partly": "matched"}[check["verdict"]]
        assert need["status"] == expected
        assert need["knowledge_gap"] == {"answered": 1, "partly": 3}[check["verdict"]]

    measures = await Measure.select()
    assert 8 <= len(measures) <= 15
    assert all(evidence.normalise_level(m["scale"], m["level"]) == m["level"] for m in measures)
    assert {m["scale"] for m in measures} == set(evidence.SCALES)
    assert await MeasureReference.count() >= len(measures)
    assert await Adoption.count() >= 5

    assert await demo.seed() is False  # idempotent
    assert await LiteratureImport.count() == len(imports)
