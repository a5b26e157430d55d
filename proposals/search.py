"""What proposals offer the site-wide search (coproduction.search): proposals and calls for ideas.

Proposals are found as the proposal list shows them: drafts only by their authors (and
operators), never one hidden by moderation. Their German vector is kept by the proposals'
services (``services.common._update_search_vector``); the calls' by the core on every save.
"""
from django.utils.translation import gettext_lazy as _

from coproduction.search import Document, Kind

from .models import Call, Proposal


def visible_proposals(user):
    return (Proposal.objects.visible_to(user).filter(is_hidden=False).select_related("organisation")
            .only("id", "title", "summary", "text", "status", "published_at", "organisation__name"))


def _proposal_context(proposal):
    return f"{proposal.organisation.name} · {proposal.get_status_display()}"


def visible_calls(user):
    return Call.objects.select_related("organisation").only(
        "id", "title", "description", "deadline", "created_at", "organisation__name")


def _call_context(call):
    return call.organisation.name


SEARCH = [
    Document(Proposal, weights={"title": "A", "summary": "B", "text": "C"}, keeps_vector=False),
    Document(Call, weights={"title": "A", "description": "C"}),
    Kind(
        name="proposals", label=_("Proposals"), document=Proposal, rows=visible_proposals, order=10,
        title=lambda proposal: proposal.title, url=lambda proposal: proposal.get_absolute_url(),
        text=lambda proposal: [proposal.summary, proposal.text], context=_proposal_context,
        newest="published_at", browse="proposals:list",
    ),
    Kind(
        name="calls", label=_("Calls for ideas"), document=Call, rows=visible_calls, order=20,
        title=lambda call: call.title, url=lambda call: call.get_absolute_url(),
        text=lambda call: call.description, context=_call_context, newest="created_at", browse="proposals:calls",
    ),
]
