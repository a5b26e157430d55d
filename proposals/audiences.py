"""The groups of proposals that staff may write to: the people who follow a proposal."""
from django.utils.translation import gettext_lazy as _

from notifications.messaging import Audience

from .models import Follow, Proposal


def _proposals(ids):
    found = Proposal.objects.published().filter(is_hidden=False).order_by("-published_at", "-pk")
    return found if ids is None else found.filter(organisation_id__in=ids)


AUDIENCES = [
    Audience(
        code="followers",
        label=_("The followers of a proposal"),
        objects=_proposals,
        organisation_of=lambda proposal: proposal.organisation_id,
        members=lambda proposal: Follow.objects.filter(proposal=proposal).values_list("user_id", flat=True),
        describe=lambda proposal: proposal.title,
        order=30,
    ),
]
