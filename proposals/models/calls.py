"""Calls for ideas that organisations open, and the categories proposals are filed under."""
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .common import USER


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CallQuerySet(models.QuerySet):
    def open(self):
        return self.filter(deadline__gte=timezone.localdate())


class Call(models.Model):
    """A question an organisation puts to its stakeholders, open for ideas until a deadline."""

    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="calls", verbose_name=_("organisation")
    )
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("background"), blank=True, max_length=5000, validators=[MaxLengthValidator(5000)])
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # German full-text vector of question and background, kept by coproduction.search (PostgreSQL).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for ideas")
        verbose_name_plural = _("calls for ideas")
        ordering = ["-deadline"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:call", args=[self.pk])

    @property
    def is_open(self):
        return self.deadline >= timezone.localdate()
