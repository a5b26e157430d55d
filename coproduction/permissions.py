"""Asking the named rules (``app.verb_model``, see each app's rules.py) from services and views."""
import rules
from django.utils.translation import gettext as _

from .errors import NotPermitted


def allowed(user, permission, obj=None):
    """Asks the named rule itself, so a superuser gets no shortcut past an object's state."""
    return rules.has_perm(permission, user, obj)


def require(user, permission, obj=None, message=None):
    """Refuses with NotPermitted (its message, or a plain default) unless the rule allows it."""
    if user is None or not allowed(user, permission, obj):
        raise NotPermitted(message or _("You may not do this."))
