"""The activity log: who did what to which object, in which organisation.

Services write one row per notifiable change, in the same transaction as the change.
Notifications, digests and public timelines are derived from these rows.
"""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityQuerySet(models.QuerySet):
    def for_target(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)


class Activity(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="activities", verbose_name=_("actor"),
    )
    verb = models.CharField(_("what happened"), max_length=60, db_index=True)
    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="activities", verbose_name=_("organisation"),
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="activity_target")]

    def __str__(self):
        return f"{self.verb} #{self.target_id}"
