"""The Celery app: broker from CELERY_BROKER_URL (Redis); eager in-process without one."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduction.settings")

app = Celery("coproduction")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
