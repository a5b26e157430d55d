"""Every change to proposals and what people do with them. Views, admin and tasks call these."""
from .accountability import evaluation_create, implementation_update_post, may_evaluate, took_part_through
from .answers import answer_times_refresh
from .common import ProposalError
from .erasure import person_contributions_withdraw, person_drafts_delete, person_pictures_discard
from .lifecycle import (
    TRACKED, TRANSITIONS, author_moves, check_author_move, implementations_open, proposal_create,
    proposal_record_decision, proposal_set_status, proposal_update,
)
from .moderation import content_reports_decide, content_set_hidden, open_reports_on, report_create, report_decide
from .participation import (
    comment_create, comment_edit, pledge_create, proposal_follow, proposal_support, proposal_unfollow,
    proposal_unsupport,
)

__all__ = [
    "TRACKED", "TRANSITIONS", "ProposalError", "answer_times_refresh", "author_moves", "check_author_move",
    "comment_create", "comment_edit", "content_reports_decide", "content_set_hidden", "evaluation_create",
    "implementation_update_post", "implementations_open", "may_evaluate",
    "person_contributions_withdraw", "person_drafts_delete", "person_pictures_discard", "pledge_create",
    "proposal_create", "proposal_follow", "proposal_record_decision", "proposal_set_status",
    "proposal_support", "proposal_unfollow", "proposal_unsupport", "proposal_update", "report_create",
    "open_reports_on", "report_decide", "took_part_through",
]
