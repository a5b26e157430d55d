"""What proposals contribute to pages of the core: the matrix's counts and an organisation's ideas."""
from coproduction.pages import matrix_counter, panel

from .models import Proposal, kept_mode_counts


def organisation_ideas(request, organisation, bound):
    """The organisation's open calls for ideas and its latest visible proposals, five of each."""
    return {
        "organisation": organisation,
        "open_calls": organisation.calls.open().order_by("deadline")[:5],
        "recent_proposals": (
            Proposal.objects.published().in_organisation(organisation).filter(is_hidden=False)
            .order_by("-published_at", "-id").only("id", "title", "status")[:5]
        ),
    }


matrix_counter("proposals", kept_mode_counts)
panel("organisation", "proposals", template="proposals/_organisation_ideas.html", context=organisation_ideas)
