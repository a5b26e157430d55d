"""The volunteer's own settings: skills, weekly availability and the private calendar feed."""
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AvailabilitySlot, VolunteerProfile
from .errors import VolunteeringError, require_signed_in


def volunteer_profile_get(*, user):
    """The person's volunteer profile, created empty on first use."""
    require_signed_in(user)
    return VolunteerProfile.objects.get_or_create(user=user)[0]


@transaction.atomic
def volunteer_profile_update(*, user, skills=None, availability=None):
    """Replaces the skills and/or the weekly availability: (ISO weekday, start time, end time) rows."""
    profile = volunteer_profile_get(user=user)
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    if availability is not None:
        slots = []
        for weekday, start_time, end_time in availability:
            if weekday not in AvailabilitySlot.Weekday.values:
                raise VolunteeringError(_("Choose a weekday from Monday to Sunday."))
            if start_time is None or end_time is None or end_time <= start_time:
                raise VolunteeringError(
                    _("On %(day)s, the time you are free must end after it starts.")
                    % {"day": AvailabilitySlot.Weekday(weekday).label}
                )
            slots.append(AvailabilitySlot(profile=profile, weekday=weekday, start_time=start_time, end_time=end_time))
        profile.availability.all().delete()
        AvailabilitySlot.objects.bulk_create(slots)
    if skills is not None:
        profile.skills.set(skills)
    profile.save(update_fields=["updated_at"])
    return profile


@transaction.atomic
def calendar_token_rotate(*, user):
    """Issues a new secret for the private calendar feed; the old address stops working."""
    profile = volunteer_profile_get(user=user)
    profile.calendar_token = secrets.token_urlsafe(32)
    profile.calendar_token_created_at = timezone.now()
    profile.save(update_fields=["calendar_token", "calendar_token_created_at", "updated_at"])
    return profile.calendar_token


@transaction.atomic
def calendar_token_revoke(*, user):
    """Switches the private calendar feed off."""
    profile = volunteer_profile_get(user=user)
    profile.calendar_token = None
    profile.calendar_token_created_at = None
    profile.save(update_fields=["calendar_token", "calendar_token_created_at", "updated_at"])
    return profile
