"""Who is due an email, and claiming their Delivery rows so that no other worker sends them.

A claim locks the rows nobody else is sending (SKIP LOCKED), marks them as this claimer's and
attaches the notifications each email carries, all in one short transaction.
"""
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from ..channels import Channel
from ..models import Delivery, Notification
from .periods import K, cutoff_of, period_for

St = Delivery.Status
CLAIM_TIMEOUT = timedelta(minutes=15)


def batch_size():
    return settings.NOTIFICATIONS_BATCH_SIZE


def digest_recipients(kind, now=None):
    """(period, cutoff, ids of people with items waiting for this digest and no email for it yet)."""
    period, cutoff = period_for(kind, now)
    done = Delivery.objects.filter(kind=kind, period=period).values("recipient_id")
    ids = (
        Notification.objects.pending_email().filter(channel=kind, created_at__lt=cutoff)
        .exclude(recipient_id__in=done).order_by("recipient_id").values_list("recipient_id", flat=True).distinct()
    )
    return period, cutoff, list(ids)


def batches(ids, size=None):
    size = size or batch_size()
    return [ids[start:start + size] for start in range(0, len(ids), size)]


def claim_digests(kind, period, cutoff, recipient_ids, claimer, now=None):
    """Creates and claims the digest rows of these people; attaches their waiting items."""
    now = now or timezone.now()
    Delivery.objects.bulk_create(
        [Delivery(recipient_id=pk, kind=kind, period=period) for pk in recipient_ids], ignore_conflicts=True
    )
    with transaction.atomic():
        claimed = claim(Delivery.objects.filter(kind=kind, period=period, recipient_id__in=recipient_ids),
                        claimer, now, cutoff=cutoff)
    return [d[0] for d in claimed]


def claim_immediate(notification_ids, claimer, now=None):
    """Creates and claims the single emails of these notifications (those still waiting for one)."""
    now = now or timezone.now()
    waiting = list(
        Notification.objects.pending_email().filter(pk__in=notification_ids, channel=Channel.IMMEDIATE)
        .values_list("pk", "recipient_id")
    )
    Delivery.objects.bulk_create(
        [Delivery(recipient_id=recipient, kind=K.IMMEDIATE, period=str(pk)) for pk, recipient in waiting],
        ignore_conflicts=True,
    )
    periods = {str(pk) for pk in notification_ids}
    with transaction.atomic():
        claimed = claim(Delivery.objects.filter(kind=K.IMMEDIATE, period__in=periods), claimer, now)
    return [d[0] for d in claimed]


def claim(deliveries, claimer, now, limit=None, cutoff=None):
    """Locks the rows nobody else is sending (or that a dead worker left), marks them as ours and
    attaches what they carry. Call it inside a transaction."""
    open_ = Q(status=St.PENDING) | Q(status=St.SENDING, claimed_by=claimer) | Q(
        status=St.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    rows = (deliveries.filter(open_).select_for_update(skip_locked=True).order_by("pk")
            .values_list("pk", "recipient_id", "kind", "period"))
    claimed = list(rows[:limit] if limit else rows)
    if claimed:
        Delivery.objects.filter(pk__in=[d[0] for d in claimed]).update(
            status=St.SENDING, claimed_by=claimer, claimed_at=now, attempts=F("attempts") + 1
        )
        _attach(claimed, cutoff)
    return claimed


def _attach(claimed, cutoff=None):
    """Attaches to each claimed email what it carries: its one notification, or the person's waiting items.

    Also on a reclaim, so an email whose row was created but never claimed (a crash in between)
    still carries its items.
    """
    links = {int(period): pk for pk, _recipient, kind, period in claimed if kind == K.IMMEDIATE}
    if links:
        Notification.objects.pending_email().filter(pk__in=links, channel=Channel.IMMEDIATE).update(
            delivery_id=Case(*[When(pk=n, then=Value(d)) for n, d in links.items()], output_field=IntegerField())
        )
    digests = defaultdict(list)
    for _pk, recipient, kind, period in claimed:
        if kind != K.IMMEDIATE:
            digests[kind, period].append(recipient)
    for (kind, period), recipients in digests.items():
        mine = Delivery.objects.filter(kind=kind, period=period, recipient_id=OuterRef("recipient_id"))
        Notification.objects.pending_email().filter(
            channel=kind, created_at__lt=cutoff or cutoff_of(kind, period), recipient_id__in=recipients
        ).update(delivery_id=Subquery(mine.values("pk")[:1]))
