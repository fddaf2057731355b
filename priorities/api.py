"""The priorities app's public interface: the only module other apps may import from it.
Functions and plain data (dicts, Structs), never tables or views."""

from priorities.decisions import prioritised_needs
from priorities.lookups import (
    demo_need_ids,
    need_clusters,
    need_headlines,
    need_ids_by_title,
    need_titles,
)
from priorities.need_links import (
    asker_orgs,
    askers,
    endorsing_municipalities,
    mark_answered,
    mark_matched,
    needs_asked_by,
    service_ids,
)
from priorities.need_read import load as load_need
from priorities.need_read import load_visible, matchable_needs
from priorities.need_reasons import CHECK_VERDICTS, PROPOSAL_ACCEPTED
from priorities.need_reasons import reason as need_reason
from priorities.needs import record_literature_verdict
from priorities.round_read import load_round, round_out
from priorities.scale import load_scale, record_scale_progress

__all__ = [
    "CHECK_VERDICTS",
    "PROPOSAL_ACCEPTED",
    "asker_orgs",
    "askers",
    "demo_need_ids",
    "endorsing_municipalities",
    "load_need",
    "load_round",
    "load_scale",
    "load_visible",
    "mark_answered",
    "mark_matched",
    "matchable_needs",
    "need_clusters",
    "need_headlines",
    "need_ids_by_title",
    "need_reason",
    "need_titles",
    "needs_asked_by",
    "prioritised_needs",
    "record_literature_verdict",
    "record_scale_progress",
    "round_out",
    "service_ids",
]
