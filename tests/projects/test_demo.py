"""The projects demo (`klynge demo`): ten research groups with profiles, valid ORCID iDs and
publication lists imported from RIS, BibTeX and CSL-JSON, curated; every matchable need of
the demo cluster matched with explanations, the intended group first for the needs the demo
is written around; a conflict, interest, a decline, one accepted proposal with its planned
project; idempotent."""

from __future__ import annotations

from typing import Any

from stdnum.iso7064 import mod_11_2

from klynge.db import json_value

# need key (priorities.demo.NEEDS) -> (group key in groups.json, a concept the explanation
# of the rank-1 match must name, as written in the need)
EXPECTED_TOP = {
    "fravaer": ("hemil", "skolefravær"),
    "bup_ventetid": ("rkbu_vest", "lågterskel"),
    "minoritet": ("nova", "minoritetsbakgrunn"),
    "foreldre_psykisk": ("rkbu_midt", "helsestasjon"),
    "ettervern": ("hvl_barnevern", "ettervern"),
}


async def _counts() -> dict[str, int]:
    from klynge.notifications import Notification
    from klynge.orgs.tables import ResearchGroup
    from projects.tables import (
        Conflict,
        GroupMember,
        GroupProfile,
        GroupPublication,
        Interest,
        Match,
        MatchRun,
        Project,
        Proposal,
    )

    tables: list[Any] = [
        ResearchGroup,
        GroupProfile,
        GroupMember,
        GroupPublication,
        Conflict,
        MatchRun,
        Match,
        Interest,
        Proposal,
        Project,
        Notification,
    ]
    return {t._meta.tablename: await t.count() for t in tables}


async def test_projects_demo_is_realistic_explained_and_idempotent(db) -> None:
    from klynge import demo
    from klynge.apps import installed
    from klynge.orgs.tables import Cluster, Municipality, ResearchGroup
    from priorities import needs
    from priorities.demo import NEEDS
    from priorities.tables import Need
    from projects import demo as projects_demo
    from projects import groups
    from projects.tables import (
        Conflict,
        GroupPublication,
        Interest,
        Match,
        MatchRun,
        Project,
        Proposal,
    )

    assert await demo.seed() is True  # every app's demo, the projects demo last
    assert [a.demo_seed for a in installed()][-1] == "projects.demo:seed_demo"

    spec = projects_demo.load_spec()
    assert spec["demo"] is True
    assert "oppdiktet" in spec["fictional"]
    by_name = {r["name"]: r["id"] for r in await ResearchGroup.select()}
    gid = {g["key"]: by_name[g["name"]] for g in spec["groups"]}

    # --- groups: 8-12, the core demo's two completed rather than duplicated ------------------
    listed = await groups.list_groups()
    assert 8 <= len(listed) <= 12
    assert len(listed) == len(spec["groups"])
    for g in listed:
        assert g.expertise
        assert g.keywords
        assert g.methods
        assert g.target_groups
        assert g.service_types
        assert g.languages
        assert g.location
        assert g.latitude is not None
        assert g.longitude is not None
        assert 1 <= g.capacity <= 4
        assert 2 <= len(g.members) <= 5
        for m in g.members:
            assert m.orcid.startswith(("0000-0001-", "0000-0002-", "0000-0003-"))
            assert mod_11_2.is_valid(m.orcid.replace("-", ""))
        assert 8 <= g.publications <= 25, g.name
        assert g.publications_included >= 6
    researchers = {m.account_id for g in listed for m in g.members if m.account_id}
    assert len(researchers) == 2  # forsker@ and rkbu@ are members of their groups

    pubs = await GroupPublication.select()
    assert {p["source"] for p in pubs} == {"ris", "bibtex", "csljson"}
    assert all(p["doi"].startswith("10.5555/") for p in pubs)
    assert {p["language"] for p in pubs} >= {"en", "nb", "nn"}
    assert all(p["abstract"] and p["year"] for p in pubs)
    # Curation: two off-topic papers left out, and a recency window on RKBU Vest.
    assert sum(1 for p in pubs if not p["included"]) == 2
    rkbu = next(g for g in listed if g.id == gid["rkbu_vest"])
    assert rkbu.recency_years == 12
    assert rkbu.publications - rkbu.publications_included == 3  # 1 excluded + 2 too old

    # Coordinates for the demo municipalities, so distances are part of the matches.
    located = await Municipality.count().where(
        Municipality.number.is_in(["4601", "4627", "4626", "4624", "4631"]),
        Municipality.latitude.is_not_null(),
    )
    assert located == 5

    # --- matching ------------------------------------------------------------------------------
    row = await Cluster.select(Cluster.id).where(Cluster.name == demo.CLUSTER_NAME).first()
    assert row is not None
    cluster = row["id"]
    runs = await MatchRun.select().where(MatchRun.cluster == cluster)
    assert len(runs) == 1
    assert runs[0]["status"] == "done"
    run_id = runs[0]["id"]
    key_of = {n.title: n.key for n in NEEDS}
    need_rows = await Need.select(Need.id, Need.title, Need.status).where(Need.cluster == cluster)
    need_id = {key_of[r["title"]]: r["id"] for r in need_rows}
    matchable = {r["id"] for r in await needs.matchable_needs(cluster)}
    matched = {r["id"] for r in need_rows if r["status"] == "matched"}
    answered = {r["id"] for r in need_rows if r["status"] == "answered"}
    # The accepted proposal moved its need on, and so did the demo's two other projects; the
    # completed project's published finding answered its need.
    assert matched == {need_id["ettervern"], need_id["fravaer"]}
    assert answered == {need_id["bup_ventetid"]}
    assert len(matchable | matched | answered) >= 5
    for nid in matchable | matched | answered:
        rows = await Match.select().where(Match.need == nid, Match.run == run_id)
        assert len(rows) >= 3, nid
        for r in rows:
            explanation = json_value(r["explanation"], {})
            assert explanation["summary_params"]["publications"] >= 1
            assert any(t["kind"] == "concept" for t in explanation["shared"])

    for key, (group_key, concept) in EXPECTED_TOP.items():
        assert need_id[key] in matchable | matched | answered, key
        top = (
            await Match.select()
            .where(Match.need == need_id[key], Match.run == run_id, Match.rank == 1)
            .first()
        )
        assert top is not None, key
        assert top["group"] == gid[group_key], (key, top["group"])
        shared = json_value(top["explanation"], {})["shared"]
        labels = " | ".join(t["label"] + " " + " ".join(t["need_forms"]) for t in shared)
        assert concept in labels.casefold(), (key, labels)
        assert json_value(top["explanation"], {})["publications"], key

    # The manual conflict keeps the health trust's BUP group off the BUP waiting-time need.
    conflicts = await Conflict.select()
    assert len(conflicts) == 1
    assert conflicts[0]["reason"]
    assert not await Match.exists().where(
        Match.need == need_id["bup_ventetid"], Match.group == gid["helse_bergen_bup"]
    )

    # --- interest, decline, proposal, project ------------------------------------------------
    answers = {(r["need"], r["group"]): r for r in await Interest.select().order_by(Interest.id)}
    assert answers[(need_id["bup_ventetid"], gid["rkbu_vest"])]["status"] == "interested"
    decline = answers[(need_id["minoritet"], gid["hvl_barnevern"])]
    assert decline["status"] == "declined"
    assert decline["reason"]
    proposals = await Proposal.select()
    assert len(proposals) == 1
    assert proposals[0]["status"] == "accepted"
    assert proposals[0]["group"] == gid["hvl_barnevern"]
    assert json_value(proposals[0]["need_ids"], []) == [need_id["ettervern"]]
    # Three projects at different stages: the accepted proposal's (in preparation, approvals
    # missing), a running one with two PDSA cycles and a run chart, a completed one.
    projects = await Project.select().order_by(Project.id)
    assert [p["status"] for p in projects] == ["preparation", "running", "completed"]
    assert projects[0]["proposal"] == proposals[0]["id"]
    from projects.workspace.tables import Approval, MeasureValue, PdsaCycle

    missing = await Approval.count().where(
        (Approval.project == projects[0]["id"])
        & (Approval.required.eq(True))
        & (Approval.status != "approved")
    )
    assert missing >= 2
    cycles = await PdsaCycle.select(PdsaCycle.decision).where(
        PdsaCycle.project == projects[1]["id"]
    )
    assert [c["decision"] for c in cycles] == ["adapt", "adopt"]
    assert await MeasureValue.count() >= 20
    # Grants: the demo funder's two calls, applications in every state, one overdue report.
    import datetime as dt

    from projects.grants.tables import Application, Call, GrantReport

    assert await Call.count() == 2
    states = {r["status"] for r in await Application.select(Application.status)}
    assert states == {
        "draft", "submitted", "changes_requested", "granted", "declined", "withdrawn"
    }  # fmt: skip
    overdue = await GrantReport.count().where(
        (GrantReport.due < dt.date.today()) & (GrantReport.status == "due")
    )
    assert overdue >= 1

    from klynge.notifications import Notification

    assert await Notification.exists().where(Notification.kind == "proposal_accepted")
    assert await Notification.exists().where(Notification.kind == "need_matched")

    # --- idempotent ------------------------------------------------------------------------------
    before = await _counts()
    assert await projects_demo.seed_demo() is False
    assert await demo.seed() is False
    assert await _counts() == before


async def test_projects_demo_needs_the_other_demos(db) -> None:
    from projects import demo as projects_demo

    assert await projects_demo.seed_demo() is False
