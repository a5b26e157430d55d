"""The public answer-time figure: how many days an organisation takes to give a proposal its first
official answer (the first status change that carries a public response), as the median over the
answers given in the last twelve months. Only proposals everyone can see count: published, not
hidden by moderation. Kept in AnswerTime: refreshed by the service that records an answer and every
night (the window moves on even when nobody answers)."""
import statistics
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from stakeholders.models import Organisation

from ..models import AnswerTime, Proposal

WINDOW = timedelta(days=365)
DAY = 86400


def is_official_answer(*, to_status, response):
    """A move with a public response, except the author's own withdrawal."""
    return bool(response) and to_status != Proposal.Status.WITHDRAWN


@transaction.atomic
def answer_times_refresh(*, organisation_ids=None, now=None):
    """Computes the figure anew for the given organisations (all when None); returns how many rows it kept."""
    now = now or timezone.now()
    proposals = Proposal.objects.all()
    if organisation_ids is not None:
        proposals = proposals.filter(organisation_id__in=organisation_ids)
    days = defaultdict(list)
    for organisation_id, waited in _answered_in(proposals, now):
        days[organisation_id].append(waited)
    ids = organisation_ids if organisation_ids is not None else Organisation.objects.values_list("id", flat=True)
    rows = [AnswerTime(organisation_id=organisation_id, answer_count=len(days.get(organisation_id, [])),
                       median_days=statistics.median(days[organisation_id]) if days.get(organisation_id) else None,
                       computed_at=now)
            for organisation_id in ids]
    AnswerTime.objects.bulk_create(rows, update_conflicts=True, unique_fields=["organisation"],
                                   update_fields=["median_days", "answer_count", "computed_at"])
    return len(rows)


def _answered_in(proposals, now):
    answers = [status for status in Proposal.Status.values if status != Proposal.Status.WITHDRAWN]
    first_answer = Min("status_changes__created_at",
                       filter=Q(status_changes__response__gt="", status_changes__to_status__in=answers))
    rows = (proposals.published().filter(is_hidden=False, published_at__isnull=False)
            .annotate(first_answer=first_answer)
            .filter(first_answer__gt=now - WINDOW, first_answer__lte=now)
            .values_list("organisation_id", "published_at", "first_answer"))
    return ((org, max((answered - published).total_seconds(), 0) / DAY) for org, published, answered in rows)
