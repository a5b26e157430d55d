"""Who may do what with proposals, as named rules; QuerySet twins live on ProposalQuerySet."""
import rules

from stakeholders.rules import is_staff_of_organisation

from .models import Comment, Proposal


@rules.predicate
def is_author(user, proposal):
    return proposal is not None and user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def is_published(user, proposal):
    return proposal is not None and proposal.status != Proposal.Status.DRAFT


@rules.predicate
def is_editable(user, proposal):
    return proposal is not None and proposal.status in Proposal.EDITABLE_STATUSES and not proposal.is_hidden


@rules.predicate
def is_supportable(user, proposal):
    return proposal is not None and proposal.status in Proposal.SUPPORTABLE_STATUSES and not proposal.is_hidden


@rules.predicate
def is_open_for_comments(user, proposal):
    return proposal is not None and proposal.status != Proposal.Status.DRAFT and not proposal.is_hidden


@rules.predicate
def is_comment_author(user, comment):
    return isinstance(comment, Comment) and user.is_authenticated and comment.author_id == user.pk


is_signed_in = rules.is_authenticated
is_moderator = rules.is_superuser | is_staff_of_organisation  # of the proposal's organisation

rules.add_perm("proposals.view_proposal", is_published | is_author)
rules.add_perm("proposals.add_proposal", is_signed_in)
rules.add_perm("proposals.change_proposal", is_author & is_editable)
rules.add_perm("proposals.support_proposal", is_signed_in & is_supportable)
rules.add_perm("proposals.follow_proposal", is_signed_in & is_published)
rules.add_perm("proposals.comment_proposal", is_signed_in & is_open_for_comments)
rules.add_perm("proposals.pledge_proposal", is_signed_in & is_supportable)
rules.add_perm("proposals.report_proposal", is_signed_in & is_published)
rules.add_perm("proposals.change_status_proposal", is_moderator)
rules.add_perm("proposals.moderate_proposal", is_moderator)
rules.add_perm("proposals.assist_proposal", is_moderator)
rules.add_perm("proposals.post_update_proposal", is_moderator)
rules.add_perm("proposals.change_comment", is_comment_author)
