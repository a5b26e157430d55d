"""The domain error of volunteering and the checks every service shares."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stakeholders.models import User


class VolunteeringError(Exception):
    """A change the rules refuse; the message is shown to the person.

    ``field_errors`` maps form field names to messages when the refusal is about one field, so
    a form can show the message at that field.
    """

    def __init__(self, message, field_errors=None):
        super().__init__(message)
        self.field_errors = field_errors or {}


def require_staff(actor, organisation):
    """Refuses unless ``actor`` is staff of ``organisation`` (or a platform operator)."""
    if actor is None or not actor.is_authenticated:
        raise VolunteeringError(_("Only staff of the organisation can do this."))
    if not (actor.is_superuser or actor.has_perm("stakeholders.manage_organisation", organisation)):
        raise VolunteeringError(_("Only staff of the organisation can do this."))


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
