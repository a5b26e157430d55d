"""What becomes of a person's part in proposals when their account is erased (stakeholders.erasure)."""
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import F

from coproduction.images import pictures_discard
from coproduction.models import Picture

from ..models import Pledge, Proposal, Support


@transaction.atomic
def person_contributions_withdraw(*, user):
    """Withdraws every support and pledge of the person; each proposal's kept counters go down with them."""
    supported = list(Support.objects.filter(user=user).values_list("proposal_id", flat=True))
    Support.objects.filter(user=user).delete()
    Proposal.objects.filter(pk__in=supported).update(support_count=F("support_count") - 1)

    pledges = Counter(Pledge.objects.filter(user=user).values_list("proposal_id", flat=True))
    Pledge.objects.filter(user=user).delete()
    by_number = defaultdict(list)
    for proposal_id, number in pledges.items():
        by_number[number].append(proposal_id)
    for number, proposal_ids in by_number.items():
        Proposal.objects.filter(pk__in=proposal_ids).update(pledge_count=F("pledge_count") - number)


@transaction.atomic
def person_drafts_delete(*, user):
    """Deletes the drafts the person wrote: nobody else ever saw them."""
    Proposal.objects.filter(author=user, status=Proposal.Status.DRAFT).delete()


@transaction.atomic
def person_pictures_discard(*, user):
    """Deletes the pictures of the person's own proposals, with their files: they may show the person."""
    pictures_discard(Picture.objects.filter(pk__in=Proposal.objects.filter(author=user, image__isnull=False)
                                            .values("image_id")))
