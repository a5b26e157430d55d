"""Staff pages: a shift's roster with the volunteers' contact data, attendance and hours, the CSV.

Contact data (email, phone) appears only here and in the CSV, and only for staff of the shift's
organisation (volunteering.view_roster_shift, listed through SignUp.objects.contact_visible_to).
"""
import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduction.errors import DomainError
from coproduction.exports import spreadsheet_safe
from coproduction.permissions import allowed

from .. import services
from ..forms import AttendanceForm
from ..models import BriefingRead, Shift, SignUp
from ..rules import is_confirmed_and_started


def person_name(user):
    if user is None:
        return _("deleted user")  # a confirmed place kept for its hours after the person deleted their account
    return user.get_full_name().strip() or user.display_name or str(user)


def roster_shift(request, pk):
    shift = get_object_or_404(Shift.objects.select_related("task__organisation"), pk=pk)
    if not allowed(request.user, "volunteering.view_roster_shift", shift):
        raise PermissionDenied
    return shift


def roster_records(request, shift):
    readers = BriefingRead.objects.filter(task_id=shift.task_id, user=OuterRef("user_id")).values("read_at")[:1]
    records = list(
        SignUp.objects.contact_visible_to(request.user).filter(shift=shift).active().roster()
        .annotate(briefing_read_at=Subquery(readers))
    )
    for record in records:
        record.shift = shift
    return records


def roster_context(request, shift, *, bound=None):
    """The roster; ``bound`` is a submitted attendance form to show again with its errors."""
    records = roster_records(request, shift)
    for record in records:
        record.name = person_name(record.user)
        # the staff part of mark_attendance_signup was asked for the whole shift; this is its state part
        if is_confirmed_and_started(request.user, record):
            record.attendance_form = bound if bound is not None and bound.sign_up_pk == record.pk else (
                AttendanceForm(sign_up=record))
        else:
            record.attendance_form = None
    return {
        "shift": shift, "task": shift.task, "records": records, "has_started": shift.has_started(timezone.now()),
        "has_briefing": shift.task.briefing_links.exists(),
    }


@login_required
def roster_view(request, pk):
    shift = roster_shift(request, pk)
    return render(request, "volunteering/roster.html", roster_context(request, shift))


@login_required
def roster_csv_view(request, pk):
    shift = roster_shift(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-shift-{shift.pk}.csv"'
    response.write("\ufeff")  # lets spreadsheet programs read the umlauts as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("Email"), _("Phone"), _("Status"), _("Waitlist ticket"), _("Offer expires"),
                     _("Attended"), _("Hours")])
    attended = {True: _("yes"), False: _("no"), None: ""}
    for record in roster_records(request, shift):
        expires = (formats.date_format(timezone.localtime(record.offer_expires_at), "SHORT_DATETIME_FORMAT")
                   if record.offer_expires_at else "")
        writer.writerow([spreadsheet_safe(value) for value in [
            person_name(record.user), getattr(record.user, "email", ""), getattr(record.user, "phone", ""),
            record.get_status_display(),
            record.waitlist_number, expires, attended[record.attended], record.hours,
        ]])
    return response


@require_POST
def attendance_view(request, pk):
    record = get_object_or_404(SignUp.objects.select_related("shift__task__organisation", "user"), pk=pk)
    shift = record.shift
    roster_url = reverse("volunteering:roster", args=[shift.pk])
    if not request.user.is_authenticated:
        return redirect_to_login(roster_url)
    if not allowed(request.user, "volunteering.view_roster_shift", shift):
        raise PermissionDenied
    form = AttendanceForm(request.POST, sign_up=record)
    form.sign_up_pk = record.pk
    if not allowed(request.user, "volunteering.mark_attendance_signup", record):
        messages.error(request, _("Attendance can be marked for people with a confirmed place once the shift has "
                                  "started."))
        return render(request, "volunteering/roster.html", roster_context(request, shift), status=403)
    if form.is_valid():
        try:
            marked = services.attendance_mark(sign_up=record, actor=request.user,
                                              attended=form.cleaned_data["attended"], hours=form.cleaned_data["hours"])
        except DomainError as error:
            error.add_to_form(form)
        else:
            name = person_name(record.user)
            if marked.attended:
                messages.success(request, _("Saved: %(name)s attended, %(hours)s hours.")
                                 % {"name": name, "hours": formats.localize(marked.hours)})
            else:
                messages.success(request, _("Saved: %(name)s did not attend.") % {"name": name})
            return redirect(f"{roster_url}#signup-{record.pk}")
    messages.error(request, _("The attendance was not saved. Please correct the marked fields."))
    return render(request, "volunteering/roster.html", roster_context(request, shift, bound=form), status=400)
