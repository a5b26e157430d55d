"""Who may do what in volunteering, as named rules ``volunteering.<verb>_<model>``.

Each visibility rule has a twin QuerySet method for lists:
view_task ↔ Task.objects.visible_to · change_task ↔ Task.objects.manageable_by ·
view_shift ↔ Shift.objects.visible_to · change_shift / view_roster_shift ↔ Shift.objects.manageable_by ·
sign_up_shift ↔ Shift.objects.open_for_sign_up (for signed-in people) ·
view_signup ↔ SignUp.objects.visible_to · view_contact_signup ↔ SignUp.objects.contact_visible_to ·
view_certificate ↔ Certificate.objects.visible_to.
The services check the state again under their locks; a rule answers what a page may offer.
"""
import rules
from django.utils import timezone

from stakeholders.rules import is_staff_of_organisation

from .models import Certificate, Shift, SignUp, Task, VolunteerProfile


def _task_of(obj):
    if isinstance(obj, Task):
        return obj
    if isinstance(obj, Shift):
        return obj.task
    if isinstance(obj, SignUp):
        return obj.shift.task
    return None


@rules.predicate
def is_organisation_staff(user, obj):
    """Staff of the organisation the task, shift or sign-up belongs to."""
    task = _task_of(obj)
    return task is not None and is_staff_of_organisation(user, task.organisation)


@rules.predicate
def is_certificate_organisation_staff(user, certificate):
    """Staff of the organisation that a certificate's hours were given to (they see it in the back office too)."""
    return isinstance(certificate, Certificate) and is_staff_of_organisation(user, certificate.organisation)


@rules.predicate
def is_public_task(user, obj):
    task = _task_of(obj)
    return task is not None and task.status in Task.PUBLIC_STATUSES


@rules.predicate
def is_open_for_sign_up(user, shift):
    return isinstance(shift, Shift) and shift.is_open_for_sign_up(timezone.now())


@rules.predicate
def is_own(user, obj):
    if not user.is_authenticated:
        return False
    if isinstance(obj, (SignUp, Certificate, VolunteerProfile)):
        return obj.user_id == user.pk
    return False


@rules.predicate
def is_active_before_deadline(user, sign_up):
    return (isinstance(sign_up, SignUp) and sign_up.is_active
            and sign_up.shift.cancel_deadline > timezone.now())


@rules.predicate
def has_open_offer(user, sign_up):
    return isinstance(sign_up, SignUp) and sign_up.is_offer_open(timezone.now())


@rules.predicate
def is_confirmed_and_started(user, sign_up):
    return (isinstance(sign_up, SignUp) and sign_up.status == SignUp.Status.CONFIRMED
            and sign_up.shift.has_started(timezone.now()))


is_signed_in = rules.is_authenticated
is_superuser = rules.is_superuser
manages = is_superuser | is_organisation_staff

# Tasks: anyone sees published and cancelled ones; drafts and changes are for the organisation's staff.
rules.add_perm("volunteering.view_task", is_superuser | is_public_task | is_organisation_staff)
rules.add_perm("volunteering.add_task", is_superuser | is_staff_of_organisation)  # object: the organisation
rules.add_perm("volunteering.change_task", manages)

# Shifts
rules.add_perm("volunteering.view_shift", is_superuser | is_public_task | is_organisation_staff)
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
rules.add_perm("volunteering.view_certificate", is_superuser | is_own | is_certificate_organisation_staff)
rules.add_perm("volunteering.issue_certificate", is_signed_in)  # object: the organisation; for oneself only
rules.add_perm("volunteering.change_volunteerprofile", is_own)
