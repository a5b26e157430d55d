"""The volunteer's side: skills and weekly availability, a private calendar feed, certificates."""
import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organisation

from .tasks import Skill

USER = settings.AUTH_USER_MODEL
# Crockford's base32 without I, L, O, U: read aloud or typed from paper without mix-ups.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class VolunteerProfileQuerySet(models.QuerySet):
    def by_calendar_token(self, token):
        """The profile whose calendar feed this secret opens, or None (revoked or unknown)."""
        if not token:
            return None
        return self.select_related("user").filter(calendar_token=token).first()


class VolunteerProfile(models.Model):
    """What a person offers as a volunteer, created on first use.

    The calendar token is the secret in the private ICS feed address; rotating it replaces the
    address, revoking it (None) switches the feed off.
    """

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="volunteer_profile",
                                verbose_name=_("person"))
    skills = models.ManyToManyField(Skill, blank=True, related_name="volunteers", verbose_name=_("skills"))
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    calendar_token_created_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = VolunteerProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self):
        return str(self.user)


class AvailabilitySlot(models.Model):
    """A weekly time window in which the person is usually free (ISO weekday: 1 = Monday)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("Monday")
        TUESDAY = 2, _("Tuesday")
        WEDNESDAY = 3, _("Wednesday")
        THURSDAY = 4, _("Thursday")
        FRIDAY = 5, _("Friday")
        SATURDAY = 6, _("Saturday")
        SUNDAY = 7, _("Sunday")

    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=1, weekday__lte=7), name="availability_weekday_valid"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="availability_ends_after_start",
                violation_error_message=_("The time you are free must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["profile", "weekday"], name="availability_profile_day")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


def new_verification_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_verification_code(code):
    """Accepts what people type: lower case, spaces, missing dashes, O for 0, I/L for 1."""
    raw = re.sub(r"[\s-]", "", (code or "").upper()).translate(str.maketrans("OIL", "011"))
    if len(raw) != 12 or any(char not in CODE_ALPHABET for char in raw):
        return None
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class CertificateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Twin of volunteering.view_certificate: the holder, the organisation's staff, platform operators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(user=user) | Q(organisation__in=Organisation.objects.where_staff(user)))

    def by_code(self, code):
        """The certificate a verification code belongs to, or None; anyone may verify."""
        code = normalise_verification_code(code)
        return self.select_related("organisation").filter(verification_code=code).first() if code else None


class Certificate(models.Model):
    """A volunteering certificate (Ehrenamtsnachweis): a frozen snapshot that anyone can verify.

    Name, organisation, hours and tasks are copied at issue, so the certificate stays what was
    printed even if data changes later; the verification page shows only this snapshot.
    ``tasks`` is a list of {"title", "kind", "shifts", "hours"} with hours as decimal strings.
    """

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="volunteering_certificates",
                             verbose_name=_("person"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="volunteering_certificates",
                                     verbose_name=_("organisation"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    holder_name = models.CharField(_("issued to"), max_length=160)
    organisation_name = models.CharField(_("issued by"), max_length=150)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    tasks = models.JSONField(_("tasks"), default=list)
    verification_code = models.CharField(_("verification code"), max_length=14, unique=True,
                                         default=new_verification_code, editable=False)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteering certificate")
        verbose_name_plural = _("volunteering certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="certificate_period_valid"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="certificate_hours_not_negative"),
        ]
        indexes = [models.Index(fields=["user", "organisation", "period_start", "period_end"],
                                name="certificate_holder_period")]

    def __str__(self):
        return f"{self.holder_name} – {self.organisation_name} ({self.verification_code})"
