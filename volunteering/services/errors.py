"""The domain error of volunteering and the checks every service shares."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coproduction.errors import DomainError
from stakeholders.models import User


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


def lock_person(user_id):
    """Locks the person's row: every service changing someone's sign-ups takes this lock first.

    The order person → task → shift → sign-up is kept by all services, so they never deadlock;
    FOR NO KEY UPDATE leaves rows that merely reference the person (activity, sign-ups) unblocked.
    """
    list(User.objects.select_for_update(no_key=True).filter(pk=user_id).values_list("pk", flat=True))
