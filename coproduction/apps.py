from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoproductionConfig(AppConfig):
    name = "coproduction"
    verbose_name = _("Platform")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks

        # What the feature apps contribute to pages they do not own (see coproduction.pages).
        autodiscover_modules("pages")

        # The Site that allauth's emails name follows SITE_URL and SITE_NAME (see coproduction.sites).
        from .sites import sync_site

        post_migrate.connect(sync_site, sender=apps.get_app_config("sites"), dispatch_uid="coproduction.sync_site")

        # Every app's searchable documents are indexed on save and delete (see coproduction.search).
        from .search import index

        index.connect()
        post_migrate.connect(index.sync_after_migrate, sender=self, dispatch_uid="search-index-fill")
