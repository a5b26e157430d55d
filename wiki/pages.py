"""What the wiki contributes to My area: the pages and spaces the person watches (that they may still read)."""
from coproduction.pages import panel

from .models import Page, Space, Watch

ME_SHOWN = 10


def my_watches(request, obj, bound):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
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
