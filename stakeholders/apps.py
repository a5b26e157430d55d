from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self):
        from . import adapter  # noqa: F401  (connects the password reset's lifting of the sign-in limit)
