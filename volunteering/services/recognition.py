"""Recognition: staff record attendance and hours; volunteers get verifiable certificates."""
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import activity_record
from stakeholders.staff import require_staff

from ..models import Certificate, SignUp
from ..notify import Verb
from .errors import VolunteeringError, require_signed_in

CENT = Decimal("0.01")


def _hours(value):
    try:
        hours = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise VolunteeringError(_("Enter the hours as a number, such as 2.5.")) from None
    if hours < 0:
        raise VolunteeringError(_("Hours cannot be negative."))
    if hours > SignUp.MAX_HOURS:
        raise VolunteeringError(_("That is more hours than one sign-up can record."))
    return hours


@transaction.atomic
def attendance_mark(*, sign_up, actor, attended, hours=None):
    """Staff record whether a confirmed person came, and their hours (default: the shift's length)."""
    sign_up = (
        SignUp.objects.select_for_update(of=("self",)).select_related("shift__task__organisation").get(pk=sign_up.pk)
    )
    shift = sign_up.shift
    require_staff(actor, shift.task.organisation)
    if sign_up.status != SignUp.Status.CONFIRMED:
        raise VolunteeringError(_("Only people with a confirmed place can be marked as attended."))
    now = timezone.now()
    if not shift.has_started(now):
        raise VolunteeringError(_("Attendance can be marked once the shift has started."))
    hours = None if hours in (None, "") else _hours(hours)
    if attended:
        hours = shift.default_hours.quantize(CENT) if hours is None else hours
    elif hours:
        raise VolunteeringError(_("Someone who did not attend has no hours to record."))
    else:
        hours = Decimal("0.00")
    sign_up.attended, sign_up.hours = bool(attended), hours
    sign_up.attendance_marked_at, sign_up.attendance_marked_by = now, actor
    sign_up.save(update_fields=["attended", "hours", "attendance_marked_at", "attendance_marked_by", "updated_at"])
    activity_record(actor=actor, verb=Verb.ATTENDANCE_MARKED, target=sign_up, organisation=shift.task.organisation,
                    attended=sign_up.attended, hours=str(hours))
    return sign_up


def _holder_name(user):
    # A certificate is shown to employers and schools: the full name if the person gave one.
    return user.get_full_name().strip() or user.display_name or user.email


@transaction.atomic
def certificate_issue(*, user, organisation, period_start, period_end):
    """Snapshots a person's attended hours and tasks with one organisation in a period, with a code.

    Asking again for the same period with unchanged hours returns the certificate already issued,
    so downloading twice does not create a second code.
    """
    require_signed_in(user)
    if period_start is None or period_end is None:
        raise VolunteeringError(_("Choose the period the certificate covers."))
    if period_end < period_start:
        raise VolunteeringError(_("The period must not end before it starts."))
    if period_start > timezone.localdate():
        raise VolunteeringError(_("The period cannot start in the future."))
    rows = (
        SignUp.objects.attended().filter(user=user, hours__gt=0).in_organisation(organisation)
        .in_period(period_start, period_end)
        .values("shift__task_id", "shift__task__title", "shift__task__kind")
        .annotate(shifts=Count("pk"), hours=Sum("hours")).order_by("shift__task__title", "shift__task_id")
    )
    tasks = [{"title": row["shift__task__title"], "kind": row["shift__task__kind"], "shifts": row["shifts"],
              "hours": str(row["hours"].quantize(CENT))} for row in rows]
    total = sum((Decimal(task["hours"]) for task in tasks), Decimal("0.00"))
    if total <= 0:
        raise VolunteeringError(
            _("There are no confirmed hours with %(organisation)s in this period.") % {"organisation": organisation}
        )
    snapshot = {"holder_name": _holder_name(user), "organisation_name": organisation.name, "hours": total}
    existing = Certificate.objects.filter(user=user, organisation=organisation, period_start=period_start,
                                          period_end=period_end, **snapshot)
    for certificate in existing:
        if certificate.tasks == tasks:
            return certificate
    for _attempt in range(5):  # a fresh random code; a clash with an existing one is retried
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    user=user, organisation=organisation, period_start=period_start, period_end=period_end,
                    tasks=tasks, **snapshot,
                )
            break
        except IntegrityError:
            continue
    else:
        raise VolunteeringError(_("The certificate could not be issued; please try again."))
    activity_record(actor=user, verb=Verb.CERTIFICATE_ISSUED, target=certificate, organisation=organisation)
    return certificate
