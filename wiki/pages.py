"""What the wiki contributes to pages of others: an organisation's spaces and their recently
edited pages, on the organisation's page, as far as the visitor may read them."""
from coproduction.formatting import short_datetime
from coproduction.pages import panel

from .models import Page, Space

HUB_PAGES = 5


def organisation_wiki(request, organisation, bound):
    """The spaces of the organisation the visitor may read (members-only ones only for its members)
    and their latest edited pages: two queries; nothing shown without a readable space."""
    user = request.user
    spaces = list(Space.objects.visible_to(user).filter(organisation=organisation)
                  .only("id", "slug", "name", "visibility", "page_count"))
    if not spaces:
        return None
    pages = list(Page.objects.filter(space__in=[space.pk for space in spaces]).select_related("space")
                 .only("id", "title", "slug", "last_edited_at", "space__slug", "space__name")
                 .order_by("-last_edited_at", "-id")[:HUB_PAGES])
    for page in pages:
        page.edited = short_datetime(page.last_edited_at)
    return {"organisation": organisation, "spaces": spaces, "pages": pages}


panel("organisation", "wiki", template="wiki/_organisation_wiki.html", context=organisation_wiki, order=400)
