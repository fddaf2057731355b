"""The header's task count is the length of the task list: every provider's SQL count
(`App.task_counts`) equals the length of its list, for every account of the demo (advisers,
service leaders, coordinators, researchers, funder officers) with tasks of every provider that
has a count."""

from __future__ import annotations

from collections import Counter

from klynge import apps, tasks

# The kinds of the providers that have a count; the load must give each of them to someone.
COUNTED_KINDS = {
    "priorities.triage",
    "priorities.score",
    "literature.screen",
    "projects.action",
    "projects.delivery",
    "projects.milestone",
    "projects.grant_report",
    "projects.grant_decide",
}


async def _load() -> None:
    """The demo, and an open literature check of one of its imports that nobody has screened
    (the demo's checks are done): a screening task for the adviser, who screens a check
    without assigned screeners."""
    from klynge import demo
    from literature.tables import LiteratureCheck, LiteratureImport
    from priorities.tables import Need

    assert await demo.seed() is True
    done = await LiteratureImport.select().where(LiteratureImport.status == "done").first()
    assert done is not None
    need = await Need.select(Need.id).where(Need.cluster == done["cluster"]).first()
    check = await LiteratureCheck.insert(
        LiteratureCheck(
            cluster=done["cluster"],
            need=need["id"],
            question="Virker det?",
            screeners=[],
        )
    ).returning(LiteratureCheck.id)
    await LiteratureImport.update({LiteratureImport.check: check[0]["id"]}).where(
        LiteratureImport.id == done["id"]
    )


async def test_every_count_is_the_length_of_its_list(db: None) -> None:
    from klynge.auth.service import load_principal
    from klynge.auth.tables import Account

    await _load()
    declared = [(app, ref) for app in apps.installed() for ref in app.tasks]
    for app in apps.installed():
        assert set(app.task_counts) <= set(app.tasks), app.name
    seen: Counter[str] = Counter()
    for row in await Account.select(Account.id).order_by(Account.id):
        actor = await load_principal(row["id"])
        if actor is None:
            continue
        for app, ref in declared:
            listed = await apps.resolve(ref)(actor)
            seen.update(task.kind for task in listed)
            if ref in app.task_counts:
                count = await apps.resolve(app.task_counts[ref])(actor)
                assert count == len(listed), (ref, row["id"])
        assert await tasks.task_count(actor) == len(await tasks.tasks_for(actor)), row["id"]
    assert set(seen) >= COUNTED_KINDS, seen
