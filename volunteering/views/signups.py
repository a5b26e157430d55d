"""What a person does with a shift: sign up (or join its waitlist), cancel, confirm an offered place.

Each view: signed in (else to the sign-in page), the rule (else 403 with the reason), one service
call (a refusal is a 400 with its message), then back to where the person came from.
"""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import services
from ..models import Shift, SignUp, Task
from .common import allowed, redirect_back, signed_in_post, task_url
from .tasks import render_task, visible_task

S = SignUp.Status


def when(moment):
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _task_page_of_shift(pk):
    task_id = Shift.objects.filter(pk=pk).values_list("task_id", flat=True).first()
    return task_url(task_id, pk) if task_id else reverse("volunteering:list")


def _my_commitments(pk):
    return reverse("volunteering:mine")


def sign_up_refusal(shift, now):
    """Why this shift takes no sign-up now, in the words the person needs."""
    if shift.is_cancelled or shift.task.is_cancelled:
        return _("This shift has been cancelled.")
    if shift.task.status != Task.Status.PUBLISHED:
        return _("This task is not open for sign-up.")
    if shift.is_over(now):
        return _("This shift is over.")
    return _("Sign-up for this shift closed on %(when)s.") % {"when": when(shift.signup_closes_at)}


def cancel_refusal(sign_up):
    if sign_up.status == S.CANCELLED:
        return _("This sign-up has already been cancelled.")
    if sign_up.status == S.EXPIRED:
        return _("This sign-up has already ended: the offer or the waitlist expired.")
    return _("This shift has already started; it can no longer be cancelled.")


def confirm_refusal(sign_up, user, now):
    if sign_up.user_id != user.pk:
        return _("This offer is meant for someone else.")
    if sign_up.status == S.CONFIRMED:
        return _("You have already confirmed this place.")
    if sign_up.status == S.EXPIRED or (sign_up.status == S.OFFERED and sign_up.offer_expires_at <= now):
        return _("This offer has expired; the place has gone to the next person on the waitlist. "
                 "You can sign up again to rejoin the waitlist.")
    return _("There is no open offer for you on this shift.")


def refuse(request, task, message, status):
    messages.error(request, message)
    return render_task(request, task, status=status)


def _sign_up_of(request, pk):
    """A sign-up the person may see (their own, or their organisation's); anything else is 404."""
    record = get_object_or_404(SignUp.objects.select_related("shift__task__organisation"), pk=pk)
    if not allowed(request.user, "view_signup", record):
        raise Http404
    return record


@signed_in_post(_task_page_of_shift)
def sign_up_view(request, pk):
    shift = get_object_or_404(Shift.objects.select_related("task__organisation", "task__proposal"), pk=pk)
    task = shift.task
    if not allowed(request.user, "view_shift", shift):
        raise Http404
    if not allowed(request.user, "sign_up_shift", shift):
        return refuse(request, task, sign_up_refusal(shift, timezone.now()), 403)
    try:
        record = services.shift_sign_up(shift=shift, user=request.user)
    except services.VolunteeringError as error:
        return refuse(request, task, str(error), 400)
    if record.status == S.CONFIRMED:
        messages.success(request, _("You are signed up for “%(task)s” on %(when)s. Thank you!")
                         % {"task": task.title, "when": when(shift.starts_at)})
    else:
        messages.success(request, _(
            "This shift is full, so you are on its waitlist at position %(position)d. If a place becomes free, "
            "it is offered to the first person waiting, who confirms it with one click."
        ) % {"position": record.shift.waitlist_count})
    return redirect_back(request, task_url(task.pk, shift.pk))


@signed_in_post(_my_commitments)
def cancel_view(request, pk):
    """Cancels a place, leaves the waitlist or declines an offer (staff may cancel for their volunteers)."""
    record = _sign_up_of(request, pk)
    task = record.shift.task
    if not allowed(request.user, "cancel_signup", record):
        return refuse(request, task, cancel_refusal(record), 403)
    was = record.status
    try:
        services.shift_cancel_sign_up(sign_up=record, actor=request.user)
    except services.VolunteeringError as error:
        return refuse(request, task, str(error), 400)
    if was == S.WAITLISTED:
        messages.success(request, _("You have left the waitlist."))
    elif was == S.OFFERED:
        messages.success(request, _("You have declined the place; it goes to the next person waiting."))
    else:
        messages.success(request, _("Your sign-up is cancelled. Thank you for letting us know in time."))
    return redirect_back(request, task_url(task.pk, record.shift_id))


@signed_in_post(_my_commitments)
def confirm_view(request, pk):
    record = _sign_up_of(request, pk)
    task = record.shift.task
    if not allowed(request.user, "confirm_signup", record):
        return refuse(request, task, confirm_refusal(record, request.user, timezone.now()), 403)
    try:
        services.offer_confirm(sign_up=record, user=request.user)
    except services.VolunteeringError as error:
        return refuse(request, task, str(error), 400)
    messages.success(request, _("Your place on “%(task)s” on %(when)s is confirmed. Thank you!")
                     % {"task": task.title, "when": when(record.shift.starts_at)})
    return redirect_back(request, task_url(task.pk, record.shift_id))


@signed_in_post(task_url)
def briefing_read_view(request, pk):
    """The volunteer confirms "I have read the briefing"; the roster shows it to staff."""
    task = visible_task(request, pk)
    try:
        services.briefing_confirm_read(task=task, user=request.user)
    except services.VolunteeringError as error:
        return refuse(request, task, str(error), 400)
    messages.success(request, _("Thank you: the staff can see that you have read the briefing."))
    return redirect_back(request, task_url(task.pk) + "#briefing-heading")
