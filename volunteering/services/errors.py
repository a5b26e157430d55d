"""The domain error of volunteering and the checks every service shares."""
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from coproduction.errors import DomainError


class VolunteeringError(DomainError):
    """A change the rules of volunteering refuse; the message is shown to the person, at its fields if any."""


def refusal(check, *args):
    """The words with which ``check`` (one of the ``check_…`` functions) refuses, or None if it lets it through."""
    try:
        check(*args)
    except DomainError as error:
        return error.message
    return None


def require_signed_in(user):
    if user is None or not user.is_authenticated:
        raise VolunteeringError(_("Sign in first."))


def validate(obj, exclude=None):
    """Runs the model's validation; a refusal becomes a VolunteeringError that names the fields."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        raise VolunteeringError(" ".join(error.messages), field_errors=error.message_dict) from error


# The advisory locks of volunteering are keyed (PERSON_LOCK << 32) + the person's id.
PERSON_LOCK = 0x766F6C


def lock_person(user_id):
    """Takes the person's lock: every service changing someone's sign-ups takes this lock first.

    The order person → task → shift → sign-up is kept by all services, so they never deadlock.
    The lock is volunteering's own, not the person's row: on PostgreSQL a transaction-level
    advisory lock keyed by the person (released at commit or rollback); SQLite serialises writers
    anyway. The row belongs to stakeholders and is written by others (the unread counter of
    notifications, profile changes), so neither those writers nor this app need to know the
    other's lock order, and a counter update is never skipped because someone is signing up.
    Measured on the sign-up race of bench_volunteering, it is as fast as the row lock it
    replaces, and no page reads anything more (the counter stays on the person's row).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [(PERSON_LOCK << 32) + (user_id & 0xFFFFFFFF)])
