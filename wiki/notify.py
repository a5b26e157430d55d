"""Who hears about wiki pages: those who watch the page or its whole space."""
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_lazy, ngettext

from notifications.channels import Channel
from notifications.notify import Category as Core, Verb as Memberships, staff_of
from notifications.registry import category, event, rule, visibility
from notifications.wording import actor_name, excerpt
from stakeholders.models import Membership

from .models import Page, Space, Watch


def _page(page):
    return page.title, page.get_absolute_url(), {"space": page.space.name}


class Category:
    WIKI = category("wiki", gettext_lazy("Wiki pages I watch"), default_channel=Channel.DAILY, order=40)


class Verb:
    """What the activity log records about wiki pages."""

    CREATED = event("page.created", describe=_page)
    EDITED = event("page.edited", describe=_page)
    REVERTED = event("page.reverted", describe=_page)
    HANDED_OVER = event("page.handed_over", describe=_page)


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


rule(Verb.CREATED, Category.WIKI, recipients=_space_watchers,
     message=lambda activity: _says(_("%(name)s wrote the new page “%(title)s” in %(space)s."))(activity))
rule(Verb.EDITED, Category.WIKI, recipients=_watchers,
     message=lambda activity: _says(_("%(name)s edited “%(title)s”."))(activity))
rule(Verb.REVERTED, Category.WIKI, recipients=_watchers,
     message=lambda activity: _says(_("%(name)s restored an earlier version of “%(title)s”."))(activity))
rule(Verb.HANDED_OVER, Category.WIKI, recipients=lambda activity: [activity.data.get("owner")],
     message=lambda activity: _says(_("%(name)s handed the page “%(title)s” over to you."))(activity))


def _visible_pages(ids):
    """Pages of members-only organisation spaces only for that organisation's members."""
    rows = Page.objects.filter(pk__in=ids).order_by().values_list("pk", "space__visibility", "space__organisation_id")
    return {pk: organisation if visibility == Space.Visibility.MEMBERS else None
            for pk, visibility, organisation in rows}


visibility(Page, _visible_pages)



def _pages_left_behind(activity):
    """The pages in the organisation's spaces that the person who left looked after."""
    return Page.objects.filter(space__organisation_id=activity.organisation_id, owner_id=activity.actor_id)


def _staff_if_pages_left(activity):
    if activity.actor_id is None or not _pages_left_behind(activity).exists():
        return []
    return staff_of(activity)


def _pages_left_message(activity):
    count = _pages_left_behind(activity).count()
    return ngettext("%(name)s left; %(count)d wiki page needs a new owner.",
                    "%(name)s left; %(count)d wiki pages need a new owner.", count) % {
        "name": actor_name(activity), "count": count}, ""


# A staff alert: whoever leaves the organisation leaves their wiki pages without an owner.
rule(Memberships.LEFT, Core.STAFF, recipients=_staff_if_pages_left, message=_pages_left_message)
