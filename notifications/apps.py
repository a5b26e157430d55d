from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Each app says in its notify.py whom its activities concern (see notifications.registry).
        autodiscover_modules("notify")
        # The people layer below records through the core's seam (coproduction.activity).
        from coproduction import activity

        from .services import activity_record

        activity.connect(activity_record)
        # The services hand work to these tasks by name (notifications.jobs), in every process.
        import_module(f"{self.name}.tasks")
