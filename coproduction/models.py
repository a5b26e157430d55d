from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessibilityFeedback(models.Model):
    """A barrier someone reports through the accessibility statement (BITV 2.0 feedback)."""

    message = models.TextField(_("what is not accessible"), max_length=3000, validators=[MaxLengthValidator(3000)])
    page_url = models.CharField(_("page concerned"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email address for a reply"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    is_resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-created_at"]

    def __str__(self):
        return self.message[:60]
