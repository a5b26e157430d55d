"""What waits in the back office about participatory budgets (stakeholders.start_page)."""
from django.utils.translation import ngettext

from stakeholders.start_page import Need

from .models import Entry

ATTENTION = [
    Need(
        code="budget-reviews",
        label=lambda n: ngettext("budget proposal to review", "budget proposals to review", n),
        rows=lambda: Entry.objects.filter(feasibility=Entry.Feasibility.PENDING),
        organisation="process__organisation",
        changelist="admin:budgets_entry_changelist",
        filters={"feasibility__exact": Entry.Feasibility.PENDING},
        since="created_at",
        order=40,
    ),
]

# A proposal sent into a budget is answered by its review and the vote, not by a status change.
REFINE = {"unanswered": lambda rows: rows.exclude(pk__in=Entry.objects.values("proposal_id"))}
