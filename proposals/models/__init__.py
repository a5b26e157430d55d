"""Proposals on Bovaird's matrix, calls for ideas, what people do with proposals, and what became of them."""
from .accountability import Evaluation, Implementation, ImplementationUpdate
from .answers import AnswerTime
from .calls import Call, CallQuerySet, Category
from .common import USER, AssistedMixin, Channel
from .counts import forget_mode_counts, kept_mode_counts, kept_total
from .participation import Comment, Follow, Pledge, Report, StatusChange, Support
from .proposals import Proposal, ProposalQuerySet

__all__ = [
    "USER", "AnswerTime", "AssistedMixin", "Call", "CallQuerySet", "Category", "Channel", "Comment", "Evaluation", "Follow",
    "Implementation", "ImplementationUpdate", "Pledge", "Proposal", "ProposalQuerySet", "Report", "StatusChange",
    "Support", "forget_mode_counts", "kept_mode_counts", "kept_total",
]
