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


def _hidden_prefixes():
    from django.utils import translation

    words = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            words.add(str(_("Hidden by moderation")))
            words.add(translation.pgettext("moderation", "Hidden"))
    return sorted(words, key=len, reverse=True)


class HiddenReason:
    """Moderation hides a proposal or comment with a public reason (``hidden_reason``) shown in its place."""

    @staticmethod
    def bare_reason(reason):
        """The reason without a leading "Hidden:" in any of the site's languages: the page says that itself."""
        reason = (reason or "").strip()
        lowered = reason.casefold()
        for prefix in _hidden_prefixes():
            if lowered.startswith(prefix.casefold()):
                rest = reason[len(prefix):].lstrip()
                if rest[:1] in (":", "-", "–", "."):
                    return rest[1:].strip()
        return reason

    @property
    def public_hidden_reason(self):
        return self.bare_reason(self.hidden_reason)
