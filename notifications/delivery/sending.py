"""Sending claimed emails, each marked sent in the transaction that commits once it has left;
the jobs the tasks run; and retrying what a dead worker or a refusing mail server left."""
import uuid
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from ..channels import Channel
from ..models import Delivery, Notification
from .claiming import CLAIM_TIMEOUT, batch_size, batches, claim, claim_digests, claim_immediate
from .rendering import build_email
from .visibility import visible_items

St = Delivery.Status
RETRY_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 5


def max_items():
    return settings.NOTIFICATIONS_DIGEST_MAX_ITEMS


def send_claimed(delivery_ids, claimer, connection=None):
    """Builds and sends the claimed emails; returns how many left. Items gone or hidden are left out."""
    if not delivery_ids:
        return 0
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, claimed_by=claimer, status=St.SENDING)
        .select_related("recipient").order_by("pk")
    )
    if not deliveries:
        return 0
    items = list(
        Notification.objects.filter(delivery_id__in=[d.pk for d in deliveries])
        .select_related("activity__actor", "activity__target_type", "organisation")
        .annotate(
            position=Window(RowNumber(), partition_by=[F("delivery_id")],
                            order_by=[F("created_at").desc(), F("pk").desc()]),
            total=Window(Count("pk"), partition_by=[F("delivery_id")]),
        )
        .filter(position__lte=max_items())
        .order_by("delivery_id", "-created_at", "-pk")
    )
    visible = visible_items(items)
    by_delivery = defaultdict(list)
    more = defaultdict(int)
    for item in items:
        more[item.delivery_id] = item.total - item.position  # the last one read is the highest position
        if item in visible:
            by_delivery[item.delivery_id].append(item)
    connection = connection or get_connection()
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - the mail server is down: every email of the batch waits
        for delivery in deliveries:
            _failed(delivery, claimer, error)
        return 0
    sent = 0
    try:
        for delivery in deliveries:
            shown = by_delivery.get(delivery.pk, [])
            if not shown or not delivery.recipient.is_active or not delivery.recipient.email:
                _finish(delivery, claimer, status=St.SKIPPED)
                continue
            message = build_email(delivery, shown, more=more[delivery.pk], connection=connection)
            try:
                with transaction.atomic():
                    if not _finish(delivery, claimer, status=St.SENT, subject=message.subject[:200],
                                   item_count=len(shown), sent_at=timezone.now()):
                        continue  # another run of this claim sent it while we waited for the row
                    message.send()
            except DatabaseError:
                raise  # not the mail server: the task tries again with its claim (notifications.tasks)
            except Exception as error:  # noqa: BLE001 - the mail server refused or is down: try again later
                _failed(delivery, claimer, error)
                continue
            sent += 1
    finally:
        connection.close()
    return sent


def _finish(delivery, claimer, **fields):
    """One UPDATE by key of an email still being sent under this claim; False if it no longer is."""
    return bool(Delivery.objects.filter(pk=delivery.pk, claimed_by=claimer, status=St.SENDING).update(**fields))


def _failed(delivery, claimer, error):
    status = St.FAILED if delivery.attempts >= MAX_ATTEMPTS else St.PENDING
    _finish(delivery, claimer, status=status, error=str(error)[:300])


# --- the jobs the tasks run ------------------------------------------------------------------

def new_claimer():
    return f"run-{uuid.uuid4().hex}"


def send_digest_batch(kind, period, cutoff, recipient_ids, claimer=None):
    claimer = claimer or new_claimer()
    return send_claimed(claim_digests(kind, period, cutoff, recipient_ids, claimer), claimer)


def send_immediate(notification_ids, claimer=None):
    claimer = claimer or new_claimer()
    sent = 0
    for chunk in batches(list(notification_ids)):
        sent += send_claimed(claim_immediate(chunk, claimer), claimer)
    return sent


def unfinished(now=None):
    """Emails that were claimed but never finished (a dead worker) or that failed and wait for a retry."""
    now = now or timezone.now()
    waited = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - RETRY_AFTER)
    return Delivery.objects.filter(
        (Q(status=St.PENDING) & waited) | Q(status=St.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
    ).filter(created_at__lt=now - timedelta(minutes=1))


def retry_unfinished(now=None, claimer=None):
    """Sends again what is unfinished; gives up on emails a worker died on MAX_ATTEMPTS times."""
    claimer = claimer or new_claimer()
    now = now or timezone.now()
    unfinished(now).filter(attempts__gte=MAX_ATTEMPTS).update(
        status=St.FAILED, error=f"Not sent after {MAX_ATTEMPTS} attempts."
    )
    sent = 0
    while True:
        with transaction.atomic():
            claimed = claim(unfinished(now).filter(attempts__lt=MAX_ATTEMPTS), claimer, timezone.now(),
                            limit=batch_size())
        if not claimed:
            return sent
        sent += send_claimed([d[0] for d in claimed], claimer)


def immediate_overdue(now=None):
    """Notifications due right away that never got their email (no broker, or a worker was down)."""
    now = now or timezone.now()
    return list(
        Notification.objects.pending_email()
        .filter(channel=Channel.IMMEDIATE, created_at__lt=now - timedelta(minutes=1))
        .order_by("pk").values_list("pk", flat=True)[:10 * batch_size()]
    )
