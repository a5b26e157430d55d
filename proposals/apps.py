from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")
    url_prefix = "proposals/"

    def ready(self):
        from .models import Proposal, forget_mode_counts

        # Services drop the kept counts themselves; a deletion in the back office does it here.
        post_delete.connect(forget_mode_counts, sender=Proposal, dispatch_uid="proposals-forget-mode-counts")
