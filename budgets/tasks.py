"""Celery tasks: thin wrappers over the services, run by beat (see CELERY_BEAT_SCHEDULE)."""
from celery import shared_task

from . import services


@shared_task(name="budgets.phases_advance", ignore_result=True)
def phases_advance():
    """Moves processes to the phase their dates say; a late or repeated run does the right thing."""
    return services.phases_advance()
