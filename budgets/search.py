"""What participatory budgets offer the site-wide search (coproduction.search).

Every budget is public from its announcement on (as in the open data API), so all processes are
found. A budget's proposals are found through their proposals' text, as the budget page lists
them: never a draft and never one hidden by moderation.
"""
from django.utils.translation import gettext_lazy as _

from coproduction.search import Document, Kind
from proposals.models import Proposal

from .models import Entry, Process


def visible_processes(user):
    return Process.objects.select_related("organisation").only(
        "id", "slug", "title", "description", "phase", "created_at", "organisation__name")


def visible_entries(user):
    return (Entry.objects.filter(proposal__is_hidden=False).exclude(proposal__status=Proposal.Status.DRAFT)
            .select_related("proposal", "process")
            .only("id", "process_id", "proposal_id", "feasibility", "created_at", "proposal__id", "proposal__title",
                  "proposal__summary", "proposal__text", "process__title"))


SEARCH = [
    Document(Process, weights={"title": "A", "description": "C"}),
    Kind(
        name="budgets", label=_("Participatory budgets"), document=Process, rows=visible_processes, order=30,
        title=lambda process: process.title, url=lambda process: process.get_absolute_url(),
        text=lambda process: process.description,
        context=lambda process: f"{process.organisation.name} · {process.get_phase_display()}",
        newest="created_at", browse="budgets:list",
    ),
    Kind(
        name="budget-proposals", label=_("Proposals in participatory budgets"), document=Proposal,
        rows=visible_entries, key="proposal_id", vector="proposal__search_vector", order=35,
        title=lambda entry: entry.proposal.title, url=lambda entry: entry.proposal.get_absolute_url(),
        text=lambda entry: [entry.proposal.summary, entry.proposal.text],
        context=lambda entry: f"{entry.process.title} · {entry.get_feasibility_display()}",
        newest="created_at",
    ),
]
