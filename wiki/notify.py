"""Who hears about wiki pages: those who watch the page or its whole space."""
from django.db.models import Q
from django.utils.translation import gettext as _

from notifications.models import Category
from notifications.registry import rule, visibility
from notifications.wording import actor_name, excerpt
from stakeholders.models import Membership

from .models import Page, Space, Watch


def _page(page):
    return page.title, page.get_absolute_url(), {"space": page.space.name}


def _readers(watches, space):
    """The watchers who may still read the space: in a members-only space, its organisation's members."""
    if space.visibility == Space.Visibility.MEMBERS and space.organisation_id is not None:
        members = Membership.objects.approved().filter(organisation_id=space.organisation_id).values("user_id")
        watches = watches.filter(user_id__in=members)
    return watches.values_list("user_id", flat=True)


def _watchers(activity):
    page = activity.target
    return _readers(Watch.objects.filter(Q(page_id=page.pk) | Q(space_id=page.space_id)), page.space)


def _space_watchers(activity):
    page = activity.target
    return _readers(Watch.objects.filter(space_id=page.space_id), page.space)


def _says(sentence):
    def message(activity):
        values = {"name": actor_name(activity), "title": activity.title, "space": activity.data.get("space", "")}
        return sentence % values, excerpt(activity.data.get("summary", ""))
    return message


rule("page.created", Category.WIKI, recipients=_space_watchers, describe=_page,
     message=lambda activity: _says(_("%(name)s wrote the new page “%(title)s” in %(space)s."))(activity))
rule("page.edited", Category.WIKI, recipients=_watchers, describe=_page,
     message=lambda activity: _says(_("%(name)s edited “%(title)s”."))(activity))
rule("page.reverted", Category.WIKI, recipients=_watchers, describe=_page,
     message=lambda activity: _says(_("%(name)s restored an earlier version of “%(title)s”."))(activity))
rule("page.handed_over", Category.WIKI, recipients=lambda activity: [activity.data.get("owner")], describe=_page,
     message=lambda activity: _says(_("%(name)s handed the page “%(title)s” over to you."))(activity))


def _visible_pages(ids):
    """Pages of members-only organisation spaces only for that organisation's members."""
    rows = Page.objects.filter(pk__in=ids).order_by().values_list("pk", "space__visibility", "space__organisation_id")
    return {pk: organisation if visibility == Space.Visibility.MEMBERS else None
            for pk, visibility, organisation in rows}


visibility(Page, _visible_pages)
