"""What volunteering contributes to the home page, to My area and to an organisation's page.

Home: tasks whose next shifts need people soon, and the volunteer hours of this year. For you: places
offered to the person that wait for their confirmation, and their next shifts. My area: a summary of
their commitments and certificates, leading to "My commitments". An organisation's page: the tasks that
need people. One query a panel at most.
"""
from datetime import date
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.formatting import short_datetime
from coproduction.pages import kept_figure, panel, signed_in

from .models import Certificate, Shift, SignUp, Task

HUB_TASKS = 4
HOME_TASKS = 4
# Shifts read to find HOME_TASKS different tasks among the soonest.
HOME_SHIFTS_READ = 20
FOR_YOU_SHIFTS = 3
ME_SHOWN = 5
SHIFT_FIELDS = ("id", "task_id", "starts_at", "ends_at", "capacity", "confirmed_count", "offered_count",
                "task__id", "task__title", "task__is_flexible", "task__is_remote", "task__location",
                "task__first_timer_friendly", "task__organisation__name")



def tasks_soon(request, obj, bound):
    """The next shift of each of the tasks that need people soonest: open for sign-up, with a free place."""
    shifts = (Shift.objects.open_for_sign_up().with_free_places().select_related("task__organisation")
              .only(*SHIFT_FIELDS).order_by("starts_at", "pk")[:HOME_SHIFTS_READ])
    soonest = {}
    for shift in shifts:
        soonest.setdefault(shift.task_id, shift)
    return {"shifts": list(soonest.values())[:HOME_TASKS]}


def _hours_this_year():
    start = date(timezone.localdate().year, 1, 1)
    return SignUp.objects.attended().in_period(start, None).aggregate(
        total=Coalesce(Sum("hours"), Decimal("0")))["total"]


def hours_figure(request, obj, bound):
    """Volunteer hours attended this year: one sum over the sign-ups (no counter is kept)."""
    year = timezone.localdate().year
    hours = kept_figure(f"volunteering-hours-{year}", _hours_this_year)
    return {"number": int(hours), "label": _("volunteer hours in %(year)s") % {"year": year}}


def waiting_for_me(request):
    """The person's open offers and confirmed upcoming shifts, in one query for both panels: offers
    first, then the soonest shifts."""
    if "_volunteering_waiting" not in request.__dict__:
        request._volunteering_waiting = _waiting(signed_in(request))
    return request._volunteering_waiting


def _waiting(user):
    if user is None:
        return None
    now = timezone.now()
    offers_first = Case(When(status=SignUp.Status.OFFERED, then=Value(0)), default=Value(1), output_field=IntegerField())
    rows = list(
        SignUp.objects.of_user(user).upcoming(now)
        .filter(Q(status=SignUp.Status.OFFERED, offer_expires_at__gt=now) | Q(status=SignUp.Status.CONFIRMED))
        .filter(shift__cancelled_at__isnull=True)
        .select_related("shift__task__organisation")
        .only("id", "status", "offer_expires_at", "shift_id", *[f"shift__{name}" for name in SHIFT_FIELDS])
        .alias(offers_first=offers_first).order_by("offers_first", "shift__starts_at", "pk")[:FOR_YOU_SHIFTS * 3]
    )
    return {"offers": [row for row in rows if row.status == SignUp.Status.OFFERED],
            "upcoming": [row for row in rows if row.status == SignUp.Status.CONFIRMED][:FOR_YOU_SHIFTS]}


def offers_for_me(request, obj, bound):
    """Places offered to the person from a waitlist; hidden while there is none."""
    context = waiting_for_me(request)
    return context if context and context["offers"] else None


def shifts_for_me(request, obj, bound):
    return waiting_for_me(request)


def my_commitments(request, obj, bound):
    """The next shifts (places held or awaited) and the certificates; the rest is on "My commitments"."""
    user = signed_in(request)
    if user is None:
        return None
    now = timezone.now()
    upcoming = list(SignUp.objects.of_user(user).active().upcoming(now).filter(shift__cancelled_at__isnull=True)
                    .select_related("shift__task__organisation")
                    .only("id", "status", "offer_expires_at", "shift_id", *[f"shift__{name}" for name in SHIFT_FIELDS])
                    .order_by("shift__starts_at", "pk")[:ME_SHOWN])
    certificates = list(Certificate.objects.filter(user=user)
                        .only("id", "organisation_name", "period_start", "period_end", "hours", "verification_code")
                        [:ME_SHOWN])
    return {"upcoming": upcoming, "certificates": certificates}


panel("home", "tasks", template="volunteering/_home_tasks.html", context=tasks_soon, order=40)
panel("home-figures", "hours", template="coproduction/_stat.html", context=hours_figure, order=20)
panel("for-you", "offers", template="volunteering/_for_you_offers.html", context=offers_for_me, order=20)
panel("for-you", "shifts", template="volunteering/_for_you_shifts.html", context=shifts_for_me, order=30)
panel("me", "commitments", template="volunteering/_me_commitments.html", context=my_commitments, order=70)


def organisation_tasks(request, organisation, bound):
    """Published tasks with a free place in an upcoming shift, soonest first: one query, nothing
    shown when no task needs anybody."""
    tasks = list(Task.objects.with_free_places().in_organisation(organisation).by_next_shift()
                 .only("id", "title", "kind", "is_remote", "district", "first_timer_friendly")[:HUB_TASKS])
    if not tasks:
        return None
    for task in tasks:
        task.next_shift = short_datetime(task.next_starts_at)
    return {"organisation": organisation, "tasks": tasks}


panel("organisation", "tasks", template="volunteering/_organisation_tasks.html", context=organisation_tasks,
      order=300)
