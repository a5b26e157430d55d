"""Which digest is due when: periods and their cutoffs in local time (TIME_ZONE)."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from ..models import Delivery

K = Delivery.Kind
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def period_for(kind, now=None):
    """(period, cutoff) of the most recent digest time at or before ``now``, in local time (TIME_ZONE).

    Daily: the local date of the digest hour. Weekly: the ISO week of the digest weekday.
    A digest carries what was notified before its cutoff; later items wait for the next one.
    """
    local = timezone.localtime(now or timezone.now(), local_zone())
    scheduled = local.replace(hour=settings.NOTIFICATIONS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if kind == K.DAILY:
        if scheduled > local:
            scheduled -= timedelta(days=1)
        return scheduled.date().isoformat(), _aware(scheduled)
    weekday = WEEKDAYS.index(settings.NOTIFICATIONS_WEEKLY_DAY)
    scheduled -= timedelta(days=(local.weekday() - weekday) % 7)
    if scheduled > local:
        scheduled -= timedelta(days=7)
    year, week, _day = scheduled.isocalendar()
    return f"{year}-W{week:02d}", _aware(scheduled)


def _aware(local):
    """The same wall-clock time, with the offset that is valid on that day (summer or winter time)."""
    return timezone.make_aware(datetime(local.year, local.month, local.day, local.hour), local.tzinfo)


def cutoff_of(kind, period):
    """The cutoff of a digest period written by period_for."""
    if kind == K.DAILY:
        day = date.fromisoformat(period)
    else:
        year, week = period.split("-W")
        day = date.fromisocalendar(int(year), int(week), WEEKDAYS.index(settings.NOTIFICATIONS_WEEKLY_DAY) + 1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, settings.NOTIFICATIONS_DIGEST_HOUR),
                               local_zone())
