"""Small helpers the apps' notify.py modules share to word their notifications."""
from datetime import datetime

from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from coproduction.formatting import short_datetime


def actor_name(activity):
    """The display name of who did it; the platform itself for automatic steps."""
    if activity.actor_id is None:
        if (activity.data or {}).get("actor_erased"):
            return capfirst(_("deleted user"))  # names open the sentences it is used in
        return _("Koproduktion")
    return activity.actor.display_name or _("Someone")


def when(value):
    """An ISO timestamp from activity data, as a short local date and time in the active language."""
    if not value:
        return ""
    return short_datetime(datetime.fromisoformat(value))


def excerpt(text, words=40):
    return Truncator(" ".join((text or "").split())).words(words)


def exists(model):
    """A visibility check for targets that every recipient may see for as long as they exist."""
    def visible(ids):
        return dict.fromkeys(model._default_manager.filter(pk__in=ids).order_by().values_list("pk", flat=True))
    return visible
