"""The groups of participatory budgets that staff may write to: everyone who voted or sent in a proposal."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.messaging import Audience
from stakeholders.models import User

from .models import Ballot, Entry, Phase, Process


def _processes(ids):
    found = Process.objects.exclude(phase=Phase.ANNOUNCED).order_by("-pk")
    return found if ids is None else found.filter(organisation_id__in=ids)


def _participants(process):
    voted = Ballot.objects.filter(process=process, status=Ballot.Status.CONFIRMED).values("user_id")
    proposed = Entry.objects.filter(process=process).values("proposal__author_id")
    return User.objects.filter(Q(pk__in=voted) | Q(pk__in=proposed)).values_list("pk", flat=True)


AUDIENCES = [
    Audience(
        code="budget",
        label=_("The participants of a participatory budget (voted or sent in a proposal)"),
        objects=_processes,
        organisation_of=lambda process: process.organisation_id,
        members=_participants,
        describe=lambda process: process.title,
        order=40,
    ),
]
