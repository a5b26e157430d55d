"""What people do with proposals: support, follow, comment, pledge, report; and the status history."""
from datetime import timedelta

from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .common import USER, AssistedMixin, HiddenReason
from .proposals import Proposal


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
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows", verbose_name=_("proposal"))
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follows", verbose_name=_("person"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "proposal"], name="follow_once_per_person")]

    def __str__(self):
        return f"{self.user} → {self.proposal_id}"


class Comment(HiddenReason, AssistedMixin):
    EDIT_WINDOW_MINUTES = 15

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments", verbose_name=_("proposal"))
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments",
                               verbose_name=_("author"))
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

    def editable_by(self, user, now=None):
        """Whether ``user`` may still edit this comment: their own, written by themselves, not hidden,
        within the edit window (the conditions services.comment_edit enforces, each with its message)."""
        now = now or timezone.now()
        return (user.is_authenticated and self.author_id == user.pk and self.entered_by_id is None
                and not self.is_hidden and now - self.created_at <= timedelta(minutes=self.EDIT_WINDOW_MINUTES))


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

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reports", verbose_name=_("proposal"))
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports",
                                verbose_name=_("comment"))
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
