"""What the proposals' models share: how a contribution reached the platform, entered by staff for someone."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


USER = settings.AUTH_USER_MODEL


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
