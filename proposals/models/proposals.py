"""Proposals on Bovaird's matrix."""
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.modes import Delivery, Planning, cell_for

from .calls import Call, Category
from .common import USER, AssistedMixin, HiddenReason

# What a card's {% picture %} reads of the proposal's picture.
PICTURE_FIELDS = ("image__file", "image__width", "image__height", "image__renditions", "image__alt")


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
        return self.select_related("organisation", "category", "image").only(
            "id", "title", "summary", "status", "planning", "delivery", "district", "support_count",
            "comment_count", "pledge_count", "published_at", "last_activity_at", "created_at", "is_hidden", "hidden_reason",
            "organisation__name", "organisation__slug", "category__name",
            *PICTURE_FIELDS,
        )


class Proposal(HiddenReason, AssistedMixin):
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
    image = models.ForeignKey(
        "coproduction.Picture", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("picture"),
    )
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
            # An organisation's page: its most supported ideas.
            models.Index(fields=["organisation", "-support_count", "-id"], name="proposal_org_most_supported",
                         condition=~Q(status="draft") & Q(is_hidden=False)),
            # The back office's start page: the proposals of an organisation still waiting for an answer.
            models.Index(fields=["organisation", "published_at"], name="proposal_awaiting_answer",
                         condition=Q(status="published", is_hidden=False)),
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

    @property
    def status_state(self):
        """The site-wide state its status pill shows (``.status-<state>``)."""
        return STATUS_STATES[self.status]

    @property
    def text_after_summary(self):
        """The text without a copy of the summary at its start: the page shows the summary once, above it."""
        text, summary = self.text.strip(), " ".join(self.summary.split())
        if summary and " ".join(text.split()).startswith(summary):
            # Skip as many characters of the text as it takes to cover the summary's words.
            words, index = summary.split(), 0
            for word in words:
                index = text.index(word, index) + len(word)
            return text[index:].strip()
        return text


S = Proposal.Status
# Each status as one of the pill states every app shares (see the shell's .status-<state>).
STATUS_STATES = {
    S.DRAFT: "draft", S.PUBLISHED: "open", S.UNDER_REVIEW: "open", S.ACCEPTED: "accepted",
    S.IN_DELIVERY: "in-progress", S.COMPLETED: "completed", S.REJECTED: "rejected", S.WITHDRAWN: "closed",
}
