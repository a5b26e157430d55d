"""What a person does with a shift: sign up (or join its waitlist), cancel, confirm an offered place.

Each view: signed in (else to the sign-in page), the rule (else 403 with the reason), one service
call (a refusal is a 400 with its message), then back to where the person came from.
"""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduction.errors import DomainError
from coproduction.formatting import short_datetime
from coproduction.permissions import allowed
from coproduction.web import redirect_back, signed_in_post

from .. import services
from ..models import Shift, SignUp
from .common import task_url
from .tasks import render_task, visible_task

S = SignUp.Status


def _task_page_of_shift(pk):
    task_id = Shift.objects.filter(pk=pk).values_list("task_id", flat=True).first()
    return task_url(task_id, pk) if task_id else reverse("volunteering:list")


def _task_page(pk):
    return task_url(pk)


def _my_commitments(pk):
    return reverse("volunteering:mine")


def refuse(request, task, message, status):
    messages.error(request, message)
    return render_task(request, task, status=status)


def _refuse_by_rule(request, task, message):
    # The rule and the service's check agree; a rule refusing for another reason speaks plainly.
    return refuse(request, task, message or _("You may not do this."), 403)


def _sign_up_of(request, pk):
    """A sign-up the person may see (their own, or their organisation's); anything else is 404."""
    record = get_object_or_404(SignUp.objects.select_related("shift__task__organisation"), pk=pk)
    if not allowed(request.user, "volunteering.view_signup", record):
        raise Http404
    return record


@signed_in_post(_task_page_of_shift)
def sign_up_view(request, pk):
    shift = get_object_or_404(Shift.objects.select_related("task__organisation", "task__proposal"), pk=pk)
    task = shift.task
    if not allowed(request.user, "volunteering.view_shift", shift):
        raise Http404
    if not allowed(request.user, "volunteering.sign_up_shift", shift):
        return _refuse_by_rule(request, task, services.refusal(services.check_sign_up_open, shift, timezone.now()))
    try:
        record = services.shift_sign_up(shift=shift, user=request.user)
    except DomainError as error:
        return refuse(request, task, error.message, 400)
    if record.status == S.CONFIRMED:
        messages.success(request, _("You are signed up for “%(task)s” on %(when)s. Thank you!")
                         % {"task": task.title, "when": short_datetime(shift.starts_at)})
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
    if not allowed(request.user, "volunteering.cancel_signup", record):
        return _refuse_by_rule(request, task, services.refusal(services.check_cancel, record, timezone.now()))
    was = record.status
    try:
        services.shift_cancel_sign_up(sign_up=record, actor=request.user)
    except DomainError as error:
        return refuse(request, task, error.message, 400)
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
    if not allowed(request.user, "volunteering.confirm_signup", record):
        return _refuse_by_rule(request, task,
                               services.refusal(services.check_offer_confirm, record, request.user, timezone.now()))
    try:
        services.offer_confirm(sign_up=record, user=request.user)
    except DomainError as error:
        return refuse(request, task, error.message, 400)
    messages.success(request, _("Your place on “%(task)s” on %(when)s is confirmed. Thank you!")
                     % {"task": task.title, "when": short_datetime(record.shift.starts_at)})
    return redirect_back(request, task_url(task.pk, record.shift_id))


@signed_in_post(_task_page)
def briefing_read_view(request, pk):
    """The volunteer confirms "I have read the briefing"; the roster shows it to staff."""
    task = visible_task(request, pk)
    try:
        services.briefing_confirm_read(task=task, user=request.user)
    except DomainError as error:
        return refuse(request, task, error.message, 400)
    messages.success(request, _("Thank you: the staff can see that you have read the briefing."))
    return redirect_back(request, task_url(task.pk) + "#briefing-heading")
