"""The activity log and what is derived from it: notifications, preferences and sent emails.

Services write one Activity row per notifiable change, in the same transaction as the change;
in that transaction the rules of ``notifications.registry`` turn it into one Notification per
person concerned. Emails are sent later by Celery, one Delivery row per email, so a person's
digest for a period (or the email about one notification) is sent exactly once.
"""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from .channels import Channel
from .registry import category_choices


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
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("kind of target"))
    target_id = models.PositiveBigIntegerField(_("number of the target"))
    target = GenericForeignKey("target_type", "target_id")
    # What notifications show, as it was when it happened: the target's title and address.
    title = models.CharField(_("about"), max_length=200, blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # A broadcast whose notifications are still to be derived (see notifications.services.fan_out).
    fan_out_pending = models.BooleanField(_("still to be passed on"), default=False, editable=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="activity_target"),
            models.Index(fields=["created_at"], name="activity_fan_out_pending", condition=Q(fan_out_pending=True)),
        ]

    def __str__(self):
        return f"{self.verb} #{self.target_id}"


class Preference(models.Model):
    """How a person hears about one category; without a row, the category's default channel applies.

    Categories are declared by the apps (notifications.registry), so the field takes its choices
    from there: an app adding a category needs no migration here.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    category = models.CharField(_("about"), max_length=20, choices=category_choices)
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="preference_once_per_category"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="preference_channel_valid"),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.category} → {self.channel}"


class Delivery(models.Model):
    """One email: a person's digest for a period, or the email about one notification.

    The unique (recipient, kind, period) row is claimed before sending and marked sent right
    after, so a retried task, a second worker or a restart after a crash never sends it twice.
    """

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", _("Single email")
        DAILY = "daily", _("Daily summary")
        WEEKLY = "weekly", _("Weekly summary")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Nothing left to send")
        FAILED = "failed", pgettext_lazy("email delivery", "Failed")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries",
                                  verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The local date (daily), ISO week (weekly) or notification number (single email).
    period = models.CharField(_("period"), max_length=20)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    claimed_by = models.CharField(_("taken on by"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("taken on"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "period"], name="delivery_once_per_period"),
        ]
        indexes = [
            models.Index(fields=["status", "claimed_at"], name="delivery_unfinished",
                         condition=Q(status__in=["pending", "sending"])),
        ]

    def __str__(self):
        return f"{self.kind} {self.period} → {self.recipient_id}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def pending_email(self):
        """Waiting for an email: not only-in-the-app and not yet part of one."""
        return self.filter(delivery__isnull=True).exclude(channel=Channel.APP)


class Notification(models.Model):
    """One person is told about one activity, in the app and (by their channel) by email."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="notifications",
                                 verbose_name=_("activity"))
    organisation = models.ForeignKey("stakeholders.Organisation", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))
    category = models.CharField(_("about"), max_length=20, choices=category_choices)
    # Decided when it is created, and again whenever the person changes their preferences.
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices)
    is_urgent = models.BooleanField(_("time-critical"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    delivery = models.ForeignKey(Delivery, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="notifications", verbose_name=_("email"))

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "activity"], name="notification_once_per_activity"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="notification_channel_valid"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(fields=["channel", "created_at"], name="notification_pending_email",
                         condition=Q(delivery__isnull=True) & ~Q(channel="app")),
        ]

    def __str__(self):
        return f"{self.activity.verb} → {self.recipient_id}"


class Message(models.Model):
    """What staff wrote to a group of people (the volunteers of a shift, the followers of a proposal, …).

    Sent through the notifications (each person's channel and unsubscribe respected); ``reach`` is how many
    people it was addressed to when it was sent; ``key`` is the compose form's, so a second submit of the
    same form sends nothing more.
    """

    organisation = models.ForeignKey("stakeholders.Organisation", on_delete=models.CASCADE, related_name="messages",
                                     verbose_name=_("organisation"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("written by"))
    audience = models.CharField(_("to"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("addressed group"))
    audience_label = models.CharField(_("addressed to"), max_length=300)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("text"), max_length=5000)
    reach = models.PositiveIntegerField(_("people reached"), default=0)
    key = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message to a group")
        verbose_name_plural = _("messages to groups")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="message_rate")]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("notifications:message", args=[self.pk])
