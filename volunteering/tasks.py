"""Celery tasks: thin, idempotent wrappers over the services, run by beat (see CELERY_BEAT_SCHEDULE).

They take no arguments and look at the state when they run, so a late or repeated run does the
right thing; nothing else enqueues them.
"""
from celery import shared_task

from . import services


@shared_task(name="volunteering.offers_expire", ignore_result=True)
def offers_expire():
    """Moves expired waitlist offers on to the next person; closes waitlists once sign-up closed."""
    return services.offers_expire()


@shared_task(name="volunteering.reminders_due", ignore_result=True)
def reminders_due():
    """Records the 24-hour reminder for every confirmed sign-up that has not had one."""
    return services.reminders_due()
