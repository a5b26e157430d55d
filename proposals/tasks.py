"""Celery tasks: thin, idempotent wrappers over the services, run by beat (see CELERY_BEAT_SCHEDULE)."""
from celery import shared_task

from . import services


@shared_task(name="proposals.answer_times_refresh", ignore_result=True)
def answer_times_refresh():
    """Every organisation's answer-time figure anew: the twelve-month window moves on every night."""
    return services.answer_times_refresh()
