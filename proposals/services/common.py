"""What every proposals service shares: the refusal, assisted entries, the search text."""
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.utils.translation import gettext as _

from coproduction.errors import DomainError
from stakeholders.staff import is_staff_of

from ..models import Channel, Proposal


class ProposalError(DomainError):
    """A change the rules refuse; the message is shown to the person."""


def _update_search_vector(proposal):
    if connection.vendor == "postgresql":
        Proposal.objects.filter(pk=proposal.pk).update(
            search_vector=SearchVector("title", weight="A", config="german")
            + SearchVector("summary", weight="B", config="german")
            + SearchVector("text", weight="C", config="german")
        )


def _check_assisted(*, entered_by, channel, consent_recorded, organisation):
    if channel == Channel.ONLINE:
        if entered_by is not None:
            raise ProposalError(_("Choose how the participant took part when entering on their behalf."))
        return
    if entered_by is None or not is_staff_of(entered_by, organisation):
        raise ProposalError(_("Only staff of the organisation can enter contributions on behalf of participants."))
    if not consent_recorded:
        raise ProposalError(_("Record that the participant agreed before entering this on their behalf."))
