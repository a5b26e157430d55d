"""Who hears about tasks and shifts: the person whose sign-up it is, and those signed up for a shift.

Offers of a freed place, reminders, cancelled shifts and changed shift times are time-critical:
they are emailed right away whatever digest the person chose (unless they chose "only here").
"""
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy, gettext_noop

from notifications.channels import Channel
from notifications.notify import Category as Core, staff_of
from notifications.registry import category, event, rule, visibility
from notifications.wording import actor_name, excerpt, exists, when

from .models import Shift, SignUp, Task
from .offer_links import offer_path


def _task(task):
    return task.title, task.get_absolute_url()


def _shift(shift):
    return _task(shift.task)


def _shift_with_start(shift):
    title, url = _shift(shift)
    return title, url, {"starts_at": shift.starts_at.isoformat()}


def _sign_up(sign_up):
    return _shift_with_start(sign_up.shift)


def _offer(sign_up):
    title, _url, extra = _sign_up(sign_up)
    return title, offer_path(sign_up), {**extra, "offer_expires_at": sign_up.offer_expires_at.isoformat()}


def _attendance(sign_up):
    return _shift(sign_up.shift)


def _certificate(certificate):
    # Not the holder's name: the activity log keeps no personal data beyond the actor (see erasure).
    return certificate.organisation_name, reverse("volunteering:verify_code", args=[certificate.verification_code])


class Category:
    # What one signed up for oneself is confirmed right away.
    VOLUNTEERING = category("volunteering", gettext_lazy("My tasks and shifts"), default_channel=Channel.IMMEDIATE,
                            order=30)


class Verb:
    """What the activity log records about tasks, shifts, sign-ups and certificates."""

    TASK_PUBLISHED = event("task.published", describe=_task)
    TASK_CHANGED = event("task.changed", describe=_task)
    TASK_CANCELLED = event("task.cancelled", describe=_task)
    BRIEFING_READ = event("briefing.read", describe=_task)
    SHIFT_CREATED = event("shift.created", describe=_shift)
    SHIFT_CHANGED = event("shift.changed", describe=_shift_with_start)
    SHIFT_CAPACITY_CHANGED = event("shift.capacity_changed", describe=_shift)
    SHIFT_CANCELLED = event("shift.cancelled", describe=_shift)
    CONFIRMED = event("signup.confirmed", describe=_sign_up)
    WAITLISTED = event("signup.waitlisted", describe=_sign_up)
    OFFERED = event("signup.offered", describe=_offer)
    OFFER_CONFIRMED = event("signup.offer_confirmed", describe=_sign_up)
    OFFER_EXPIRED = event("signup.offer_expired", describe=_sign_up)
    OFFER_WITHDRAWN = event("signup.offer_withdrawn", describe=_sign_up)
    WAITLIST_CLOSED = event("signup.waitlist_closed", describe=_sign_up)
    CANCELLED = event("signup.cancelled", describe=_sign_up)
    CANCELLED_BY_ORGANISATION = event("signup.cancelled_by_organisation", describe=_sign_up)
    REMINDER_DUE = event("signup.reminder_due", describe=_sign_up)
    ATTENDANCE_MARKED = event("signup.attendance_marked", describe=_attendance)
    CERTIFICATE_ISSUED = event("certificate.issued", describe=_certificate)


def _holder(activity):
    return [activity.target.user_id]


def _signed_up_for_shift(activity):
    return SignUp.objects.filter(shift_id=activity.target_id, status__in=SignUp.ACTIVE_STATUSES).values_list(
        "user_id", flat=True)


def _signed_up_for_task(activity):
    return (SignUp.objects.filter(shift__task_id=activity.target_id, status__in=SignUp.ACTIVE_STATUSES)
            .filter(shift__in=Shift.objects.upcoming()).values_list("user_id", flat=True).distinct())


def _says(sentence, detail_key=None):
    def message(activity):
        values = {"title": activity.title, "when": when(activity.data.get("starts_at")),
                  "expires": when(activity.data.get("offer_expires_at")), "name": actor_name(activity)}
        return _(sentence) % values, excerpt(activity.data.get(detail_key, "")) if detail_key else ""
    return message


def _cancelled(activity):
    if activity.data.get("by_staff"):
        return _says(gettext_noop("%(name)s cancelled your sign-up for “%(title)s” on %(when)s."))(activity)
    return _says(gettext_noop("Your sign-up for “%(title)s” on %(when)s is cancelled."))(activity)


def sign_up_rule(verb, sentence, *, urgent=False, message=None, detail_key=None):
    rule(verb, Category.VOLUNTEERING, recipients=_holder, urgent=urgent,
         message=message or _says(sentence, detail_key), include_actor=True)


sign_up_rule(Verb.CONFIRMED, gettext_noop("Your place for “%(title)s” on %(when)s is confirmed."))
sign_up_rule(Verb.WAITLISTED, gettext_noop("You are on the waitlist for “%(title)s” on %(when)s."))
sign_up_rule(Verb.OFFERED,
             gettext_noop("A place for “%(title)s” on %(when)s is free for you. Confirm it by %(expires)s."),
             urgent=True)
sign_up_rule(Verb.OFFER_CONFIRMED, gettext_noop("You took the place for “%(title)s” on %(when)s."))
sign_up_rule(Verb.OFFER_EXPIRED, gettext_noop("The place offered to you for “%(title)s” on %(when)s has expired."))
sign_up_rule(Verb.OFFER_WITHDRAWN, gettext_noop("The place offered to you for “%(title)s” on %(when)s is taken "
                                                "back; you keep your place on the waitlist."))
sign_up_rule(Verb.WAITLIST_CLOSED, gettext_noop("Sign-up for “%(title)s” on %(when)s has closed; "
                                                "your place on the waitlist has ended."))
sign_up_rule(Verb.CANCELLED, "", message=_cancelled)
sign_up_rule(Verb.CANCELLED_BY_ORGANISATION,
             gettext_noop("“%(title)s” on %(when)s is cancelled by the organisation."),
             urgent=True, detail_key="reason")
sign_up_rule(Verb.REMINDER_DUE, gettext_noop("Reminder: “%(title)s” starts on %(when)s."), urgent=True)
rule(Verb.SHIFT_CHANGED, Category.VOLUNTEERING, recipients=_signed_up_for_shift, urgent=True,
     message=_says(gettext_noop("The shift of “%(title)s” you signed up for has changed: "
                                "it now starts on %(when)s.")))
rule(Verb.TASK_CHANGED, Category.VOLUNTEERING, recipients=_signed_up_for_task,
     message=_says(gettext_noop("%(name)s changed the task “%(title)s” you signed up for.")))


def _visible_tasks(ids):
    shown = Task.objects.filter(pk__in=ids).exclude(status=Task.Status.DRAFT).order_by()
    return dict.fromkeys(shown.values_list("pk", flat=True))


visibility(SignUp, exists(SignUp))
visibility(Shift, exists(Shift))
visibility(Task, _visible_tasks)


LATE_CANCELLATION = timedelta(hours=48)


def _staff_if_late(activity):
    """Staff of the task's organisation, when a volunteer cancels less than 48 hours before the start."""
    starts_at = activity.data.get("starts_at")
    if activity.data.get("by_staff") or not starts_at:
        return []
    if datetime.fromisoformat(starts_at) - (activity.created_at or timezone.now()) >= LATE_CANCELLATION:
        return []
    return staff_of(activity)


rule(Verb.CANCELLED, Core.STAFF, recipients=_staff_if_late, message=lambda activity: (
    _("%(name)s cancelled at short notice: “%(title)s” on %(when)s now has a free place.") % {
        "name": actor_name(activity), "title": activity.title, "when": when(activity.data.get("starts_at"))}, ""))
