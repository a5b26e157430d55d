"""The one answer to “is this person staff of that organisation?”, and its twin for lists.

Staff means an approved membership with the role “staff”. Platform operators (superusers) are
not staff of anything, but ``is_staff_of`` lets them act everywhere, as the back office does;
``holds_staff_role`` is the strict question for the few places where only real staff count.
Twins for lists: ``Organisation.objects.where_staff(user)`` and ``Membership.objects.staff_of(…)``.
"""
from collections.abc import Iterable

from django.utils.translation import gettext as _

from coproduction.errors import NotPermitted


def organisation_ids(organisations):
    """Ids from an organisation, an id, an object with ``organisation_ids()`` or ``organisation_id``,
    or an iterable of organisations or ids."""
    if organisations is None:
        return frozenset()
    if hasattr(organisations, "organisation_ids"):
        return frozenset(organisations.organisation_ids())
    if isinstance(organisations, int):
        return frozenset([organisations])
    if hasattr(organisations, "_meta") and organisations._meta.label_lower == "stakeholders.organisation":
        return frozenset([organisations.pk])
    if hasattr(organisations, "organisation_id"):
        return frozenset([organisations.organisation_id])
    if isinstance(organisations, Iterable):
        return frozenset(getattr(item, "pk", item) for item in organisations)
    raise TypeError(f"Not an organisation: {organisations!r}")


def _staff_memberships(user):
    from .models import Membership

    return Membership.objects.approved().filter(user=user, role=Membership.Role.STAFF)


def staff_organisation_ids(user):
    """The ids of the organisations where ``user`` holds the approved staff role."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(_staff_memberships(user).values_list("organisation_id", flat=True))


def holds_staff_role(user, organisations):
    """Staff of (any of) ``organisations``, operators not included; one query."""
    if user is None or not user.is_authenticated:
        return False
    ids = organisation_ids(organisations)
    return bool(ids) and _staff_memberships(user).filter(organisation_id__in=ids).exists()


def is_staff_of(user, organisations):
    """Staff of (any of) ``organisations``, or a platform operator."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or holds_staff_role(user, organisations)


def is_staff_anywhere(user):
    """Staff of at least one organisation (operators not included)."""
    return user is not None and user.is_authenticated and _staff_memberships(user).exists()


def require_staff(user, organisations, message=None):
    """Refuses (NotPermitted) unless ``user`` is staff of (any of) ``organisations`` or an operator."""
    if not is_staff_of(user, organisations):
        raise NotPermitted(message or _("Only staff of the organisation can do this."))
