from django.conf import settings
from django.core.files.storage import default_storage
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


class Picture(models.Model):
    """An uploaded picture, re-encoded without metadata, with its renditions (see coproduction.images).

    ``file`` and every name in ``renditions`` are names in the default storage, random so that
    nothing of the uploaded file's name or place survives; ``renditions`` is [[width, height, name],
    …] from narrow to wide, the last being ``file`` itself. Proposals, organisations and tasks point
    here; whoever removes or replaces a picture goes through coproduction.images, which deletes the
    files with the row.
    """

    file = models.CharField(_("file"), max_length=200, editable=False)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    renditions = models.JSONField(_("renditions"), default=list, editable=False)
    alt = models.CharField(_("description of the picture"), max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.alt[:60]

    @property
    def names(self):
        """Every stored file of the picture."""
        return list(dict.fromkeys([self.file, *(name for _w, _h, name in self.renditions)]))

    @property
    def url(self):
        return default_storage.url(self.file)
