"""Participatory budgets (Bürgerhaushalt): processes, their proposals, ballots and results.

A process runs through phases by date: announced → collecting proposals → review → voting →
results → implementation. Proposals are proposals of the proposals app with a cost estimate;
staff mark each feasible (with a final cost) or not (with a public reason). Each eligible person
fills one ballot: feasible proposals whose costs fit the total budget (a knapsack ballot), and
confirms it. Results follow the documented rule in ``budgets.results``. What became of the
funded proposals is recorded with the proposals (``proposals.models.Implementation``).
"""
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 12, "decimal_places": 2}


class Phase(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    COLLECTING = "collecting", _("Collecting proposals")
    REVIEW = "review", _("Review")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    IMPLEMENTATION = "implementation", _("Implementation")


PHASE_ORDER = list(Phase.values)
# What people can do in each phase, in plain words.
PHASE_HELP = {
    Phase.ANNOUNCED: _("Soon you can send in proposals. Follow the budget to hear when it starts."),
    Phase.COLLECTING: _("Send in your proposal and say roughly what it would cost. Everyone can read and "
                        "discuss the proposals."),
    Phase.REVIEW: _("Staff check every proposal: can it be done, and what would it really cost? Each answer "
                    "is published with its reason."),
    Phase.VOTING: _("Choose the proposals you want, as many as fit into the budget, and confirm your vote."),
    Phase.RESULTS: _("The votes are counted. See which proposals are funded and how many people voted."),
    Phase.IMPLEMENTATION: _("The funded proposals are being put into practice. Follow their progress here."),
}
# The date field at which each phase (after the first) starts.
PHASE_STARTS = {
    Phase.COLLECTING: "collecting_starts",
    Phase.REVIEW: "review_starts",
    Phase.VOTING: "voting_starts",
    Phase.RESULTS: "results_starts",
    Phase.IMPLEMENTATION: "implementation_starts",
}


class ProcessQuerySet(models.QuerySet):
    def running_first(self):
        """Voting first, then collecting, review, results, implementation, announced; newest first within."""
        order = models.Case(*[models.When(phase=phase, then=rank) for rank, phase in enumerate(
            [Phase.VOTING, Phase.COLLECTING, Phase.REVIEW, Phase.RESULTS, Phase.IMPLEMENTATION, Phase.ANNOUNCED])])
        return self.annotate(phase_rank=order).order_by("phase_rank", "-voting_starts", "-pk")


class Process(models.Model):
    class Eligibility(models.TextChoices):
        VERIFIED = "verified", _("Everyone with a verified account")
        MEMBERS = "members", _("Members of the organisations running it")
        RESIDENTS = "residents", _("People who live in its districts")

    organisation = models.ForeignKey("stakeholders.Organisation", on_delete=models.CASCADE,
                                     related_name="budget_processes", verbose_name=_("organisation"))
    partner_organisations = models.ManyToManyField(
        "stakeholders.Organisation", blank=True, related_name="shared_budget_processes",
        verbose_name=_("organisations running it together"),
    )
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=5000, validators=[MaxLengthValidator(5000)])
    total_amount = models.DecimalField(_("total budget (€)"), **MONEY,
                                       validators=[MinValueValidator(Decimal("1"))])
    eligibility = models.CharField(_("who may vote"), max_length=20, choices=Eligibility.choices,
                                   default=Eligibility.VERIFIED)
    districts = models.CharField(
        _("districts"), max_length=500, blank=True,
        help_text=_("Comma-separated; people choose one when proposing, and when voting if only residents may vote."),
    )
    collecting_starts = models.DateTimeField(_("collecting proposals starts"))
    review_starts = models.DateTimeField(_("review starts"))
    voting_starts = models.DateTimeField(_("voting starts"))
    results_starts = models.DateTimeField(_("results are published"))
    implementation_starts = models.DateTimeField(_("implementation starts"))
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.ANNOUNCED)
    phase_changed_at = models.DateTimeField(_("phase changed"), default=timezone.now)
    # Kept by the services.
    proposal_count = models.PositiveIntegerField(_("proposals"), default=0, editable=False)
    ballot_count = models.PositiveIntegerField(_("confirmed ballots"), default=0, editable=False)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True, editable=False)
    funded_total = models.DecimalField(_("funded in total (€)"), **MONEY, default=Decimal("0"), editable=False)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # German full-text vector of title and description, kept by coproduction.search (PostgreSQL).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("participatory budget")
        verbose_name_plural = _("participatory budgets")
        ordering = ["-voting_starts", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total_amount__gt=0), name="budget_total_positive"),
            models.CheckConstraint(
                condition=Q(collecting_starts__lte=F("review_starts")) & Q(review_starts__lte=F("voting_starts"))
                & Q(voting_starts__lt=F("results_starts")) & Q(results_starts__lte=F("implementation_starts")),
                name="budget_phases_in_order",
            ),
            models.CheckConstraint(condition=Q(phase__in=PHASE_ORDER), name="budget_phase_valid"),
            models.CheckConstraint(condition=Q(eligibility__in=["verified", "members", "residents"]),
                                   name="budget_eligibility_valid"),
        ]
        indexes = [models.Index(fields=["phase"], name="budget_process_phase")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("budgets:detail", args=[self.slug])

    @property
    def district_list(self):
        return [part.strip() for part in self.districts.split(",") if part.strip()]

    def phase_due(self, now=None):
        """The phase the dates say it is in at ``now``."""
        now = now or timezone.now()
        due = Phase.ANNOUNCED
        for phase, field in PHASE_STARTS.items():
            if getattr(self, field) <= now:
                due = phase
        return due

    def starts_of(self, phase):
        field = PHASE_STARTS.get(phase)
        return getattr(self, field) if field else None

    @property
    def phase_help(self):
        return PHASE_HELP[self.phase]

    def organisation_ids(self):
        return [self.organisation_id, *self.partner_organisations.values_list("pk", flat=True)]


class EntryQuerySet(models.QuerySet):
    # What an entry card or a results row needs of its proposal.
    CARD_FIELDS = [
        "id", "process_id", "proposal_id", "feasibility", "feasibility_reason", "final_cost", "vote_count",
        "is_funded", "result_rank", "created_at", "proposal__id", "proposal__title", "proposal__summary",
        "proposal__estimated_cost", "proposal__district", "proposal__status", "proposal__is_hidden",
        "proposal__hidden_reason",
    ]

    def for_cards(self):
        return self.select_related("proposal").only(*self.CARD_FIELDS)

    def results_of(self, process):
        """The feasible proposals of ``process`` in result order, with the stored votes, place and funded flag."""
        return (self.filter(process=process, feasibility=Entry.Feasibility.FEASIBLE).for_cards()
                .order_by(models.F("result_rank").asc(nulls_last=True), "pk"))

    def on_ballot(self):
        """Feasible proposals people can vote for: not hidden by moderation, not withdrawn or rejected."""
        return self.filter(feasibility=Entry.Feasibility.FEASIBLE, proposal__is_hidden=False).exclude(
            proposal__status__in=["withdrawn", "rejected"])


class Entry(models.Model):
    """A proposal taking part in a process: its review, its cost, its votes and whether it is funded."""

    class Feasibility(models.TextChoices):
        PENDING = "pending", _("Not reviewed yet")
        FEASIBLE = "feasible", _("Feasible")
        INFEASIBLE = "infeasible", _("Not feasible")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="entries",
                                verbose_name=_("participatory budget"))
    proposal = models.OneToOneField("proposals.Proposal", on_delete=models.CASCADE, related_name="budget_entry",
                                    verbose_name=_("proposal"))
    feasibility = models.CharField(_("feasibility"), max_length=20, choices=Feasibility.choices,
                                   default=Feasibility.PENDING)
    feasibility_reason = models.TextField(_("public reason"), blank=True, max_length=2000,
                                          validators=[MaxLengthValidator(2000)])
    final_cost = models.DecimalField(_("final cost (€)"), **MONEY, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0.01"))])
    reviewed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    is_funded = models.BooleanField(_("funded"), default=False, editable=False)
    result_rank = models.PositiveIntegerField(_("place in the results"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget proposal")
        verbose_name_plural = _("budget proposals")
        ordering = ["process", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(feasibility="feasible") | Q(final_cost__gt=0), name="budget_feasible_has_cost"),
            models.CheckConstraint(
                condition=~Q(feasibility="infeasible") | ~Q(feasibility_reason=""), name="budget_infeasible_has_reason"),
            models.CheckConstraint(condition=Q(feasibility__in=["pending", "feasible", "infeasible"]),
                                   name="budget_feasibility_valid"),
        ]
        indexes = [
            models.Index(fields=["process", "feasibility", "-vote_count"], name="budget_entry_votes"),
            models.Index(fields=["process", "result_rank"], name="budget_entry_rank"),
        ]

    def __str__(self):
        return str(self.proposal)


class Ballot(models.Model):
    """One person's ballot in one process; picks can change until it is confirmed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not confirmed yet")
        CONFIRMED = "confirmed", _("Confirmed")

    # Indexed by the unique (process, user) constraint.
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ballots", db_index=False)
    # Without a person once its voter deleted their account: a confirmed ballot stays counted.
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="ballots")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The budget when the ballot was opened: the database refuses any total above it.
    budget = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY, default=Decimal("0"))
    district = models.CharField(_("district I live in"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="budget_one_ballot_per_person"),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=F("budget")),
                                   name="budget_ballot_within_budget"),
            models.CheckConstraint(condition=Q(status="draft") | Q(confirmed_at__isnull=False),
                                   name="budget_confirmed_ballot_dated"),
        ]
        indexes = [models.Index(fields=["process", "status"], name="budget_ballot_status")]

    def __str__(self):
        return f"{self.process_id}/{self.user_id}"

    @property
    def remaining(self):
        return self.budget - self.total

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


class Pick(models.Model):
    """A proposal chosen on a ballot, at the cost it had then."""

    # Indexed by the unique (ballot, entry) constraint.
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="picks", db_index=False)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="picks")
    cost = models.DecimalField(**MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "entry"], name="budget_pick_once")]

    def __str__(self):
        return f"{self.ballot_id} → {self.entry_id}"


class ProcessFollow(models.Model):
    """Someone asked to hear about the process's phases and results."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="budget_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["process", "user"], name="budget_follow_once")]

    def __str__(self):
        return f"{self.user_id} → {self.process_id}"
