"""Dating the demo's activity log, so notifications and timelines tell the story of the last months.

The apps' demos make their rows through the services at the moment of seeding and date them back
afterwards; what a service recorded in the activity log is dated back with them by recording it
inside ``happened_at(when)``. Once the demo is committed, seed_demo runs ``settle(site)``: the
notifications made while seeding (including those derived from broadcasts after the commit) take
the moment of their activity, older ones count as read, and every unread counter is recounted.
There is no ``seed`` here: the activity log has no demo content of its own.
"""
from contextlib import contextmanager
from datetime import timedelta

from django.db.models import F, OuterRef, Subquery

from .models import Activity, Delivery, Notification
from .services import unread_recount

READ_AFTER = timedelta(days=6)  # what happened before that has been seen by now


def _last_pk(model):
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@contextmanager
def happened_at(when, *models):
    """Dates ``when`` every activity recorded inside the block, and the ``created_at`` of the rows
    of ``models`` made inside it (a support, a comment, a status change)."""
    before = {model: _last_pk(model) for model in (Activity, *models)}
    yield
    for model, last in before.items():
        model.objects.filter(pk__gt=last).update(created_at=when)


def settle(site):
    """Notifications and emails made since ``site.now`` take their activity's moment; old ones are read."""
    fresh = list(Notification.objects.filter(created_at__gte=site.now).values_list("pk", flat=True))
    if not fresh:
        return
    notifications = Notification.objects.filter(pk__in=fresh)
    notifications.update(created_at=Subquery(Activity.objects.filter(pk=OuterRef("activity_id"))
                                             .values("created_at")[:1]))
    old = notifications.filter(created_at__lt=site.now - READ_AFTER, read_at__isnull=True)
    old.update(read_at=F("created_at") + timedelta(hours=9))  # read on the evening it came
    first = Notification.objects.filter(delivery=OuterRef("pk")).order_by("created_at").values("created_at")[:1]
    emails = Delivery.objects.filter(pk__in=notifications.filter(delivery__isnull=False).values("delivery_id"),
                                     created_at__gte=site.now)
    emails.filter(sent_at__isnull=False).update(created_at=Subquery(first), sent_at=Subquery(first))
    emails.update(created_at=Subquery(first))
    unread_recount(set(notifications.values_list("recipient_id", flat=True)))
