"""The back office's implementations (proposals.admin) name the participatory budget a proposal took part in."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from proposals.admin.accountability import ImplementationAdmin
from proposals.models import Implementation

# The proposals app registers its list first (INSTALLED_APPS order); this one adds the budget column.
admin.site.unregister(Implementation)


@admin.register(Implementation)
class BudgetImplementationAdmin(ImplementationAdmin):
    list_display = [*ImplementationAdmin.list_display[:2], "budget", *ImplementationAdmin.list_display[2:]]
    list_select_related = [*ImplementationAdmin.list_select_related, "proposal__budget_entry__process"]

    @admin.display(description=_("participatory budget"))
    def budget(self, implementation):
        entry = getattr(implementation.proposal, "budget_entry", None)
        return entry.process if entry is not None else "–"
