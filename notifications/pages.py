"""What notifications contribute to the home page ("for you": the latest unread news about what the person
follows) and to My area (how they hear about things). Nothing is asked of the database while the kept
count of unread notifications is zero."""
from coproduction.pages import panel, signed_in

from .delivery import describe, visible_items
from .models import Notification

FOR_YOU_SHOWN = 3



def latest_news(request, obj, bound):
    user = signed_in(request)
    if user is None:
        return None
    items = []
    if user.unread_notifications:
        items = list(Notification.objects.filter(recipient=user).unread()
                     .select_related("activity", "organisation")[:FOR_YOU_SHOWN])
    visible = visible_items(items) if items else set()
    return {"rows": [(item, describe(item, available=item in visible)) for item in items],
            "unread": user.unread_notifications}


def my_notification_settings(request, obj, bound):
    user = signed_in(request)
    return {"unread": user.unread_notifications} if user is not None else None


panel("for-you", "news", template="notifications/_for_you_news.html", context=latest_news, order=40)
panel("me", "notifications", template="notifications/_me_notifications.html", context=my_notification_settings,
      order=85)
