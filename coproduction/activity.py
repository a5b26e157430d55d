"""The seam through which the people layer records what happened.

stakeholders sits below notifications (the activity log and its deliveries read people,
organisations and memberships), yet a request to join an organisation is something its staff
must hear about. So stakeholders records through this seam, and the notifications app plugs its
activity log in when it starts (NotificationsConfig.ready). Feature apps, which sit above
notifications, call notifications.services.activity_record directly.
"""
from django.core.exceptions import ImproperlyConfigured

_recorder = None


def connect(recorder):
    global _recorder
    _recorder = recorder


def record(**kwargs):
    """Records one activity (the keyword arguments of notifications.services.activity_record)."""
    if _recorder is None:
        raise ImproperlyConfigured("No activity log is installed (the notifications app records activities).")
    return _recorder(**kwargs)
