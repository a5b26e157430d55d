"""People and pages: owners and handover, watching, and who is editing right now."""
from django.db import transaction
from django.utils.translation import gettext as _

from coproduction.permissions import require
from notifications.services import activity_record
from stakeholders.models import Membership

from ..models import Page, Watch
from ..notify import Verb
from .errors import WikiError


def check_owner(space, owner):
    """Owners hold a role in the space's organisation (any active person, in the shared space)."""
    if owner is None:
        return
    if not owner.is_active:
        raise WikiError(_("This person's account is no longer active."))
    if not space.is_shared and not Membership.objects.approved().filter(
        user=owner, organisation_id=space.organisation_id
    ).exists():
        raise WikiError(_("The new owner must hold a role in the organisation."))


@transaction.atomic
def pages_hand_over(*, space, pages, owner, actor):
    """Staff give pages of their space (e.g. those of someone who left) to a new owner."""
    require(actor, "wiki.handover_space", space, _("Only staff of the organisation can hand over pages."))
    check_owner(space, owner)
    pages = list(Page.objects.select_for_update().filter(space=space, pk__in=[page.pk for page in pages]))
    if not pages:
        raise WikiError(_("Choose at least one page to hand over."))
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(owner=owner)
    for page in pages:
        page.space = space
        activity_record(actor=actor, verb=Verb.HANDED_OVER, target=page, organisation=space.organisation,
                        owner=owner.pk if owner else None, previous_owner=page.owner_id)
    return len(pages)


def page_watch(*, page, user):
    require(user, "wiki.watch_page", page, _("You cannot watch this page."))
    Watch.objects.bulk_create([Watch(user=user, page=page)], ignore_conflicts=True)


def page_unwatch(*, page, user):
    Watch.objects.filter(user=user, page=page).delete()


def space_watch(*, space, user):
    require(user, "wiki.watch_space", space, _("You cannot watch this space."))
    Watch.objects.bulk_create([Watch(user=user, space=space)], ignore_conflicts=True)


def space_unwatch(*, space, user):
    Watch.objects.filter(user=user, space=space).delete()
