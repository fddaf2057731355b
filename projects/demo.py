"""Demo data for the projects app (`klynge demo`): ten research groups with profiles, members
(valid, fictional ORCID iDs) and publication lists, matched to the demo cluster's prioritised
needs, with interest, a reasoned decline, a manual conflict of interest and one accepted
proposal that has become a planned project.

The groups and their people are in projects/demo_data/groups.json, the story (conflict,
interest, decline, the proposal) in story.json; the publication lists are
committed files in three formats (RIS, BibTeX, CSL-JSON) read by the literature importers
through `publications.import_publications`. Everything else goes through the real use cases
(create_group, update_profile, curate, add_conflict, matches.run, set_interest,
create_proposal, review), so rules, audit log and notifications are those of real use.
Runs after priorities.demo (it needs the closed round's decisions) and literature.demo (the
school-absence need is matchable once its literature check is done). Idempotent: does
nothing once the demo groups exist.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.service import load_principal
from klynge.auth.tables import Account
from klynge.db import transaction
from klynge.demo import CLUSTER_NAME
from klynge.orgs.tables import Cluster, Municipality, ResearchGroup, Service
from priorities import api as priorities
from projects import groups, matches, proposals, publications
from projects import schemas as s
from projects.findings import api as findings
from projects.grants import api as grants
from projects.tables import GroupPublication, MatchRun
from projects.workspace import api as workspace

DATA = Path(__file__).resolve().parent / "demo_data"
ADVISER = "fou@demo.klynge.no"
FUNDER_OFFICER = "finansiering@demo.klynge.no"

# The demo story (by need key of priorities.demo.NEEDS and group key of groups.json): municipal
# coordinates (administrative centres, WGS84 approx.), a conflict of interest, an interest, a
# reasoned decline and the proposal that becomes a project.
STORY_FILE = DATA / "story.json"


def load_spec() -> dict[str, Any]:
    return json.loads((DATA / "groups.json").read_text(encoding="utf-8"))


def load_story() -> dict[str, Any]:
    return json.loads(STORY_FILE.read_text(encoding="utf-8"))


async def _principal(email: str) -> Principal | None:
    row = await Account.select(Account.id).where(Account.email == email).first()
    return None if row is None else await load_principal(row["id"])


async def _accounts(spec: dict[str, Any]) -> dict[str, int]:
    emails = sorted(
        {m["account_email"] for g in spec["groups"] for m in g["members"] if "account_email" in m}
    )
    return {
        r["email"]: r["id"]
        for r in await Account.select(Account.id, Account.email).where(
            Account.email.is_in(emails or [""])
        )
    }


def _profile(group: dict[str, Any], accounts: dict[str, int]) -> dict[str, Any]:
    return {
        "expertise": group["expertise"],
        "keywords": group["keywords"],
        "methods": [s.Method(m) for m in group["methods"]],
        "target_groups": group["target_groups"],
        "service_types": group["service_types"],
        "languages": group["languages"],
        "region": group["region"],
        "location": group["location"],
        "latitude": group["latitude"],
        "longitude": group["longitude"],
        "capacity": group["capacity"],
        "members": [
            s.MemberIn(
                name=m["name"],
                role=m["role"],
                orcid=m["orcid"],
                account_id=accounts.get(m.get("account_email", "")),
            )
            for m in group["members"]
        ],
    }


def _editor_email(group: dict[str, Any]) -> str | None:
    return next((m["account_email"] for m in group["members"] if "account_email" in m), None)


async def _coordinates(coordinates: dict[str, list[float]]) -> None:
    for number, (lat, lon) in coordinates.items():
        await Municipality.update({Municipality.latitude: lat, Municipality.longitude: lon}).where(
            Municipality.number == number,
            Municipality.valid_to.is_null(),
            Municipality.latitude.is_null(),
        )


async def _groups(
    spec: dict[str, Any], adviser: Principal, accounts: dict[str, int]
) -> tuple[dict[str, int], dict[str, Principal]]:
    """Complete the core demo's two groups (edited by their own researchers) and register the
    others (by the adviser). Returns group ids and, per group, who may edit it."""
    ids: dict[str, int] = {}
    editors: dict[str, Principal] = {}
    for group in spec["groups"]:
        profile = _profile(group, accounts)
        email = _editor_email(group)
        editor = await _principal(email) if email else None
        core = None
        if group.get("core_name"):
            core = (
                await ResearchGroup.select(ResearchGroup.id)
                .where(ResearchGroup.name == group["core_name"])
                .first()
            )
        if core is not None:
            actor = editor or adviser
            out = await groups.update_profile(actor, core["id"], s.ProfileIn(**profile))
        else:
            out = await groups.create_group(
                adviser,
                s.GroupCreate(
                    name=group["name"],
                    institution=group["institution"],
                    unit=group["unit"],
                    org_number=group["org_number"],
                    sector=s.Sector(group["sector"]),
                    description=group["description"],
                    **profile,
                ),
            )
        ids[group["key"]] = out.id
        if editor is not None:
            editors[group["key"]] = editor
    return ids, editors


async def _publications(spec: dict[str, Any], ids: dict[str, int]) -> None:
    for group in spec["groups"]:
        pubs = group["publications"]
        data = (DATA / pubs["file"]).read_bytes()
        report = await publications.import_publications(
            ids[group["key"]], pubs["format"], pubs["file"], data
        )
        if report.problems or not report.imported:
            raise RuntimeError(f"Demo publications {pubs['file']}: {report.problems}")


async def _curate(spec: dict[str, Any], ids: dict[str, int], editors: dict[str, Principal]) -> None:
    for group in spec["groups"]:
        curation = group.get("curation")
        if not curation or group["key"] not in editors:
            continue
        group_id = ids[group["key"]]
        # By DOI: the importers may normalise a title's punctuation (' becomes ’).
        dois = curation.get("exclude_dois", [])
        exclude = [
            r["id"]
            for r in await GroupPublication.select(GroupPublication.id).where(
                GroupPublication.group == group_id, GroupPublication.doi.is_in(dois or [""])
            )
        ]
        await publications.curate(
            editors[group["key"]],
            group_id,
            s.CurationIn(exclude=exclude, recency_years=curation.get("recency_years")),
        )


async def _match(cluster_id: int, adviser: Principal) -> int:
    """What start_matching does, without the job queue: a MatchRun row, then the run."""
    inserted = await MatchRun.insert(
        MatchRun(cluster=cluster_id, created_by=adviser.account_id)
    ).returning(MatchRun.id)
    run_id = int(inserted[0]["id"])
    await matches.run(run_id)
    return run_id


def _proposal_in(
    spec: dict[str, Any],
    group_id: int,
    need_id: int,
    munis: dict[str, int],
    services: dict[str, int],
) -> s.ProposalIn:
    """The demo proposal (story.json) with the ids of its municipalities and services."""
    return s.ProposalIn(
        group_id=group_id,
        need_ids=[need_id],
        title=spec["title"],
        aims=spec["aims"],
        research_questions=spec["research_questions"],
        design=spec["design"],
        methods=[s.Method(m) for m in spec["methods"]],
        codesign=s.CodesignIn(
            municipality_ids=[munis[n] for n in spec["municipality_numbers"]],
            service_ids=[services[n] for n in spec["service_names"]],
            user_representatives=spec["user_representatives"],
            how=spec["how"],
        ),
        ethics=[s.Ethics(e) for e in spec["ethics"]],
        ethics_note=spec["ethics_note"],
        budget_nok=spec["budget_nok"],
        start=dt.date.fromisoformat(spec["start"]),
        end=dt.date.fromisoformat(spec["end"]),
        timeline=spec["timeline"],
    )


async def _propose(
    spec: dict[str, Any], actor: Principal, adviser: Principal, group_id: int, need_id: int
) -> None:
    munis = {
        r["number"]: r["id"]
        for r in await Municipality.select(Municipality.id, Municipality.number).where(
            Municipality.valid_to.is_null()
        )
    }
    services = {r["name"]: r["id"] for r in await Service.select(Service.id, Service.name)}
    proposal = await proposals.create_proposal(
        actor, _proposal_in(spec, group_id, need_id, munis, services)
    )
    await proposals.review(
        adviser, proposal.id, s.ReviewIn(decision="accept", reason=spec["review_reason"])
    )


async def seed_demo() -> bool:
    """Seed the projects demo once, on top of the core, priorities and literature demos.
    Returns False when the demo groups already exist (or the demos it builds on are missing)."""
    cluster = await Cluster.select(Cluster.id).where(Cluster.name == CLUSTER_NAME).first()
    adviser = await _principal(ADVISER)
    if cluster is None or adviser is None:
        return False
    spec = load_spec()
    new_names = [g["name"] for g in spec["groups"] if not g.get("core_name")]
    if await ResearchGroup.exists().where(ResearchGroup.name.is_in(new_names)):
        return False
    cluster_id = cluster["id"]
    need_ids = await priorities.demo_need_ids(cluster_id)
    if not need_ids:
        return False  # the priorities demo has not run: nothing to match
    accounts = await _accounts(spec)
    story = load_story()
    async with transaction():
        await _coordinates(story["coordinates"])
        ids, editors = await _groups(spec, adviser, accounts)
        await _publications(spec, ids)
        await _curate(spec, ids, editors)
        conflict = story["conflict"]
        group_key, need_key, reason = conflict["group"], conflict["need"], conflict["reason"]
        if need_key in need_ids:
            await matches.add_conflict(
                adviser,
                cluster_id,
                s.ConflictIn(group_id=ids[group_key], need_id=need_ids[need_key], reason=reason),
            )
        await _match(cluster_id, adviser)
        for answer, interested in ((story["interest"], True), (story["decline"], False)):
            group_key, why = answer["group"], answer.get("reason", "")
            group_id, need_id = ids[group_key], need_ids.get(answer["need"])
            if need_id is not None and await proposals.group_sees_need(group_id, need_id):
                await proposals.set_interest(
                    editors[group_key],
                    need_id,
                    s.InterestIn(group_id=group_id, interested=interested, reason=why),
                )
        spec_p = story["proposal"]
        need_id = need_ids.get(spec_p["need"])
        group_id = ids[spec_p["group"]]
        if need_id is not None and await proposals.group_sees_need(group_id, need_id):
            await _propose(spec_p, editors[spec_p["group"]], adviser, group_id, need_id)
        project_ids = await workspace.seed_demo_projects(
            cluster_id, adviser, editors, ids, need_ids
        )
        officer = await _principal(FUNDER_OFFICER)
        if officer is not None and len(project_ids) == 3:
            await grants.seed_demo_grants(officer, adviser, project_ids)
        if len(project_ids) == 3:
            await findings.seed_demo_findings(adviser, project_ids[2])  # the completed one
    return True
