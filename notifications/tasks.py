"""Celery tasks: thin wrappers over notifications.delivery, scheduled by beat (CELERY_BEAT_SCHEDULE).

Every task may run twice, late, or on two workers at once: the Delivery rows decide what is
still to send. Tasks are acknowledged late, so a worker that dies hands its task to another.
"""
from datetime import datetime

from celery import shared_task

from . import delivery, services
from .jobs import enqueue


def _claimer(task):
    """A redelivered task has the same id, so it takes back what it had claimed before dying."""
    return f"task-{task.request.id}" if task.request.id else delivery.new_claimer()


@shared_task(name="notifications.send_immediate", bind=True, acks_late=True, ignore_result=True)
def send_immediate(self, notification_ids):
    return delivery.send_immediate(notification_ids, claimer=_claimer(self))


@shared_task(name="notifications.fan_out", acks_late=True, ignore_result=True)
def fan_out(activity_id):
    """Derives the notifications of a broadcast activity (see services.fan_out); a repeat does nothing."""
    return services.fan_out(activity_id)


@shared_task(name="notifications.digest_batch", bind=True, acks_late=True, ignore_result=True)
def digest_batch(self, kind, period, cutoff, recipient_ids):
    return delivery.send_digest_batch(kind, period, datetime.fromisoformat(cutoff), recipient_ids,
                                      claimer=_claimer(self))


@shared_task(name="notifications.digests", ignore_result=True)
def digests(kind):
    """Fans the digest of the current period out in batches of NOTIFICATIONS_BATCH_SIZE people."""
    period, cutoff, ids = delivery.digest_recipients(kind)
    for batch in delivery.batches(ids):
        enqueue(digest_batch, kind, period, cutoff.isoformat(), batch)
    return len(ids)


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep():
    """Catches up on whatever a missing broker or a dead worker left: broadcasts, single emails, digests, retries."""
    for activity_id in services.fan_out_overdue():
        services.fan_out(activity_id)
    overdue = delivery.immediate_overdue()
    if overdue:
        delivery.send_immediate(overdue)
    delivery.retry_unfinished()
    for kind in delivery.K.DAILY, delivery.K.WEEKLY:
        digests(kind)
