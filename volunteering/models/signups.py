"""Who signed up for a shift: confirmed, waiting with a ticket, offered a freed place, or ended."""
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organisation

from .shifts import Shift, _now, period_bounds
from .tasks import Task

USER = settings.AUTH_USER_MODEL


class SignUpQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=SignUp.ACTIVE_STATUSES)

    def holding(self):
        """Sign-ups that hold a place: confirmed, or offered and not yet moved on."""
        return self.filter(status__in=SignUp.HOLDING_STATUSES)

    def confirmed(self):
        return self.filter(status=SignUp.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=SignUp.Status.WAITLISTED)

    def offered(self):
        return self.filter(status=SignUp.Status.OFFERED)

    def of_user(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()

    def in_organisation(self, organisation):
        return self.filter(shift__task__organisation=organisation)

    def upcoming(self, now=None):
        return self.filter(shift__ends_at__gt=_now(now))

    def past(self, now=None):
        return self.filter(shift__ends_at__lte=_now(now))

    def attended(self):
        return self.filter(status=SignUp.Status.CONFIRMED, attended=True)

    def in_period(self, start=None, end=None):
        """Sign-ups for shifts starting within the local dates [start, end]."""
        return self.filter(**period_bounds("shift__starts_at", start, end))

    def visible_to(self, user):
        """Twin of volunteering.view_signup: one's own sign-ups, and those of one's organisations."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(user=user) | Q(shift__task__organisation__in=Organisation.objects.where_staff(user)))

    def contact_visible_to(self, user):
        """Twin of volunteering.view_contact_signup: volunteers' contact data is for that organisation's staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(shift__task__organisation__in=Organisation.objects.where_staff(user))

    def with_waitlist_position(self):
        """Annotates ``waitlist_position`` (1 = next in line) on waitlisted sign-ups, None on others."""
        ahead = (
            SignUp.objects.filter(shift=OuterRef("shift"), status=SignUp.Status.WAITLISTED,
                                  waitlist_number__lte=OuterRef("waitlist_number"))
            .order_by().values("shift").annotate(count=Count("pk")).values("count")
        )
        return self.annotate(waitlist_position=Case(
            When(status=SignUp.Status.WAITLISTED, then=Subquery(ahead)), default=None, output_field=IntegerField(),
        ))

    def clashing_with(self, shift):
        """Places held on shifts at the same time as ``shift``; flexible windows never clash."""
        return self.holding().filter(
            shift__task__is_flexible=False, shift__cancelled_at__isnull=True,
            shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at,
        )

    def reminder_due(self, now=None):
        """Confirmed sign-ups not yet reminded whose shift starts within the next 24 hours."""
        now = _now(now)
        return self.filter(
            status=SignUp.Status.CONFIRMED, reminded_at__isnull=True, shift__cancelled_at__isnull=True,
            shift__task__status=Task.Status.PUBLISHED, shift__starts_at__gt=now,
            shift__starts_at__lte=now + SignUp.REMINDER_BEFORE,
        )

    def commitments(self):
        """For "my commitments": with shift, task and organisation, soonest first."""
        return self.select_related("shift__task__organisation").order_by("shift__starts_at", "pk")

    def roster(self):
        """A shift's roster: confirmed, then offered, then the waitlist in ticket order."""
        order = Case(
            When(status=SignUp.Status.CONFIRMED, then=Value(0)), When(status=SignUp.Status.OFFERED, then=Value(1)),
            When(status=SignUp.Status.WAITLISTED, then=Value(2)), default=Value(3), output_field=IntegerField(),
        )
        return self.select_related("user").alias(roster_order=order).order_by(
            "roster_order", "waitlist_number", "created_at", "pk"
        )

    def hours_total(self):
        return self.attended().aggregate(total=Coalesce(Sum("hours"), Decimal("0")))["total"]


class SignUp(models.Model):
    """One person's sign-up for one shift: confirmed, waiting, offered a freed place, or ended.

    ``waitlist_number`` is the ticket drawn when joining the waitlist (kept after promotion);
    the lowest waiting ticket gets the next offer. An expired or cancelled sign-up stays as a
    record; signing up again creates a new row (one *active* row per person and shift).
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Place offered")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    ACTIVE_STATUSES = [Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED]
    HOLDING_STATUSES = [Status.CONFIRMED, Status.OFFERED]
    REMINDER_BEFORE = timedelta(hours=24)
    MAX_HOURS = Decimal("999.99")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="sign_ups", verbose_name=_("shift"))
    # Without a person once they deleted their account: attendance and hours stay in the statistics.
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="shift_sign_ups",
                             verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    waitlist_number = models.PositiveIntegerField(_("waitlist ticket"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("cancelled by"))
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    attendance_marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    attendance_marked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                             verbose_name=_("attendance marked by"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "user"], condition=Q(status__in=["confirmed", "waitlisted", "offered"]),
                name="signup_one_active_per_person",
            ),
            models.UniqueConstraint(fields=["shift", "waitlist_number"], name="signup_waitlist_ticket_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waitlisted", "offered", "cancelled", "expired"]),
                name="signup_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["waitlisted", "offered"]) | Q(waitlist_number__isnull=False),
                name="signup_waiting_has_ticket",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False), name="signup_offer_has_expiry"
            ),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0), name="signup_hours_not_negative"),
        ]
        indexes = [
            models.Index(fields=["shift", "status", "waitlist_number"], name="signup_shift_queue"),
            models.Index(fields=["user", "status"], name="signup_person_status"),
            models.Index(fields=["offer_expires_at"], name="signup_open_offers", condition=Q(status="offered")),
            models.Index(fields=["shift"], name="signup_unreminded",
                         condition=Q(status="confirmed", reminded_at__isnull=True)),
        ]

    def __str__(self):
        person = self.user if self.user_id else _("deleted user")
        return f"{person} – {self.shift} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    def organisation_ids(self):
        """Whose staff see and manage this sign-up (see stakeholders.staff): its task's organisation."""
        return [self.shift.task.organisation_id]

    def is_offer_open(self, now=None):
        return self.status == self.Status.OFFERED and self.offer_expires_at > _now(now)
