"""The literature API end to end: imports (report, bad files, undo), duplicates, checks with
screening, PRISMA and verdict, exports, measures, and tenant scoping."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from literature.formats import ris
from tests.conftest import World
from tests.literature.conftest import RIS, import_file

DUPLICATES_RIS = """TY  - JOUR
TI  - Parent training for children with conduct problems: A systematic review and meta-analysis.
AU  - Sorlie, M.
PY  - 2019
DO  - https://doi.org/10.5555/PTR.2019.1
ER  -

TY  - JOUR
TI  - School absence and child welfare: a register study
AU  - Nordmann, K.
PY  - 2022
ER  -

TY  - JOUR
TI  - Kindergarten based early intervention for language dificulties: a randomised trial
AU  - Hansen, Ola
PY  - 2021
ER  -
"""


async def test_import_reports_and_deduplicates_against_stored(
    client: Any, needs_world: World
) -> None:
    adviser = needs_world.headers["adviser_a"]
    first = await import_file(client, adviser, RIS)
    assert first["status"] == "done", first
    assert (first["read"], first["imported"], first["duplicates"]) == (3, 3, 0)
    second = await import_file(client, adviser, DUPLICATES_RIS, source="Cochrane Library")
    # DOI (tier 1), title + author + year within 1 (tier 2), fuzzy title -> possible (tier 3).
    assert (second["read"], second["imported"], second["duplicates"]) == (3, 1, 2)
    assert second["possible_duplicates"] == 1
    refs = (await client.get("/api/literature/references", headers=adviser)).json()
    assert refs["total"] == 4
    found = (
        await client.get("/api/literature/references", params={"q": "parent"}, headers=adviser)
    ).json()
    reference = (
        await client.get(f"/api/literature/references/{found['hits'][0]['id']}", headers=adviser)
    ).json()
    assert [src["source"] for src in reference["sources"]] == ["PubMed", "Cochrane Library"]
    assert reference["sources"][1]["duplicate_tier"] == 1
    assert reference["evidence_type"] in ("meta_analysis", "systematic_review")
    assert reference["summarised"] is True


async def test_broken_records_are_reported_and_the_rest_imported(
    client: Any, needs_world: World
) -> None:
    broken = RIS + "TY  - JOUR\nAU  - Uten, Tittel\nPY  - 2020\nER  - \n"
    out = await import_file(client, needs_world.headers["adviser_a"], broken)
    assert out["read"] == 4
    assert out["imported"] == 3
    assert [p["record"] for p in out["problems"]] == [4]
    assert "tittel" in out["problems"][0]["reason"]


async def test_bad_files_fail_clearly_and_write_nothing(client: Any, needs_world: World) -> None:
    adviser = needs_world.headers["adviser_a"]
    garbage = await import_file(client, adviser, b"\x00\x01\x02binary\xff" * 50)
    assert garbage["status"] == "failed"
    assert garbage["problems"][0]["reason"]
    wrong = await import_file(client, adviser, '{"not": "ris"}', filename="data.ris")
    assert wrong["status"] == "failed"
    truncated = await import_file(
        client, adviser, '[{"title": "A"', fmt="csljson", filename="x.json"
    )
    assert truncated["status"] == "failed"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 300_000_000)
    bomb = await import_file(client, adviser, buffer.getvalue(), fmt="xlsx", filename="b.xlsx")
    assert bomb["status"] == "failed"
    refs = (await client.get("/api/literature/references", headers=adviser)).json()
    assert refs["total"] == 0
    # Wrong extension for the format and oversize files are refused before any job runs.
    response = await client.post(
        "/api/literature/imports",
        files={"file": ("sok.json", b"TY  - JOUR", "text/plain")},
        data={"format": "ris", "source": "PubMed"},
        headers=adviser,
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    unknown = await client.post(
        "/api/literature/imports",
        files={"file": ("sok.ris", b"TY  - JOUR", "text/plain")},
        data={"format": "endnote", "source": "PubMed"},
        headers=adviser,
    )
    assert unknown.status_code == 422
    assert any(e["field"] == "format" for e in unknown.json()["errors"])


async def test_oversize_file_is_refused(client: Any, app: Any, needs_world: World) -> None:
    limit = app.state.settings.max_upload_bytes
    response = await client.post(
        "/api/literature/imports",
        files={"file": ("big.ris", b"x" * (limit + 1), "text/plain")},
        data={"format": "ris", "source": "PubMed"},
        headers=needs_world.headers["adviser_a"],
    )
    assert response.status_code == 413


async def test_only_advisers_import_and_other_clusters_see_nothing(
    client: Any, needs_world: World
) -> None:
    out = await import_file(client, needs_world.headers["adviser_a"], RIS)
    response = await client.post(
        "/api/literature/imports",
        files={"file": ("sok.ris", RIS.encode(), "text/plain")},
        data={"format": "ris", "source": "PubMed"},
        headers=needs_world.headers["coordinator_askoy"],
    )
    assert response.status_code == 403
    other = needs_world.headers["adviser_b"]
    assert (
        await client.get(f"/api/literature/imports/{out['id']}", headers=other)
    ).status_code == 404
    assert (await client.get("/api/literature/references", headers=other)).json()["total"] == 0
    member = needs_world.headers["coordinator_askoy"]
    assert (await client.get("/api/literature/references", headers=member)).json()["total"] == 3
    admin = needs_world.headers["admin"]
    assert (await client.get("/api/literature/references", headers=admin)).json()["total"] == 3


async def test_undo_removes_what_the_import_added(client: Any, needs_world: World) -> None:
    adviser = needs_world.headers["adviser_a"]
    first = await import_file(client, adviser, RIS)
    second = await import_file(client, adviser, DUPLICATES_RIS, source="Cochrane Library")
    undone = await client.post(f"/api/literature/imports/{second['id']}/undo", headers=adviser)
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "undone"
    refs = (await client.get("/api/literature/references", headers=adviser)).json()
    assert refs["total"] == 3
    again = await client.post(f"/api/literature/imports/{second['id']}/undo", headers=adviser)
    assert again.status_code == 409
    dups = (await client.get("/api/literature/duplicates", headers=adviser)).json()
    assert dups == []
    # Undoing the first import too leaves nothing.
    await client.post(f"/api/literature/imports/{first['id']}/undo", headers=adviser)
    assert (await client.get("/api/literature/references", headers=adviser)).json()["total"] == 0


async def test_possible_duplicate_merge_undo_and_not_duplicate(
    client: Any, needs_world: World
) -> None:
    adviser = needs_world.headers["adviser_a"]
    await import_file(client, adviser, RIS)
    await import_file(client, adviser, DUPLICATES_RIS, source="Cochrane Library")
    (pair,) = (await client.get("/api/literature/duplicates", headers=adviser)).json()
    # Another cluster's adviser gets exactly the answer for an id that does not exist.
    other = needs_world.headers["adviser_b"]
    probes = [
        await client.post(
            f"/api/literature/duplicates/{i}", json={"decision": "merge"}, headers=other
        )
        for i in (pair["id"], 10**6)
    ]
    assert [(r.status_code, r.json()["detail"]) for r in probes] == [
        (404, probes[1].json()["detail"])
    ] * 2
    merged = await client.post(
        f"/api/literature/duplicates/{pair['id']}", json={"decision": "merge"}, headers=adviser
    )
    assert merged.json()["status"] == "merged"
    assert (await client.get("/api/literature/references", headers=adviser)).json()["total"] == 3
    keeper = (
        await client.get(f"/api/literature/references/{pair['keeper']['id']}", headers=adviser)
    ).json()
    assert {s["source"] for s in keeper["sources"]} == {"PubMed", "Cochrane Library"}
    unmerged = await client.post(
        f"/api/literature/duplicates/{pair['id']}", json={"decision": "unmerge"}, headers=adviser
    )
    assert unmerged.json()["status"] == "unmerged"
    assert (await client.get("/api/literature/references", headers=adviser)).json()["total"] == 4
    not_dup = await client.post(
        f"/api/literature/duplicates/{pair['id']}",
        json={"decision": "not_duplicate"},
        headers=adviser,
    )
    assert not_dup.json()["status"] == "not_duplicate"
    # Remembered: importing the same file again does not propose the pair again.
    third = await import_file(client, adviser, DUPLICATES_RIS, source="Epistemonikos")
    assert third["possible_duplicates"] == 0
    assert third["imported"] == 0


async def test_an_automatic_merge_can_be_split(client: Any, needs_world: World) -> None:
    adviser = needs_world.headers["adviser_a"]
    await import_file(client, adviser, RIS)
    await import_file(client, adviser, DUPLICATES_RIS, source="Cochrane Library")
    hits = (
        await client.get("/api/literature/references", params={"q": "absence"}, headers=adviser)
    ).json()["hits"]
    reference = (
        await client.get(f"/api/literature/references/{hits[0]['id']}", headers=adviser)
    ).json()
    merged_source = next(s for s in reference["sources"] if s["duplicate_tier"] == 2)
    other = needs_world.headers["adviser_b"]
    probes = [
        await client.post(f"/api/literature/sources/{i}/split", headers=other)
        for i in (merged_source["id"], 10**6)
    ]
    assert [(r.status_code, r.json()["detail"]) for r in probes] == [
        (404, probes[1].json()["detail"])
    ] * 2
    split = await client.post(
        f"/api/literature/sources/{merged_source['id']}/split", headers=adviser
    )
    assert split.status_code == 200, split.text
    assert split.json()["year"] == 2022
    assert (await client.get("/api/literature/references", headers=adviser)).json()["total"] == 5


async def test_evidence_type_correction_is_kept(client: Any, needs_world: World) -> None:
    adviser = needs_world.headers["adviser_a"]
    await import_file(client, adviser, RIS)
    hits = (
        await client.get("/api/literature/references", params={"q": "register"}, headers=adviser)
    ).json()["hits"]
    ref_id = hits[0]["id"]
    response = await client.post(
        f"/api/literature/references/{ref_id}/evidence-type",
        json={"evidence_type": "systematic_review"},
        headers=adviser,
    )
    out = response.json()
    assert out["evidence_type"] == "systematic_review"
    assert out["evidence_auto"] == "other_primary"
    assert out["evidence_corrected"] is True
    assert out["summarised"] is True
    summarised = (
        await client.get(
            "/api/literature/references", params={"summarised": "true"}, headers=adviser
        )
    ).json()
    assert ref_id in [h["id"] for h in summarised["hits"]]
    refused = await client.post(
        f"/api/literature/references/{ref_id}/evidence-type",
        json={"evidence_type": "rct"},
        headers=needs_world.headers["coordinator_askoy"],
    )
    assert refused.status_code == 403


async def _check(client: Any, world: World, need_id: int, **body: Any) -> dict[str, Any]:
    response = await client.post(
        f"/api/needs/{need_id}/literature-checks",
        json={"question": "Virker foreldretrening for barn med atferdsvansker?", **body},
        headers=world.headers["adviser_a"],
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _decide(
    client: Any, headers: dict[str, str], check_id: int, ref: int, decision: str, **extra: Any
) -> Any:
    return await client.post(
        f"/api/literature-checks/{check_id}/decisions",
        json={"reference_id": ref, "decision": decision, **extra},
        headers=headers,
    )


async def test_check_screening_prisma_and_verdict(
    client: Any, needs_world: World, need_id: int
) -> None:
    adviser = needs_world.headers["adviser_a"]
    check = await _check(client, needs_world, need_id, exclusion_reasons=["Feil populasjon"])
    assert check["exclusion_reasons"] == ["Feil populasjon", "not_retrieved"]
    await import_file(client, adviser, RIS, extra={"check_id": check["id"], "query": "parent*"})
    await import_file(
        client, adviser, DUPLICATES_RIS, source="Cochrane", extra={"check_id": check["id"]}
    )
    await client.post(
        f"/api/literature-checks/{check['id']}/searches",
        json={"source": "Campbell", "query": "parent training", "hits": 0},
        headers=adviser,
    )
    candidates = (
        await client.get(f"/api/literature-checks/{check['id']}/candidates", headers=adviser)
    ).json()
    ids = {c["reference"]["title"][:20]: c["reference"]["id"] for c in candidates}
    assert len(candidates) == 4  # 6 records, 2 exact duplicates
    parent, absence, kinder, fuzzy = (
        ids["Parent training for "],
        ids["School absence and c"],
        ids["Kindergarten-based e"],
        ids["Kindergarten based e"],
    )
    assert (await _decide(client, adviser, check["id"], parent, "include")).status_code == 201
    await _decide(client, adviser, check["id"], absence, "exclude", reason="Feil populasjon")
    await _decide(client, adviser, check["id"], kinder, "uncertain")
    bad = await _decide(client, adviser, check["id"], fuzzy, "exclude", reason="Made up")
    assert bad.status_code == 422
    # Full text: only records sent on from title/abstract; exclusions need a listed reason.
    early = await _decide(client, adviser, check["id"], absence, "include", stage="fulltext")
    assert early.status_code == 422
    no_reason = await _decide(client, adviser, check["id"], kinder, "exclude", stage="fulltext")
    assert no_reason.status_code == 422
    await _decide(
        client, adviser, check["id"], kinder, "exclude", stage="fulltext", reason="not_retrieved"
    )
    await _decide(client, adviser, check["id"], parent, "include", stage="fulltext")
    out = (await client.get(f"/api/literature-checks/{check['id']}", headers=adviser)).json()
    prisma = out["prisma"]
    assert prisma["identified_per_source"] == {"PubMed": 3, "Cochrane": 3}
    assert prisma["identified_total"] == 6
    assert prisma["duplicates_removed"] == 2
    assert prisma["records_screened"] == 3
    assert prisma["awaiting_title"] == 0
    assert prisma["records_excluded"] == 1
    assert prisma["reports_sought"] == 2
    assert prisma["reports_not_retrieved"] == 1
    assert prisma["reports_assessed"] == 1
    assert prisma["studies_included"] == 1
    assert [s["source"] for s in out["searches"]] == ["PubMed", "Cochrane", "Campbell"]
    svg = await client.get(f"/api/literature-checks/{check['id']}/prisma.svg", headers=adviser)
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "<title" in svg.text
    assert "<desc" in svg.text

    # The import that screening used can no longer be undone.
    first_import = out["imports"][0]
    assert first_import["can_undo"] is False
    undo = await client.post(f"/api/literature/imports/{first_import['id']}/undo", headers=adviser)
    assert undo.status_code == 409

    missing_code = await client.post(
        f"/api/literature-checks/{check['id']}/verdict",
        json={"verdict": "partly", "reviews": [{"reference_id": parent}]},
        headers=adviser,
    )
    assert missing_code.status_code == 422
    verdict = await client.post(
        f"/api/literature-checks/{check['id']}/verdict",
        json={
            "verdict": "answered",
            "certainty": "moderate",
            "reviews": [
                {"reference_id": parent, "certainty": "moderate", "reliability": "AMSTAR høy"}
            ],
            "summary": "Foreldretrening virker på atferdsvansker.",
            "public": True,
        },
        headers=adviser,
    )
    assert verdict.status_code == 200, verdict.text
    done = verdict.json()
    assert done["status"] == "completed"
    assert done["disseminate"] is True
    assert done["disseminate_to"] == ["Barnevernet i Askøy"]
    assert done["reviews"][0]["reference"]["id"] == parent
    need = (await client.get(f"/api/needs/{need_id}", headers=adviser)).json()
    assert need["status"] == "literature_checked"
    assert need["knowledge_gap"] == 1
    # Screening is locked once the check is completed.
    locked = await _decide(client, adviser, check["id"], fuzzy, "include")
    assert locked.status_code == 409

    docx = await client.get(f"/api/literature-checks/{check['id']}/report.docx", headers=adviser)
    assert docx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        document = archive.read("word/document.xml").decode()
    assert "besvart" in document
    assert "parent" in document.lower()

    # Published: the portal shows the verdict and its review, nothing else of the cluster.
    public = (await client.get("/api/public/answered-needs")).json()
    assert [v["id"] for v in public] == [check["id"]]
    assert public[0]["reviews"][0]["title"].startswith("Parent training")
    portal = (await client.get("/api/public/literature")).json()
    assert [h["id"] for h in portal["hits"]] == [parent]


async def test_unanswered_verdict_sets_a_high_gap_and_stays_private(
    client: Any, needs_world: World, need_id: int
) -> None:
    check = await _check(client, needs_world, need_id)
    response = await client.post(
        f"/api/literature-checks/{check['id']}/verdict",
        json={"verdict": "unanswered", "reason_code": "A"},
        headers=needs_world.headers["adviser_a"],
    )
    assert response.status_code == 200, response.text
    need = (
        await client.get(f"/api/needs/{need_id}", headers=needs_world.headers["adviser_a"])
    ).json()
    assert need["knowledge_gap"] == 5
    assert (await client.get("/api/public/answered-needs")).json() == []
    assert (await client.get(f"/api/public/answered-needs/{check['id']}")).status_code == 404
    other = await client.get(
        f"/api/literature-checks/{check['id']}", headers=needs_world.headers["adviser_b"]
    )
    assert other.status_code == 404


async def test_blind_screening_hides_other_votes_until_reconciled(
    client: Any, needs_world: World, need_id: int
) -> None:
    adviser = needs_world.headers["adviser_a"]
    a, b = needs_world.accounts["coordinator_askoy"], needs_world.accounts["leader_askoy"]
    check = await _check(client, needs_world, need_id, blind=True, screeners=[a, b])
    await import_file(client, adviser, RIS, extra={"check_id": check["id"]})
    candidates = (
        await client.get(f"/api/literature-checks/{check['id']}/candidates", headers=adviser)
    ).json()
    ref = candidates[0]["reference"]["id"]
    first = needs_world.headers["coordinator_askoy"]
    second = needs_world.headers["leader_askoy"]
    assert (await _decide(client, first, check["id"], ref, "include")).status_code == 201
    assert (
        await _decide(client, second, check["id"], ref, "exclude", reason="Feil populasjon")
    ).status_code == 201
    seen_by_second = (
        await client.get(f"/api/literature-checks/{check['id']}/candidates", headers=second)
    ).json()
    mine = next(c for c in seen_by_second if c["reference"]["id"] == ref)
    assert [d["screener_id"] for d in mine["decisions"]] == [b]
    assert mine["title_state"] == "pending"
    seen_by_adviser = (
        await client.get(f"/api/literature-checks/{check['id']}/candidates", headers=adviser)
    ).json()
    conflict = next(c for c in seen_by_adviser if c["reference"]["id"] == ref)
    assert conflict["title_state"] == "conflict"
    refused = await _decide(client, first, check["id"], ref, "include", reconcile=True)
    assert refused.status_code == 403
    await _decide(client, adviser, check["id"], ref, "include", reconcile=True)
    prisma = (await client.get(f"/api/literature-checks/{check['id']}", headers=adviser)).json()[
        "prisma"
    ]
    assert prisma["reports_sought"] == 1
    outsider = await _decide(
        client, needs_world.headers["coordinator_trondheim"], check["id"], ref, "include"
    )
    assert outsider.status_code == 404


async def test_export_round_trip_creates_no_new_records(client: Any, needs_world: World) -> None:
    adviser = needs_world.headers["adviser_a"]
    await import_file(client, adviser, RIS)
    for fmt, filename in (
        ("ris", "x.ris"),
        ("bibtex", "x.bib"),
        ("csljson", "x.json"),
        ("xlsx", "x.xlsx"),
    ):
        exported = await client.get(
            "/api/literature/references/export", params={"format": fmt}, headers=adviser
        )
        assert exported.status_code == 200, exported.text
        again = await import_file(
            client, adviser, exported.content, fmt=fmt, filename=filename, source=f"Export {fmt}"
        )
        assert again["status"] == "done", again
        assert (again["read"], again["imported"], again["possible_duplicates"]) == (3, 0, 0)
    ris_export = await client.get(
        "/api/literature/references/export",
        params={"format": "ris", "q": "absence"},
        headers=adviser,
    )
    assert [r.title for r in ris.parse(ris_export.content).records] == [
        "School absence and child welfare: a register study"
    ]


async def test_measures_and_adoptions(client: Any, needs_world: World) -> None:
    adviser = needs_world.headers["adviser_a"]
    await import_file(client, adviser, RIS)
    parent = (
        await client.get("/api/literature/references", params={"q": "parent"}, headers=adviser)
    ).json()["hits"][0]["id"]
    bad = await client.post(
        "/api/measures/",
        json={"name": "PMTO", "scale": "ungsinn", "level": "7"},
        headers=adviser,
    )
    assert bad.status_code == 422
    created = await client.post(
        "/api/measures/",
        json={
            "name": "Parent Management Training – Oregon (PMTO)",
            "scale": "ungsinn",
            "level": "5",
            "target_group": "Barn 3–12 år med atferdsvansker",
            "service_types": ["barnevern", "bup"],
            "reference_ids": [parent],
            "links": [{"title": "Ungsinn", "url": "https://example.org/pmto"}],
        },
        headers=adviser,
    )
    assert created.status_code == 201, created.text
    measure = created.json()
    assert measure["scale_name"].startswith("Ungsinn")
    assert measure["level_label"] == ("Sterk dokumentasjon")
    body = {"municipality_id": needs_world.ids["askoy"], "since": "2020-01-01"}
    refused = await client.post(
        f"/api/measures/{measure['id']}/adoptions",
        json=body,
        headers=needs_world.headers["coordinator_trondheim"],
    )
    assert refused.status_code == 403
    adopted = await client.post(
        f"/api/measures/{measure['id']}/adoptions",
        json=body,
        headers=needs_world.headers["coordinator_askoy"],
    )
    assert adopted.status_code == 201, adopted.text
    out = adopted.json()
    assert out["adoptions"] == 1
    assert out["adoptions_in_cluster"] == {str(needs_world.ids["cluster_a"]): 1}
    twice = await client.post(
        f"/api/measures/{measure['id']}/adoptions",
        json=body,
        headers=needs_world.headers["coordinator_askoy"],
    )
    assert twice.status_code == 409
    public = (await client.get("/api/measures", params={"service_type": "bup"})).json()
    assert public["total"] == 1
    assert public["items"][0]["adoption_list"] == []
    assert (await client.get("/api/measures", params={"service_type": "skole"})).json()[
        "total"
    ] == 0
    # The measure's research is public now; other references stay private.
    portal = (await client.get("/api/public/literature")).json()
    assert [h["id"] for h in portal["hits"]] == [parent]


async def test_cli_import_prints_the_json_report(tmp_path: Any, needs_world: World) -> None:
    import asyncio
    import json
    import subprocess
    import sys

    path = tmp_path / "sok.ris"
    path.write_text(RIS + "TY  - JOUR\nPY  - 2020\nER  - \n", encoding="utf-8")
    from tests.conftest import TEST_DATABASE_URL

    env = {
        **__import__("os").environ,
        "DATABASE_URL": TEST_DATABASE_URL,
    }
    args = [
        sys.executable,
        "-m",
        "klynge.cli",
        "literature",
        "import",
        str(path),
        "--format",
        "ris",
        "--source",
        "PubMed",
        "--cluster",
        str(needs_world.ids["cluster_a"]),
        "--json",
    ]
    result = await asyncio.to_thread(
        subprocess.run, args, capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["read"] == 4
    assert report["imported"] == 3
    assert report["duplicates"] == 0
    assert report["problems"][0]["record"] == 4
    bad = await asyncio.to_thread(
        subprocess.run,
        [*args[:5], "/dev/null", *args[6:]],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("klynge:")


async def test_national_id_numbers_are_refused_in_checks_and_measures(
    client: Any, needs_world: World, need_id: int
) -> None:
    from tests.priorities.conftest import synthetic_fnr

    fnr = synthetic_fnr()
    adviser = needs_world.headers["adviser_a"]
    check = await client.post(
        f"/api/needs/{need_id}/literature-checks",
        json={"question": "Virker tiltaket?", "population": f"Gutt født {fnr}"},
        headers=adviser,
    )
    assert check.status_code == 422
    assert [e["field"] for e in check.json()["errors"]] == ["population"]
    assert fnr not in check.text
    measure = await client.post(
        "/api/measures/",
        json={"name": "Tiltak", "scale": "grade", "level": "low", "description": fnr},
        headers=adviser,
    )
    assert measure.status_code == 422
    assert fnr not in measure.text
    assert (await client.get("/api/literature-checks", headers=adviser)).json() == []
