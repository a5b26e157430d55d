"""The ways a person can choose to hear about a category of notifications."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("Email right away")
    DAILY = "daily", _("Daily summary by email")
    WEEKLY = "weekly", _("Weekly summary by email")
    APP = "app", _("Only here on the platform")
