"""What needs doing: tasks (and meetings), the skills they need and the briefing to read first."""
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organisation

USER = settings.AUTH_USER_MODEL
# Only proposals the organisation said yes to are co-delivered through tasks.
LINKABLE_PROPOSAL_STATUSES = ["accepted", "in_delivery"]


class Skill(models.Model):
    """A platform-wide skill ("first aid", "Arabic", "cooking for many") tasks need and volunteers offer."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TaskQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Task.Status.PUBLISHED)

    def in_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def visible_to(self, user):
        """Twin of volunteering.view_task: published and cancelled tasks are public, drafts are staff's."""
        if user.is_authenticated and user.is_superuser:
            return self
        public = Q(status__in=Task.PUBLIC_STATUSES)
        if not user.is_authenticated:
            return self.filter(public)
        return self.filter(public | Q(organisation__in=Organisation.objects.where_staff(user)))

    def manageable_by(self, user):
        """Twin of volunteering.change_task: tasks of organisations where ``user`` is staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(organisation__in=Organisation.objects.where_staff(user))

    def _with_shift(self, shifts):
        return self.filter(Exists(shifts.filter(task=OuterRef("pk"))))

    def upcoming(self, now=None):
        """Tasks with at least one shift that has not ended and is not cancelled."""
        from .shifts import Shift

        return self._with_shift(Shift.objects.upcoming(now))

    def open_for_sign_up(self, now=None):
        """Published tasks with at least one shift that still takes sign-ups (places or waitlist)."""
        from .shifts import Shift

        return self.published()._with_shift(Shift.objects.open_for_sign_up(now))

    def with_free_places(self, now=None):
        """Tasks with at least one open shift that has a free place right now."""
        from .shifts import Shift

        return self.published()._with_shift(Shift.objects.open_for_sign_up(now).with_free_places())

    def in_period(self, start=None, end=None):
        """Tasks with a shift that is not cancelled and starts within [start, end] (local dates)."""
        from .shifts import Shift

        return self._with_shift(Shift.objects.not_cancelled().in_period(start, end))

    def needing_skill(self, skill):
        return self.filter(skills=skill)

    def fitting_availability(self, user, now=None):
        """Flexible tasks, and tasks with an upcoming shift inside the person's weekly availability.

        Which tasks have such a shift is asked once, when this is called: every upcoming shift is
        turned into local weekday and times for it, and a list page would otherwise do that twice,
        for its count and for its rows."""
        from .shifts import Shift

        fitting = Shift.objects.upcoming(now).fitting_availability(user).order_by().values_list("task_id", flat=True)
        return self.filter(Q(is_flexible=True) | Q(pk__in=set(fitting.distinct())))

    def with_next_shift(self, now=None):
        """Annotates ``next_starts_at``: the start of the earliest upcoming shift (None without one)."""
        from .shifts import Shift

        nxt = Shift.objects.upcoming(now).filter(task=OuterRef("pk")).order_by("starts_at").values("starts_at")[:1]
        return self.annotate(next_starts_at=models.Subquery(nxt))

    def by_next_shift(self, now=None):
        """Tasks with an upcoming shift, soonest next shift first, with ``next_starts_at`` annotated.

        The same rows as ``upcoming(now).with_next_shift(now)``; filtering on the annotation instead
        of a second EXISTS lets PostgreSQL probe each task's shifts once through their index rather
        than hash every upcoming shift first (bench_volunteering: half the database time of /tasks/).
        """
        return self.with_next_shift(now).filter(next_starts_at__isnull=False).order_by("next_starts_at", "pk")

    def for_list(self):
        """What a card of /tasks/ shows: the organisation's name and the skills (not the proposal)."""
        return self.select_related("organisation", "image").prefetch_related("skills")


def validate_briefing_url(value):
    """A page of this site ("/wiki/…") or an http(s) address elsewhere."""
    if value.startswith("/") and not value.startswith("//"):
        return
    URLValidator(schemes=["http", "https"])(value)


class Task(models.Model):
    """Something people do together for an organisation: a task, or a meeting with registration.

    Decisions: round tables are ``kind=meeting`` and use the same shifts and sign-ups as tasks.
    A flexible task (``is_flexible``) still has shifts, each being the window in which it can be
    done; ``estimated_hours`` is what attendance credits by default, and such windows neither
    count as overlapping other shifts nor close relative to their start, but to their end.
    ``district`` defaults to the organisation's district so /tasks/ can filter on one column.
    """

    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        MEETING = "meeting", _("Meeting with registration")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    PUBLIC_STATUSES = [Status.PUBLISHED, Status.CANCELLED]

    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="tasks", verbose_name=_("organisation")
    )
    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks",
        verbose_name=_("proposal delivered"),
        help_text=_("An accepted proposal of the organisation, or one in delivery."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TASK)
    title = models.CharField(_("title"), max_length=160)
    purpose = models.TextField(
        _("what it is for"), max_length=3000, validators=[MaxLengthValidator(3000)],
        help_text=_("Why this matters and what you will do, in plain language."),
    )
    image = models.ForeignKey(
        "coproduction.Picture", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("picture"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=100, blank=True)
    is_remote = models.BooleanField(_("remote"), default=False, help_text=_("Can be done from home."))
    skills = models.ManyToManyField(Skill, blank=True, related_name="tasks", verbose_name=_("skills needed"))
    effort_note = models.CharField(
        _("duration and effort"), max_length=200, blank=True,
        help_text=_("For example: two hours, light work, mostly sitting."),
    )
    childcare_offered = models.BooleanField(_("childcare offered"), default=False)
    expenses_reimbursed = models.BooleanField(_("expenses reimbursed"), default=False)
    accessible_venue = models.BooleanField(_("accessible venue"), default=False)
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("For example: German, English, Arabic.")
    )
    first_timer_friendly = models.BooleanField(_("suitable for first-timers"), default=False)
    is_flexible = models.BooleanField(
        _("flexible timing"), default=False,
        help_text=_("Done any time within each shift's window, with an estimated effort."),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    signup_closes_hours_before = models.PositiveSmallIntegerField(
        _("sign-up closes (hours before)"), default=2,
        help_text=_("Hours before a shift starts (for flexible tasks: before its window ends)."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    # German full-text vector of title, purpose and place, kept by coproduction.search (PostgreSQL).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["task", "meeting"]), name="task_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "cancelled"]), name="task_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(estimated_hours__isnull=True) | Q(estimated_hours__gte=0),
                name="task_estimated_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(is_flexible=False) | Q(estimated_hours__gt=0), name="task_flexible_has_estimate",
                violation_error_message=_("A flexible task needs an estimate of the hours it takes."),
            ),
            models.CheckConstraint(
                condition=Q(is_remote=True) | ~Q(location=""), name="task_has_place_or_remote",
                violation_error_message=_("Say where it takes place, or mark it as remote."),
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="task_org_status"),
            models.Index(fields=["status", "kind"], name="task_status_kind"),
            models.Index(fields=["status", "district"], name="task_status_district"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteering:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if not self.is_remote and not self.location.strip():
            errors["location"] = _("Say where it takes place, or mark it as remote.")
        if self.is_flexible and not (self.estimated_hours and self.estimated_hours > 0):
            errors["estimated_hours"] = _("A flexible task needs an estimate of the hours it takes.")
        if self.proposal_id and self._proposal_changed():
            proposal = self.proposal
            if proposal.organisation_id != self.organisation_id:
                errors["proposal"] = _("Only a proposal of the same organisation can be linked.")
            elif proposal.status not in LINKABLE_PROPOSAL_STATUSES:
                errors["proposal"] = _("Only an accepted proposal or one in delivery can be linked.")
        if errors:
            raise ValidationError(errors)

    def _proposal_changed(self):
        # A link made while the proposal was in delivery stays valid after the proposal completes.
        if self._state.adding or self.pk is None:
            return True
        stored = Task.objects.filter(pk=self.pk).values_list("proposal_id", "organisation_id").first()
        return stored != (self.proposal_id, self.organisation_id)

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED


class BriefingLink(models.Model):
    """A page to read before one's shift: a wiki page (followed through renames) or another address."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="briefing_links", verbose_name=_("task"))
    title = models.CharField(_("title"), max_length=160)
    url = models.CharField(
        _("address"), max_length=500, validators=[validate_briefing_url],
        help_text=_("A page of this site such as /wiki/…, or a full https:// address."),
    )
    page = models.ForeignKey(
        "wiki.Page", on_delete=models.SET_NULL, null=True, blank=True, related_name="briefing_links",
        verbose_name=_("wiki page"), editable=False,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("briefing link")
        verbose_name_plural = _("briefing links")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The address is what staff type; the page it names is kept so renames never break the link.
        from wiki.models import Page

        self.page = Page.objects.at_address(self.url)
        super().save(*args, **kwargs)

    @property
    def href(self):
        return self.page.get_absolute_url() if self.page_id else self.url


class BriefingRead(models.Model):
    """A volunteer confirms they have read the briefing of a task; staff see it on the roster."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="briefing_reads", verbose_name=_("task"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="briefing_reads", verbose_name=_("person")
    )
    read_at = models.DateTimeField(_("read"), auto_now_add=True)

    class Meta:
        verbose_name = _("briefing read")
        verbose_name_plural = _("briefings read")
        constraints = [models.UniqueConstraint(fields=["task", "user"], name="briefing_read_once")]

    def __str__(self):
        return f"{self.user} – {self.task}"
