from django.apps import AppConfig
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
        # Every app's searchable documents are indexed on save and delete (see coproduction.search).
        from .search import index

        index.connect()
        post_migrate.connect(index.sync_after_migrate, sender=self, dispatch_uid="search-index-fill")
