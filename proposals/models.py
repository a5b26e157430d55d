"""Proposals on Bovaird's matrix, calls for ideas, what people do with proposals, and what became of them."""
import time

from django.conf import settings
from django.core.cache import cache
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.modes import Delivery, Planning, cell_for

USER = settings.AUTH_USER_MODEL

# The kept numbers of published proposals per cell of the matrix. Counting 100,000 rows per view is
# too slow for the matrix page and the list totals, so the counts are kept in the cache under a
# generation number; the services start a new generation after any commit that moves a proposal
# into or out of the matrix (forget_mode_counts). A reader that counted from rows older than that
# commit stores its numbers under the old generation, where nobody reads them again. Kept numbers
# are also counted anew after an hour, which bounds what a change outside the services (an
# organisation deleted with its proposals) leaves wrong, and lets old generations leave the cache.
MODE_COUNTS_GENERATION_KEY = "proposals:mode-counts:generation"
MODE_COUNTS_KEPT_FOR = 60 * 60


def kept_mode_counts(*, include_hidden=False):
    """{(planning, delivery): number} of published proposals, hidden ones only with ``include_hidden``."""
    generation = cache.get(MODE_COUNTS_GENERATION_KEY)
    if generation is None:
        # A new number, never an old one: counts kept under an evicted generation stay unread.
        cache.add(MODE_COUNTS_GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(MODE_COUNTS_GENERATION_KEY)
    key = f"proposals:mode-counts:{generation}"
    counts = cache.get(key)
    if counts is None:
        rows = (
            Proposal.objects.published().order_by().values("planning", "delivery", "is_hidden")
            .annotate(total=models.Count("id"))
        )
        counts = {(row["planning"], row["delivery"], row["is_hidden"]): row["total"] for row in rows}
        cache.set(key, counts, timeout=MODE_COUNTS_KEPT_FOR)
    by_mode = {}
    for (planning, delivery, hidden), number in counts.items():
        if include_hidden or not hidden:
            by_mode[(planning, delivery)] = by_mode.get((planning, delivery), 0) + number
    return by_mode


def kept_total(*, planning=None, delivery=None, include_hidden=False):
    """The kept number of published proposals in this mode; None for planning or delivery means any."""
    counts = kept_mode_counts(include_hidden=include_hidden)
    return sum(number for (cell_planning, cell_delivery), number in counts.items()
               if planning in (None, cell_planning) and delivery in (None, cell_delivery))


def forget_mode_counts():
    """Called by the services and the back office's deletions after any change that moves a proposal
    into or out of the matrix: once it commits, the counts are read anew."""
    transaction.on_commit(_next_mode_counts_generation)


def _next_mode_counts_generation():
    try:
        cache.incr(MODE_COUNTS_GENERATION_KEY)
    except ValueError:  # no generation kept: the next reader starts one
        pass


class Channel(models.TextChoices):
    """How a contribution reached the platform; anything but ONLINE was entered by staff."""

    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    PAPER = "paper", _("Paper form")
    DROP_IN = "drop_in", _("Drop-in")
    ROUND_TABLE = "round_table", _("Round table")


class AssistedMixin(models.Model):
    """Staff may enter a contribution for a participant who took part offline, with consent."""

    entered_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("entered by staff"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    consent_recorded = models.BooleanField(_("participant consented"), default=False)

    class Meta:
        abstract = True

    @property
    def is_assisted(self):
        return self.channel != Channel.ONLINE


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CallQuerySet(models.QuerySet):
    def open(self):
        return self.filter(deadline__gte=timezone.localdate())


class Call(models.Model):
    """A question an organisation puts to its stakeholders, open for ideas until a deadline."""

    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="calls", verbose_name=_("organisation")
    )
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("background"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for ideas")
        verbose_name_plural = _("calls for ideas")
        ordering = ["-deadline"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:call", args=[self.pk])

    @property
    def is_open(self):
        return self.deadline >= timezone.localdate()


class ProposalQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status__in=[Proposal.Status.DRAFT])

    def visible_to(self, user):
        """Twin of the rule proposals.view_proposal: drafts are private to their author."""
        if not user.is_authenticated:
            return self.published()
        if user.is_superuser:  # operators pass every permission check, drafts included
            return self
        return self.filter(~Q(status=Proposal.Status.DRAFT) | Q(author=user))

    def in_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def for_list(self):
        return self.select_related("organisation", "category", "author").only(
            "id", "title", "summary", "status", "planning", "delivery", "district", "support_count",
            "comment_count", "pledge_count", "published_at", "last_activity_at", "created_at", "is_hidden", "hidden_reason",
            "organisation__name", "organisation__slug", "category__name", "author__display_name",
        )


class Proposal(AssistedMixin):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        IN_DELIVERY = "in_delivery", _("In delivery")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    EDITABLE_STATUSES = [Status.DRAFT, Status.PUBLISHED]
    SUPPORTABLE_STATUSES = [Status.PUBLISHED, Status.UNDER_REVIEW, Status.ACCEPTED, Status.IN_DELIVERY]
    OPEN_FOR_PLEDGES = SUPPORTABLE_STATUSES

    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="proposals", verbose_name=_("organisation")
    )
    partner_organisations = models.ManyToManyField(
        "stakeholders.Organisation", blank=True, related_name="co_owned_proposals",
        verbose_name=_("co-owning partner organisations"),
    )
    call = models.ForeignKey(
        Call, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals", verbose_name=_("call for ideas")
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals", verbose_name=_("category")
    )
    author = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals", verbose_name=_("author")
    )
    title = models.CharField(_("title"), max_length=160)
    summary = models.CharField(
        _("summary in plain language"), max_length=300,
        help_text=_("Two or three short sentences that everyone understands."),
    )
    text = models.TextField(_("proposal"), max_length=10000, validators=[MaxLengthValidator(10000)])
    district = models.CharField(_("district"), max_length=100, blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (€)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    planning = models.CharField(_("who plans"), max_length=20, choices=Planning.choices)
    delivery = models.CharField(_("who delivers"), max_length=20, choices=Delivery.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    pledge_count = models.PositiveIntegerField(_("pledges"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_cost__gte=0), name="proposal_cost_not_negative"),
            models.CheckConstraint(condition=Q(planning__in=Planning.values), name="proposal_planning_valid"),
            models.CheckConstraint(condition=Q(delivery__in=Delivery.values), name="proposal_delivery_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "under_review", "accepted", "in_delivery",
                                        "completed", "rejected", "withdrawn"]),
                name="proposal_status_valid",
            ),
        ]
        # The public list shows everything but drafts, in one of four orders: one partial index
        # per order lets PostgreSQL read the first page straight from the index.
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="proposal_newest", condition=~Q(status="draft")),
            models.Index(fields=["-support_count", "-id"], name="proposal_most_supported", condition=~Q(status="draft")),
            models.Index(fields=["-comment_count", "-id"], name="proposal_most_discussed", condition=~Q(status="draft")),
            models.Index(
                fields=["-last_activity_at", "-id"], name="proposal_recently_active", condition=~Q(status="draft")
            ),
            models.Index(fields=["organisation", "status"], name="proposal_org_status"),
            models.Index(fields=["planning", "delivery", "status"], name="proposal_mode"),
            # A cell of the matrix, newest first, among what the API and the exports publish; the
            # district comes last so a district filter within a cell reads the index alone.
            models.Index(
                fields=["planning", "delivery", "-published_at", "-id", "district"],
                name="proposal_public_cell_district", condition=~Q(status="draft") & Q(is_hidden=False),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    @property
    def cell(self):
        return cell_for(self.planning, self.delivery)


class Support(AssistedMixin):
    """One person's support for a proposal; assisted supports are entered by staff."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("proposal"))
    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, null=True, blank=True, related_name="supports", verbose_name=_("person")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="support_once_per_person"),
            models.CheckConstraint(
                # Who entered it for the participant may later delete their own account; the consent stays.
                condition=Q(user__isnull=False) | Q(consent_recorded=True),
                name="support_has_person_or_consent",
            ),
        ]

    def __str__(self):
        return f"{self.user or _('participant (entered by staff)')} → {self.proposal_id}"


class Follow(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "proposal"], name="follow_once_per_person")]

    def __str__(self):
        return f"{self.user} → {self.proposal_id}"


class Comment(AssistedMixin):
    EDIT_WINDOW_MINUTES = 15

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    text = models.TextField(_("comment"), max_length=3000, validators=[MaxLengthValidator(3000)])
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["proposal", "parent", "created_at"], name="comment_thread")]

    def __str__(self):
        return self.text[:60]


class Pledge(AssistedMixin):
    """What someone would bring to a proposal: the resources side of co-production."""

    class Kind(models.TextChoices):
        TIME = "time", _("Time")
        SKILLS = "skills", _("Knowledge and skills")
        CONTACTS = "contacts", _("Contacts")
        ROOM = "room", _("Room or equipment")
        MONEY = "money", _("Money")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("proposal"))
    user = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="pledges", verbose_name=_("person")
    )
    kind = models.CharField(_("what you bring"), max_length=20, choices=Kind.choices)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    amount = models.DecimalField(
        _("amount (€)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0) | Q(hours__isnull=True), name="pledge_hours_not_negative"),
            models.CheckConstraint(condition=Q(amount__gte=0) | Q(amount__isnull=True), name="pledge_amount_not_negative"),
            models.CheckConstraint(condition=~Q(kind="time") | Q(hours__gt=0), name="pledge_time_has_hours"),
            models.CheckConstraint(condition=~Q(kind="money") | Q(amount__gt=0), name="pledge_money_has_amount"),
        ]
        indexes = [models.Index(fields=["proposal", "kind"], name="pledge_by_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.proposal_id}"


class StatusChange(models.Model):
    """One step in a proposal's public history, with the organisation's official response."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("proposal")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Proposal.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Proposal.Status.choices)
    actor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    response = models.TextField(_("official response"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class Report(models.Model):
    """Someone flags a proposal or a comment for moderation."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HIDDEN = "hidden", _("Content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    reporter = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("reported by")
    )
    reason = models.CharField(_("what is wrong"), max_length=500)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="report_queue")]

    def __str__(self):
        return self.reason[:60]


# --- what became of an accepted or funded proposal -------------------------------------------

class Implementation(models.Model):
    """What became of an accepted or funded proposal: status steps, progress and public updates."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")

    proposal = models.OneToOneField("Proposal", on_delete=models.CASCADE, related_name="implementation",
                                    verbose_name=_("proposal"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MaxValueValidator(100)])
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    update_count = models.PositiveIntegerField(default=0, editable=False)
    evaluation_count = models.PositiveIntegerField(_("evaluations"), default=0, editable=False)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="budget_progress_at_most_100"),
            models.CheckConstraint(condition=Q(status__in=["planned", "in_progress", "completed", "stopped"]),
                                   name="budget_implementation_status_valid"),
        ]

    def __str__(self):
        return str(self.proposal)

    @property
    def average_rating(self):
        return round(self.rating_sum / self.evaluation_count, 1) if self.evaluation_count else None


class ImplementationUpdate(models.Model):
    """A dated public update by staff: what was done, the new status and progress."""

    implementation = models.ForeignKey(Implementation, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("written by"))
    text = models.TextField(_("what happened"), max_length=3000, validators=[MaxLengthValidator(3000)])
    status = models.CharField(_("status"), max_length=20, choices=Implementation.Status.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), validators=[MaxValueValidator(100)])
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="budget_update_progress_valid")]

    def __str__(self):
        return f"{self.implementation_id}: {self.progress} %"


class Evaluation(models.Model):
    """After completion: did it help? 1–5 and a short comment, once per person."""

    implementation = models.ForeignKey(Implementation, on_delete=models.CASCADE, related_name="evaluations")
    # Without a person once they deleted their account: the rating stays in the average.
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="evaluations")
    rating = models.PositiveSmallIntegerField(_("did it help?"),
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["implementation", "user"], name="budget_evaluate_once"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="budget_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.rating} → {self.implementation_id}"
