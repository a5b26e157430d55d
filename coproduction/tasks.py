"""Celery tasks of the core: thin wrappers over its services, scheduled by beat (CELERY_BEAT_SCHEDULE)."""
from celery import shared_task

from . import images


@shared_task(name="coproduction.pictures_sweep", acks_late=True, ignore_result=True)
def pictures_sweep():
    """Pictures whose proposal, organisation or task was deleted go, with their files."""
    return images.pictures_sweep()
