"""Celery tasks: thin wrappers over notifications.delivery, scheduled by beat (CELERY_BEAT_SCHEDULE).

Every task may run twice, late, or on two workers at once: the Delivery rows decide what is
still to send. Tasks are acknowledged late, so a worker that dies hands its task to another. A task
that meets the database restarting or out of reach tries again a moment later, with the same task
id, so it takes back what it had claimed (see ``_claimer``) instead of leaving it to the sweep after
CLAIM_TIMEOUT; after RETRIES tries it gives up and the sweep catches up.
"""
from datetime import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import delivery, services
from .jobs import enqueue

RETRIES = 6
# Waits of 1, 2, 4, 8, 16 and 30 seconds between the tries: a restart of PostgreSQL takes a few.
RETRY_ON_DATABASE_ERRORS = {"autoretry_for": (OperationalError, InterfaceError), "max_retries": RETRIES,
                            "retry_backoff": 1, "retry_backoff_max": 30, "retry_jitter": False}


def _claimer(task):
    """A redelivered task has the same id, so it takes back what it had claimed before dying."""
    return f"task-{task.request.id}" if task.request.id else delivery.new_claimer()


@shared_task(name="notifications.send_immediate", bind=True, acks_late=True, ignore_result=True,
             **RETRY_ON_DATABASE_ERRORS)
def send_immediate(self, notification_ids):
    return delivery.send_immediate(notification_ids, claimer=_claimer(self))


@shared_task(name="notifications.fan_out", acks_late=True, ignore_result=True, **RETRY_ON_DATABASE_ERRORS)
def fan_out(activity_id):
    """Derives the notifications of a broadcast activity (see services.fan_out); a repeat does nothing."""
    return services.fan_out(activity_id)


@shared_task(name="notifications.digest_batch", bind=True, acks_late=True, ignore_result=True,
             **RETRY_ON_DATABASE_ERRORS)
def digest_batch(self, kind, period, cutoff, recipient_ids):
    return delivery.send_digest_batch(kind, period, datetime.fromisoformat(cutoff), recipient_ids,
                                      claimer=_claimer(self))


@shared_task(name="notifications.digests", ignore_result=True, **RETRY_ON_DATABASE_ERRORS)
def digests(kind):
    """Fans the digest of the current period out in batches of NOTIFICATIONS_BATCH_SIZE people."""
    period, cutoff, ids = delivery.digest_recipients(kind)
    for batch in delivery.batches(ids):
        enqueue(digest_batch, kind, period, cutoff.isoformat(), batch)
    return len(ids)


@shared_task(name="notifications.sweep", ignore_result=True, **RETRY_ON_DATABASE_ERRORS)
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
