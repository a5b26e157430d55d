"""People, organisations and the roles that connect them."""
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person; logs in with their email address, shown to others only by display name."""

    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=80, help_text=_("Shown to others instead of your email address.")
    )
    bio = models.TextField(
        _("about me"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("Private: only you and platform operators see it.")
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.GERMAN
    )
    district = models.CharField(
        _("district I live in"), max_length=100, blank=True,
        help_text=_("Some participatory budgets are open only to the residents of certain districts."),
    )

    # Kept by notifications.services, so the header shows it without counting.
    unread_notifications = models.PositiveIntegerField(_("unread notifications"), default=0, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.display_name or _("Person #%(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        return reverse("stakeholders:person", args=[self.pk])


class OrganisationQuerySet(models.QuerySet):
    def where_staff(self, user):
        """Organisations in which ``user`` holds the approved staff role: the list twin of
        ``stakeholders.staff.holds_staff_role`` (operators are not staff of anything)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Membership.objects.approved().filter(user=user, role=Membership.Role.STAFF)
                           .values("organisation_id"))

    def with_pictures(self):
        """With the logo and cover that pages and cards show, in the same query."""
        return self.select_related("logo", "cover")


class Organisation(models.Model):
    """A provider of social services (Träger / Einrichtung) and its network of partners."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    purpose = models.TextField(
        _("purpose"),
        max_length=600,
        validators=[MaxLengthValidator(600)],
        help_text=_("Why the organisation exists, in a few sentences."),
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    district = models.CharField(_("district"), max_length=100, blank=True, db_index=True)
    city = models.CharField(_("city"), max_length=100, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "coproduction.Picture", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("logo"),
    )
    cover = models.ForeignKey(
        "coproduction.Picture", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("cover picture"),
    )
    partners = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("partner organisations")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # German full-text vector of name, purpose and description, kept by coproduction.search (PostgreSQL).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stakeholders:organisation", args=[self.slug])


class MembershipQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Membership.Status.APPROVED)

    def pending(self):
        return self.filter(status=Membership.Status.REQUESTED)

    def active(self):
        return self.filter(status__in=Membership.ACTIVE_STATUSES)

    def listed(self):
        """Approved memberships whose holder agreed to be shown on the organisation's page."""
        return self.approved().filter(is_listed=True)


class Membership(models.Model):
    """One role a person holds (or asked for) in one organisation."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff member")
        CLIENT = "client", _("Client")
        VOLUNTEER = "volunteer", _("Volunteer")
        CITIZEN = "citizen", _("Citizen")
        SUPPORTER = "supporter", _("Supporter")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    ACTIVE_STATUSES = [Status.REQUESTED, Status.APPROVED]
    REQUESTABLE_ROLES = [Role.CLIENT, Role.VOLUNTEER, Role.CITIZEN, Role.SUPPORTER]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    is_multiplier = models.BooleanField(
        _("multiplier"), default=False, help_text=_("A key person who carries the organisation's work into their networks.")
    )
    is_listed = models.BooleanField(
        _("listed publicly"), default=False, help_text=_("Shown on the organisation's page by display name and role.")
    )
    message = models.TextField(_("message"), blank=True, max_length=500, validators=[MaxLengthValidator(500)])
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(status__in=["requested", "approved"]),
                name="membership_one_active_per_role",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "role"], name="membership_org_status_role")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


def _invitation_token():
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """Staff invite someone by email to take a role; the emailed link is the key."""

    VALID_FOR = timedelta(days=14)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    token = models.CharField(_("invitation code"), max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} – {self.get_role_display()} – {self.organisation}"

    def get_absolute_url(self):
        return reverse("stakeholders:invitation", args=[self.token])

    @property
    def is_open(self):
        return self.accepted_at is None and self.expires_at > timezone.now()
