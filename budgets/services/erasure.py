"""What becomes of a person's part in participatory budgets when their account is erased (stakeholders.erasure)."""
from django.db import transaction

from proposals.models import Proposal

from ..models import Ballot


@transaction.atomic
def person_ballots_discard(*, user):
    """Deletes the person's ballots not yet confirmed: they were never counted, so no result changes."""
    Ballot.objects.filter(user=user, status=Ballot.Status.DRAFT).delete()


@transaction.atomic
def person_budget_proposals_release(*, user):
    """The person's budget proposals in draft stay with their budget, without an author, like the others.

    Erasure deletes a person's drafts in proposals after this step; a budget proposal put back to draft
    in the back office is the budget's, not one of them.
    """
    Proposal.objects.filter(author=user, status=Proposal.Status.DRAFT, budget_entry__isnull=False).update(author=None)
