"""Who hears about tasks and shifts: the person whose sign-up it is, and those signed up for a shift.

Offers of a freed place, reminders, cancelled shifts and changed shift times are time-critical:
they are emailed right away whatever digest the person chose (unless they chose "only here").
"""
from django.utils.translation import gettext as _, gettext_noop

from notifications.models import Category
from notifications.registry import rule, visibility
from notifications.wording import actor_name, excerpt, exists, when

from .models import Shift, SignUp, Task


def _sign_up(sign_up):
    shift = sign_up.shift
    extra = {"starts_at": shift.starts_at.isoformat()}
    return shift.task.title, shift.task.get_absolute_url(), extra


def _offer(sign_up):
    from .views.offers import offer_path

    title, _url, extra = _sign_up(sign_up)
    return title, offer_path(sign_up), {**extra, "offer_expires_at": sign_up.offer_expires_at.isoformat()}


def _shift(shift):
    return shift.task.title, shift.task.get_absolute_url(), {"starts_at": shift.starts_at.isoformat()}


def _task(task):
    return task.title, task.get_absolute_url()


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


def sign_up_rule(verb, sentence, *, urgent=False, describe=_sign_up, message=None, detail_key=None):
    rule(verb, Category.VOLUNTEERING, recipients=_holder, describe=describe, urgent=urgent,
         message=message or _says(sentence, detail_key), include_actor=True)


sign_up_rule("signup.confirmed", gettext_noop("Your place for “%(title)s” on %(when)s is confirmed."))
sign_up_rule("signup.waitlisted", gettext_noop("You are on the waitlist for “%(title)s” on %(when)s."))
sign_up_rule("signup.offered",
             gettext_noop("A place for “%(title)s” on %(when)s is free for you. Confirm it by %(expires)s."),
             urgent=True, describe=_offer)
sign_up_rule("signup.offer_confirmed", gettext_noop("You took the place for “%(title)s” on %(when)s."))
sign_up_rule("signup.offer_expired", gettext_noop("The place offered to you for “%(title)s” on %(when)s has expired."))
sign_up_rule("signup.offer_withdrawn", gettext_noop("The place offered to you for “%(title)s” on %(when)s is taken "
                                                    "back; you keep your place on the waitlist."))
sign_up_rule("signup.waitlist_closed", gettext_noop("Sign-up for “%(title)s” on %(when)s has closed; "
                                                    "your place on the waitlist has ended."))
sign_up_rule("signup.cancelled", "", message=_cancelled)
sign_up_rule("signup.cancelled_by_organisation",
             gettext_noop("“%(title)s” on %(when)s is cancelled by the organisation."),
             urgent=True, detail_key="reason")
sign_up_rule("signup.reminder_due", gettext_noop("Reminder: “%(title)s” starts on %(when)s."), urgent=True)
rule("shift.changed", Category.VOLUNTEERING, recipients=_signed_up_for_shift, describe=_shift, urgent=True,
     message=_says(gettext_noop("The shift of “%(title)s” you signed up for has changed: "
                                "it now starts on %(when)s.")))
rule("task.changed", Category.VOLUNTEERING, recipients=_signed_up_for_task, describe=_task,
     message=_says(gettext_noop("%(name)s changed the task “%(title)s” you signed up for.")))


def _visible_tasks(ids):
    shown = Task.objects.filter(pk__in=ids).exclude(status=Task.Status.DRAFT).order_by()
    return dict.fromkeys(shown.values_list("pk", flat=True))


visibility(SignUp, exists(SignUp))
visibility(Shift, exists(Shift))
visibility(Task, _visible_tasks)
