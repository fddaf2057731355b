"""Hand-offs of the literature part: the services (or municipalities) that asked a need are
told when its literature check reaches a verdict, in-app and by e-mail (klynge.notifications)."""

from __future__ import annotations

from klynge import notifications
from klynge.i18n import N_
from priorities import api as priorities

# One msgid per verdict, so the verdict is read in the reader's own language.
VERDICT_TEXTS: dict[str, str] = {
    "answered": N_(
        "The literature check of the need «%(title)s» is done: the question is answered by "
        "summarised research."
    ),
    "partly": N_(
        "The literature check of the need «%(title)s» is done: the question is partly answered."
    ),
    "unanswered": N_(
        "The literature check of the need «%(title)s» is done: the question is unanswered, a "
        "knowledge gap."
    ),
}


async def notify_verdict(check_id: int, need_id: int, cluster_id: int, verdict: str) -> None:
    """Tell everyone who asked the need (a service, or the municipality when no service
    asked). In the caller's transaction."""
    need = await priorities.load_need(need_id)
    for municipality, service in await priorities.asker_orgs(need_id):
        await notifications.notify(
            "literature_verdict",
            VERDICT_TEXTS[verdict],
            params={"title": need["title"]},
            link=f"/litteratursjekker/{check_id}",
            cluster_id=cluster_id,
            service_id=service,
            municipality_id=None if service else municipality,
        )
