"""Who may do what in volunteering, as named rules ``volunteering.<verb>_<model>``.

Each visibility rule has a twin QuerySet method for lists:
view_task ↔ Task.objects.visible_to · change_task ↔ Task.objects.manageable_by ·
view_shift ↔ Shift.objects.visible_to · change_shift / view_roster_shift ↔ Shift.objects.manageable_by ·
sign_up_shift ↔ Shift.objects.open_for_sign_up (for signed-in people) ·
view_signup ↔ SignUp.objects.visible_to · view_contact_signup ↔ SignUp.objects.contact_visible_to ·
view_certificate ↔ Certificate.objects.visible_to.
The state rules ask the services' ``check_…`` functions, which the services ask again under their
locks; so a page offers what the service would do, and a refusal has the service's words.
"""
import rules
from django.utils import timezone

from stakeholders.rules import is_staff_of_organisation

from .models import Certificate, Shift, SignUp, Task, VolunteerProfile
from .services import check_cancel, check_offer_confirm, check_sign_up_open, refusal


def _task_of(obj):
    if isinstance(obj, Task):
        return obj
    if isinstance(obj, Shift):
        return obj.task
    if isinstance(obj, SignUp):
        return obj.shift.task
    return None


@rules.predicate
def is_public_task(user, obj):
    task = _task_of(obj)
    return task is not None and task.status in Task.PUBLIC_STATUSES


@rules.predicate
def is_open_for_sign_up(user, shift):
    return isinstance(shift, Shift) and refusal(check_sign_up_open, shift, timezone.now()) is None


@rules.predicate
def is_own(user, obj):
    if not user.is_authenticated:
        return False
    if isinstance(obj, (SignUp, Certificate, VolunteerProfile)):
        return obj.user_id == user.pk
    return False


@rules.predicate
def is_active_before_deadline(user, sign_up):
    return isinstance(sign_up, SignUp) and refusal(check_cancel, sign_up, timezone.now()) is None


@rules.predicate
def has_open_offer(user, sign_up):
    return isinstance(sign_up, SignUp) and refusal(check_offer_confirm, sign_up, user, timezone.now()) is None


@rules.predicate
def is_confirmed_and_started(user, sign_up):
    return (isinstance(sign_up, SignUp) and sign_up.status == SignUp.Status.CONFIRMED
            and sign_up.shift.has_started(timezone.now()))


is_signed_in = rules.is_authenticated
is_superuser = rules.is_superuser
# Tasks, shifts and sign-ups name their organisation (organisation_id, organisation_ids()).
manages = is_superuser | is_staff_of_organisation

# Tasks: anyone sees published and cancelled ones; drafts and changes are for the organisation's staff.
rules.add_perm("volunteering.view_task", is_superuser | is_public_task | is_staff_of_organisation)
rules.add_perm("volunteering.add_task", is_superuser | is_staff_of_organisation)  # object: the organisation
rules.add_perm("volunteering.change_task", manages)

# Shifts
rules.add_perm("volunteering.view_shift", is_superuser | is_public_task | is_staff_of_organisation)
rules.add_perm("volunteering.change_shift", manages)
rules.add_perm("volunteering.view_roster_shift", manages)
rules.add_perm("volunteering.sign_up_shift", is_signed_in & is_open_for_sign_up)

# Sign-ups: the person and the organisation's staff; contact data only for that staff.
rules.add_perm("volunteering.view_signup", is_own | manages)
rules.add_perm("volunteering.view_contact_signup", manages)
rules.add_perm("volunteering.cancel_signup", (is_own | manages) & is_active_before_deadline)
rules.add_perm("volunteering.confirm_signup", is_own & has_open_offer)
rules.add_perm("volunteering.mark_attendance_signup", manages & is_confirmed_and_started)

# The volunteer's own things
# A certificate's organisation is the one its hours were given to; its staff see it in the back office too.
rules.add_perm("volunteering.view_certificate", is_superuser | is_own | is_staff_of_organisation)
rules.add_perm("volunteering.issue_certificate", is_signed_in)  # object: the organisation; for oneself only
rules.add_perm("volunteering.change_volunteerprofile", is_own)
