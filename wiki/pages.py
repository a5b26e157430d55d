"""What the wiki contributes to pages of others: in My area, the pages and spaces the person watches (that
they may still read); on an organisation's page, its spaces and their recently edited pages, as far as the
visitor may read them."""
from coproduction.formatting import short_datetime
from coproduction.pages import panel, signed_in

from .models import Page, Space, Watch

ME_SHOWN = 10
HUB_PAGES = 5


def my_watches(request, obj, bound):
    user = signed_in(request)
    if user is None:
        return None
    visible_pages, visible_spaces = Page.objects.visible_to(user), Space.objects.visible_to(user)
    rows = list(
        Watch.objects.filter(user=user).filter(page__in=visible_pages).select_related("page__space")
        .only("id", "page_id", "space_id", "page__id", "page__title", "page__slug", "page__space__slug", "page__space__name")
        .order_by("-created_at", "-pk")[:ME_SHOWN]
    ) + list(
        Watch.objects.filter(user=user).filter(space__in=visible_spaces).select_related("space")
        .only("id", "page_id", "space_id", "space__id", "space__name", "space__slug").order_by("-created_at", "-pk")[:ME_SHOWN]
    )
    return {"pages": [row.page for row in rows if row.page_id], "spaces": [row.space for row in rows if row.space_id]}


panel("me", "watches", template="wiki/_me_watches.html", context=my_watches, order=80)


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
