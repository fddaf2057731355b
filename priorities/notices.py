"""Status messages the priorities pages show after a redirect (registered as "priorities.<key>")."""

from klynge.views.common import N_

NOTICES: dict[str, str] = {
    # views/needs.py
    "need-saved": N_("The need was saved as a draft."),
    "need-submitted": N_("The need was submitted to the cluster."),
    "need-updated": N_("The need was updated."),
    "need-withdrawn": N_("The need was withdrawn."),
    "need-endorsed": N_("Your municipality now shares this need."),
    "need-merged": N_("The needs were merged into this one."),
    "need-no-edit": N_("You cannot edit this need."),
    # views/rounds.py
    "round-created": N_("The round was opened. The panel can start scoring."),
    "round-closed": N_("The round was closed and the ranking computed."),
    "scores-saved": N_("Your scores were saved."),
    "scores-finished": N_("Your scores were saved and you are marked as finished."),
    "decision-saved": N_("The decision was recorded."),
    "not-rater": N_("You are not on this round's panel."),
}
