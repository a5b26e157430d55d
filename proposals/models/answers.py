"""How quickly an organisation answers proposals, kept per organisation for its public page."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerTime(models.Model):
    """The median time from a proposal's publication to its first official answer, over the answers of
    the last twelve months; kept by proposals.services.answers, never counted on a page."""

    organisation = models.OneToOneField("stakeholders.Organisation", on_delete=models.CASCADE,
                                        related_name="answer_time", verbose_name=_("organisation"))
    median_days = models.FloatField(_("median days to the first answer"), null=True, blank=True)
    answer_count = models.PositiveIntegerField(_("answers counted"), default=0)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("answer time")
        verbose_name_plural = _("answer times")

    def __str__(self):
        return f"{self.organisation_id}: {self.median_days} ({self.answer_count})"
