"""Handing work to the Celery workers: the one way the services reach the tasks.

The services name a task instead of importing notifications.tasks (which imports the services
and the delivery it wraps), so the imports point one way: tasks → services, delivery → here.
The tasks are registered when the app is ready (NotificationsConfig.ready).
"""
import logging

from celery import current_app

logger = logging.getLogger(__name__)

SEND_IMMEDIATE = "notifications.send_immediate"
FAN_OUT = "notifications.fan_out"


def enqueue(task, *args):
    """Hands a task (or the name of one) to the broker; a broker that is down loses nothing, the sweep catches up."""
    task = current_app.tasks[task] if isinstance(task, str) else task
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - any broker or sending failure: the data is committed, the sweep retries
        logger.warning("Could not hand %s to the broker; the sweep will send it.", task.name, exc_info=True)
