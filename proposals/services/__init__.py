"""Every change to proposals and what people do with them. Views, admin and tasks call these."""
from .common import ProposalError
from .lifecycle import (
    TRANSITIONS, author_moves, check_author_move, proposal_create, proposal_record_decision, proposal_set_status, proposal_update,
)
from .moderation import content_set_hidden, report_create, report_decide
from .participation import (
    comment_create, comment_edit, pledge_create, proposal_follow, proposal_support, proposal_unfollow,
    proposal_unsupport,
)


__all__ = [
    "TRANSITIONS", "ProposalError", "author_moves", "check_author_move", "comment_create", "comment_edit", "content_set_hidden",
    "pledge_create", "proposal_create", "proposal_follow", "proposal_record_decision", "proposal_set_status",
    "proposal_support", "proposal_unfollow", "proposal_unsupport", "proposal_update", "report_create",
    "report_decide",
]

# What erasing an account does in proposals (stakeholders.erasure calls these through proposals/privacy.py).
from .erasure import person_contributions_withdraw, person_drafts_delete  # noqa: E402

__all__ += ["person_contributions_withdraw", "person_drafts_delete"]
