"""When a task happens and how many places it has, with kept counters of who holds or awaits one."""
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import ExtractIsoWeekDay, TruncDate, TruncTime
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.formatting import short_datetime

from .tasks import Task

USER = settings.AUTH_USER_MODEL


def _now(now):
    return now or timezone.now()


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def period_bounds(field, start=None, end=None):
    """Filter arguments for ``field`` within the local dates [start, end], as plain datetime ranges.

    Comparing with the local midnights (rather than ``__date``) lets the database use its index.
    """
    bounds = {}
    if start is not None:
        bounds[f"{field}__gte"] = _local_midnight(start)
    if end is not None:
        bounds[f"{field}__lt"] = _local_midnight(end + timedelta(days=1))
    return bounds


class ShiftQuerySet(models.QuerySet):
    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)

    def upcoming(self, now=None):
        """Shifts not cancelled that have not ended yet (running shifts included)."""
        return self.not_cancelled().filter(ends_at__gt=_now(now))

    def past(self, now=None):
        return self.filter(ends_at__lte=_now(now))

    def open_for_sign_up(self, now=None):
        """Twin of the state part of volunteering.sign_up_shift: published, not cancelled, not closed."""
        return self.not_cancelled().filter(task__status=Task.Status.PUBLISHED, signup_closes_at__gt=_now(now))

    def with_free_places(self):
        return self.filter(confirmed_count__lt=F("capacity") - F("offered_count"))

    def short_of_people(self, now=None, within=timedelta(days=7)):
        """Published shifts starting in the next days that still have free places (an empty roster too)."""
        now = _now(now)
        return self.not_cancelled().with_free_places().filter(
            task__status=Task.Status.PUBLISHED, starts_at__gte=now, starts_at__lt=now + within)

    def full(self):
        return self.filter(confirmed_count__gte=F("capacity") - F("offered_count"))

    def in_period(self, start=None, end=None):
        """Shifts starting within the local dates [start, end]; either bound may be None."""
        return self.filter(**period_bounds("starts_at", start, end))

    def fitting_availability(self, user):
        """Shifts that start and end on one local day inside one of the person's availability slots."""
        from .people import AvailabilitySlot

        if not user.is_authenticated:
            return self.none()
        slots = AvailabilitySlot.objects.filter(
            profile__user=user, weekday=OuterRef("local_weekday"),
            start_time__lte=OuterRef("local_start"), end_time__gte=OuterRef("local_end"),
        )
        return self.annotate(
            local_weekday=ExtractIsoWeekDay("starts_at"), local_start=TruncTime("starts_at"),
            local_end=TruncTime("ends_at"), local_start_day=TruncDate("starts_at"), local_end_day=TruncDate("ends_at"),
        ).filter(local_start_day=F("local_end_day")).filter(Exists(slots))

    def visible_to(self, user):
        """Twin of volunteering.view_shift: shifts of the tasks the person may see."""
        return self.filter(task__in=Task.objects.visible_to(user))

    def manageable_by(self, user):
        """Twin of volunteering.change_shift and volunteering.view_roster_shift."""
        return self.filter(task__in=Task.objects.manageable_by(user))

    def needing_waitlist_sweep(self, now=None):
        """Shifts with an expired offer, or with people still waiting after sign-up closed."""
        from .signups import SignUp

        now = _now(now)
        expired = SignUp.objects.filter(shift=OuterRef("pk"), status=SignUp.Status.OFFERED, offer_expires_at__lte=now)
        return self.filter(Exists(expired) | Q(signup_closes_at__lte=now, waitlist_count__gt=0))

    def for_list(self):
        return self.select_related("task__organisation")


class Shift(models.Model):
    """One date of a task with a number of places and kept counters of who holds or awaits one.

    A place is held by a confirmed sign-up or by an open offer, so the database refuses
    ``confirmed_count + offered_count > capacity``. ``next_waitlist_number`` hands out waitlist
    tickets under the shift's row lock: ticket order is the order in which people got in.
    ``signup_closes_at`` is kept (computed on save from the task's hours) so lists filter on it.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("task"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"))
    confirmed_count = models.PositiveIntegerField(_("confirmed"), default=0, editable=False)
    offered_count = models.PositiveIntegerField(_("offered"), default=0, editable=False)
    waitlist_count = models.PositiveIntegerField(_("waiting"), default=0, editable=False)
    next_waitlist_number = models.PositiveIntegerField(_("next waitlist number"), default=1, editable=False)
    signup_closes_at = models.DateTimeField(_("sign-up closes"), editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     editable=False, verbose_name=_("cancelled by"))
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=0), name="shift_capacity_not_negative",
                violation_error_message=_("The number of places cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start",
                violation_error_message=_("The shift must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("capacity") - F("offered_count")),
                name="shift_places_within_capacity",
            ),
        ]
        indexes = [
            models.Index(fields=["task", "starts_at"], name="shift_task_start"),
            # A task's next shift (/tasks/, with_next_shift) from the index alone, without visiting rows.
            models.Index(fields=["task", "starts_at", "ends_at"], name="shift_task_upcoming",
                         condition=Q(cancelled_at__isnull=True)),
            models.Index(fields=["starts_at"], name="shift_start"),
            # upcoming() and past(): once most shifts lie in the past, "not ended yet" is a short range.
            models.Index(fields=["ends_at"], name="shift_end"),
            models.Index(fields=["signup_closes_at"], name="shift_waitlist_closing",
                         condition=Q(waitlist_count__gt=0)),
        ]

    def __str__(self):
        return f"{self.task} – {short_datetime(self.starts_at)}"

    def save(self, *args, **kwargs):
        self.signup_closes_at = self.compute_signup_closes_at()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "signup_closes_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "signup_closes_at"]
        super().save(*args, **kwargs)

    def compute_signup_closes_at(self):
        anchor = self.ends_at if self.task.is_flexible else self.starts_at
        return anchor - timedelta(hours=self.task.signup_closes_hours_before)

    @property
    def free_places(self):
        return max(self.capacity - self.confirmed_count - self.offered_count, 0)

    @property
    def is_full(self):
        return self.free_places == 0

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    def organisation_ids(self):
        """Whose staff manage this shift (see stakeholders.staff): its task's organisation."""
        return [self.task.organisation_id]

    @property
    def cancel_deadline(self):
        """Until when people may still cancel: the start, or for a flexible window its end."""
        return self.ends_at if self.task.is_flexible else self.starts_at

    def has_started(self, now=None):
        return self.starts_at <= _now(now)

    def is_over(self, now=None):
        return self.ends_at <= _now(now)

    def is_open_for_sign_up(self, now=None):
        return (not self.is_cancelled and self.task.status == Task.Status.PUBLISHED
                and self.signup_closes_at > _now(now))

    @property
    def default_hours(self):
        """Hours credited for attending: the task's estimate for flexible tasks, else the duration."""
        if self.task.is_flexible:
            return self.task.estimated_hours or Decimal("0")
        seconds = Decimal((self.ends_at - self.starts_at).total_seconds())
        return (seconds / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def ical_uid(self):
        """A stable calendar event id: the same shift never shows up twice in a calendar."""
        host = urlsplit(settings.SITE_URL).hostname or "koproduktion"
        return f"shift-{self.pk}@{host}"
