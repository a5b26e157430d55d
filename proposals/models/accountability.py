"""What became of an accepted or funded proposal: its implementation, public progress updates and evaluations."""
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .common import USER


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
    update_count = models.PositiveIntegerField(_("progress updates"), default=0, editable=False)
    evaluation_count = models.PositiveIntegerField(_("evaluations"), default=0, editable=False)
    rating_sum = models.PositiveIntegerField(_("sum of the ratings"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

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

    implementation = models.ForeignKey(Implementation, on_delete=models.CASCADE, related_name="updates",
                                       verbose_name=_("implementation"))
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

    implementation = models.ForeignKey(Implementation, on_delete=models.CASCADE, related_name="evaluations",
                                       verbose_name=_("implementation"))
    # Without a person once they deleted their account: the rating stays in the average.
    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="evaluations",
                             verbose_name=_("person"))
    rating = models.PositiveSmallIntegerField(_("did it help?"),
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)])
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

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
