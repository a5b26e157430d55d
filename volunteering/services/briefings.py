"""Briefings: the wiki pages to read before a shift, and who has read them."""
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from notifications.services import activity_record

from ..models import BriefingRead, SignUp
from ..notify import Verb
from .errors import VolunteeringError


@transaction.atomic
def briefing_confirm_read(*, task, user):
    """Someone with a place (or an offer or waitlist ticket) on the task confirms they read its briefing."""
    if not task.briefing_links.exists():
        raise VolunteeringError(_("This task has no briefing to read."))
    if not SignUp.objects.active().filter(shift__task=task, user=user).exists():
        raise VolunteeringError(_("Sign up for a shift of this task first."))
    try:
        with transaction.atomic():
            read = BriefingRead.objects.create(task=task, user=user)
    except IntegrityError:
        raise VolunteeringError(_("You have already confirmed that you read the briefing.")) from None
    activity_record(actor=user, verb=Verb.BRIEFING_READ, target=task, organisation=task.organisation)
    return read
